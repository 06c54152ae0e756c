"""Forms for subscribing, managing a subscription and editing an issue."""

from flask_wtf import FlaskForm
from wtforms import EmailField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from community.person_names import name_field


class SubscribeForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)])
    name = name_field("Name (optional)", required=False)
    submit = SubmitField("Subscribe")


class PreferencesForm(FlaskForm):
    name = name_field("Name", required=False)
    submit = SubmitField("Save")


class PreferencesLinkForm(FlaskForm):
    """For subscribers who lost the emails with the link to their preferences."""

    email = EmailField("Email you subscribed with", validators=[DataRequired(), Length(max=320)])
    submit = SubmitField("Email me the link")


class IntroForm(FlaskForm):
    intro = TextAreaField("Intro paragraph (Markdown)", validators=[Length(max=5000)])
    submit = SubmitField("Save intro")
