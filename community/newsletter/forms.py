"""Forms for subscribing, managing a subscription and editing an issue."""

from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class SubscribeForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)])
    name = StringField("Name (optional)", validators=[Optional(), Length(max=200)])
    submit = SubmitField("Subscribe")


class PreferencesForm(FlaskForm):
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    submit = SubmitField("Save")


class IntroForm(FlaskForm):
    intro = TextAreaField("Intro paragraph (Markdown)", validators=[Length(max=5000)])
    submit = SubmitField("Save intro")
