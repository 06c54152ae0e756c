"""Forms for subscribing, managing a subscription and editing an issue."""

from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from community.person_names import MAX_NAME_LENGTH, OneLineName


def _name_field(label: str) -> StringField:
    return StringField(
        label,
        validators=[
            Optional(),
            OneLineName(),
            Length(
                max=MAX_NAME_LENGTH,
                message=f"Please keep your name within {MAX_NAME_LENGTH} characters.",
            ),
        ],
        filters=[lambda text: text.strip() if text else text],
    )


class SubscribeForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)])
    name = _name_field("Name (optional)")
    submit = SubmitField("Subscribe")


class PreferencesForm(FlaskForm):
    name = _name_field("Name")
    submit = SubmitField("Save")


class PreferencesLinkForm(FlaskForm):
    """For subscribers who lost the emails with the link to their preferences."""

    email = EmailField("Email you subscribed with", validators=[DataRequired(), Length(max=320)])
    submit = SubmitField("Email me the link")


class IntroForm(FlaskForm):
    intro = TextAreaField("Intro paragraph (Markdown)", validators=[Length(max=5000)])
    submit = SubmitField("Save intro")
