"""Forms for after a conference: a session's recording links and captions, and the survey."""

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectChoice, SubmitField, TextAreaField, URLField
from wtforms.validators import Length, Optional, ValidationError

from community.conferences.feedback import MAX_COMMENT, RATINGS


def _web_address(form, field) -> None:
    value = (field.data or "").strip()
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise ValidationError("Give a web address starting with https:// (or http://).")


def _link(label: str, description: str = "") -> URLField:
    return URLField(
        label,
        description=description,
        validators=[Optional(), _web_address, Length(max=2000)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


class RecordingForm(FlaskForm):
    """One session's recording, slides and captions; each session's form has its own prefix."""

    recording_url = _link("Recording link")
    slides_url = _link("Slides link")
    captions_url = _link("Captions link (.vtt or .srt)")
    captions_file = FileField("…or upload captions (.vtt or .srt)")
    remove_captions = BooleanField("Remove the captions")
    submit = SubmitField("Save")

    def link(self, name: str) -> str | None:
        return getattr(self, name).data or None


def session_form(session_id: int, **kwargs) -> RecordingForm:
    return RecordingForm(prefix=f"s{session_id}", **kwargs)


def feedback_form(session_ids: list[int], answers: dict) -> FlaskForm:
    """A rating and a comment per session, filled with the person's earlier answers."""

    class FeedbackForm(FlaskForm):
        submit = SubmitField("Send my feedback")

    data = {}
    for session_id in session_ids:
        setattr(
            FeedbackForm,
            f"rating_{session_id}",
            RadioField(
                "Rating",
                choices=[SelectChoice(rating, str(rating)) for rating in RATINGS],
                coerce=int,
                validators=[Optional()],
            ),
        )
        setattr(
            FeedbackForm,
            f"comment_{session_id}",
            TextAreaField("Comment (optional)", validators=[Optional(), Length(max=MAX_COMMENT)]),
        )
        if session_id in answers:
            data[f"rating_{session_id}"] = answers[session_id].rating
            data[f"comment_{session_id}"] = answers[session_id].comment
    return FeedbackForm(data=data)  # a POST's answers take the place of these
