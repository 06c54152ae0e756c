"""The call for proposals' form, and the reviewers' score and comment."""

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from community.conferences.proposals import PROPOSAL_FORMATS, CoSpeaker, ProposalInput
from community.conferences.reviews import SCORE_LABELS
from community.email_addresses import InvalidEmail, normalise_email
from community.models import Proposal, Track
from community.person_names import name_field

CO_SPEAKER_ROWS = 3  # shown empty on a new form; "Add another co-speaker" adds one more
MAX_CO_SPEAKERS = 8
TITLE_CHARS, ABSTRACT_CHARS, BIO_CHARS, COMMENT_CHARS = 200, 5000, 2000, 5000
NO_TRACK = ""


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _stripped(text: str | None) -> str:
    return (text or "").strip()


def _address(field) -> str:
    try:
        return normalise_email(field.data)
    except InvalidEmail as error:
        raise ValidationError(str(error)) from error


class CoSpeakerForm(Form):
    """One co-speaker's row: all empty, or at least a name and an address."""

    name = name_field("Name", required=False)
    # No Optional(): it would stop the check that a named co-speaker has an address.
    email = EmailField("Email", validators=[Length(max=320)])
    bio = TextAreaField(
        "About them (optional)", validators=[Length(max=BIO_CHARS)], filters=[_stripped]
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.name.data and (self.email.data or self.bio.data):
            # Here, since the name's own Optional() ends its checks when it is empty.
            self.name.errors.append("Give this co-speaker's name, or empty the row.")
            return False
        return valid

    def validate_email(self, field) -> None:
        if field.data:
            field.data = _address(field)
        elif self.name.data or self.bio.data:
            raise ValidationError("Give this co-speaker's email, or empty the row.")

    @property
    def filled(self) -> bool:
        return bool(self.name.data or self.email.data or self.bio.data)


class ProposalForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired(), Length(max=TITLE_CHARS)],
        filters=[_one_line],
    )
    abstract = TextAreaField(
        "Abstract (Markdown)",
        validators=[DataRequired(), Length(max=ABSTRACT_CHARS)],
        filters=[_stripped],
    )
    format = SelectField(
        "Format",
        choices=[SelectChoice(kind, kind.capitalize()) for kind in PROPOSAL_FORMATS],
    )
    track = SelectField("Track", choices=[SelectChoice(NO_TRACK, "No preference")])
    name = name_field("Your name", required=True)
    email = EmailField("Your email", validators=[DataRequired(), Length(max=320)])
    bio = TextAreaField(
        "About you (Markdown, shown with the session if accepted)",
        validators=[Length(max=BIO_CHARS)],
        filters=[_stripped],
    )
    co_speakers = FieldList(
        FormField(CoSpeakerForm), min_entries=CO_SPEAKER_ROWS, max_entries=MAX_CO_SPEAKERS
    )
    submit = SubmitField("Submit the proposal")
    add_co_speaker = SubmitField("Add another co-speaker")

    def offer_tracks(self, tracks: list[Track]) -> None:
        self.track.choices = [SelectChoice(NO_TRACK, "No preference")] + [
            SelectChoice(str(track.id), track.name) for track in tracks
        ]

    def add_row(self) -> None:
        if len(self.co_speakers.entries) < MAX_CO_SPEAKERS:
            self.co_speakers.append_entry()

    @property
    def can_add_row(self) -> bool:
        return len(self.co_speakers.entries) < MAX_CO_SPEAKERS

    def validate_email(self, field) -> None:
        field.data = _address(field)

    def to_input(self) -> ProposalInput:
        track = self.track.data
        return ProposalInput(
            title=self.title.data,
            abstract=self.abstract.data,
            format=self.format.data,
            track_id=int(track) if track and track.isdigit() else None,
            speaker_name=self.name.data,
            speaker_email=self.email.data,
            speaker_bio=self.bio.data or "",
            co_speakers=tuple(
                CoSpeaker(row.form.name.data, row.form.email.data, row.form.bio.data or "")
                for row in self.co_speakers
                if row.form.filled
            ),
        )


def proposal_form_data(proposal: Proposal) -> dict:
    """What the edit form shows of a stored proposal, with empty rows to add co-speakers."""
    rows = [dict(person) for person in proposal.co_speakers]
    rows += [{}] * max(0, CO_SPEAKER_ROWS - len(rows))
    return {
        "title": proposal.title,
        "abstract": proposal.abstract,
        "format": proposal.format,
        "track": str(proposal.track_id) if proposal.track_id else NO_TRACK,
        "name": proposal.speaker_name,
        "email": proposal.speaker_email,
        "bio": proposal.speaker_bio,
        "co_speakers": rows,
    }


class ReviewForm(FlaskForm):
    score = RadioField(
        "Your score",
        choices=[SelectChoice(str(score), label) for score, label in SCORE_LABELS.items()],
        validators=[InputRequired(message="Pick a score from 1 to 5.")],
    )
    comment = TextAreaField(
        "Your comment (the other reviewers and the organisers read it)",
        validators=[Length(max=COMMENT_CHARS)],
        filters=[_stripped],
    )
    submit = SubmitField("Save my review")
