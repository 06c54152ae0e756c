"""Forms of the conference's organiser pages and of a team member's first visit. Times are
typed in the conference's own time zone and leave these forms in UTC."""

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (
    ColorField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from community.accounts.services import MIN_PASSWORD_LENGTH
from community.conferences.conference_admin import (
    MAX_ACRONYM_LENGTH,
    MAX_DURATION,
    MIN_DURATION,
    SessionInput,
    SettingsInput,
    SpeakerInput,
    StageInput,
)
from community.conferences.team_invitations import ROLE_NAMES
from community.email_addresses import InvalidEmail, normalise_email
from community.models import SessionKind, StageKind
from community.person_names import name_field
from community.timezones import SUPPORTED_YEARS, is_supported

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
MAX_STAGE_CAPACITY = 1_000_000
MAX_POSITION = 10_000
KIND_LABELS = {kind: kind.value.capitalize() for kind in SessionKind}
STAGE_KIND_LABELS = {StageKind.PHYSICAL: "A room at the venue", StageKind.VIRTUAL: "A stream"}


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _trimmed(text: str | None) -> str:
    return (text or "").strip()


def _duration_field(label: str) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            DataRequired(message="Say how many minutes it lasts."),
            NumberRange(
                min=MIN_DURATION,
                max=MAX_DURATION,
                message=f"A session lasts from {MIN_DURATION} to {MAX_DURATION:,} minutes.",
            ),
        ],
        default=30,
    )


def _email_address(form, field) -> None:
    try:
        field.data = normalise_email(field.data)
    except InvalidEmail as error:
        raise ValidationError(str(error)) from error


def _web_link(form, field) -> None:
    if field.data and not field.data.startswith(("https://", "http://")):
        raise ValidationError("Give a web link starting with https://.")


class MakeConferenceForm(FlaskForm):
    acronym = StringField(
        "Acronym (in the agenda's address, e.g. mlopscon)",
        validators=[DataRequired(), Length(max=MAX_ACRONYM_LENGTH)],
        filters=[_trimmed],
    )
    submit = SubmitField("Make it a conference")


class SettingsForm(FlaskForm):
    acronym = StringField(
        "Acronym (in the agenda's address)",
        validators=[DataRequired(), Length(max=MAX_ACRONYM_LENGTH)],
        filters=[_trimmed],
    )
    cfp_opens_at = DateTimeLocalField(
        "Call for proposals opens", validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
    cfp_closes_at = DateTimeLocalField(
        "Call for proposals closes", validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
    cfp_description = TextAreaField(
        "Call for proposals text (Markdown, shown above the form)",
        validators=[Length(max=20000)],
    )
    submit = SubmitField("Save settings")

    def __init__(self, zone: ZoneInfo, **kwargs):
        super().__init__(**kwargs)
        self.zone = zone

    def validate_cfp_opens_at(self, field) -> None:
        _check_local(field.data, self.zone)

    def validate_cfp_closes_at(self, field) -> None:
        _check_local(field.data, self.zone)

    def fill_from(self, conference) -> None:
        self.acronym.data = conference.acronym
        self.cfp_opens_at.data = _local(conference.cfp_opens_at, self.zone)
        self.cfp_closes_at.data = _local(conference.cfp_closes_at, self.zone)
        self.cfp_description.data = conference.cfp_description

    def to_input(self) -> SettingsInput:
        return SettingsInput(
            acronym=self.acronym.data,
            cfp_opens_at=_utc(self.cfp_opens_at.data, self.zone),
            cfp_closes_at=_utc(self.cfp_closes_at.data, self.zone),
            cfp_description=self.cfp_description.data or "",
        )


class StageForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)], filters=[_one_line])
    kind = SelectField(
        "Kind",
        choices=[SelectChoice(kind, label) for kind, label in STAGE_KIND_LABELS.items()],
    )
    stream_url = URLField(
        "Stream link (for a stream; only registered people see it)",
        validators=[Optional(), URL(), _web_link, Length(max=2000)],
        filters=[_trimmed],
    )
    capacity = IntegerField(
        "Capacity (empty: no limit)",
        validators=[Optional(), NumberRange(min=0, max=MAX_STAGE_CAPACITY)],
    )
    position = IntegerField(
        "Order on the agenda (lower comes first)",
        validators=[Optional(), NumberRange(min=0, max=MAX_POSITION)],
        default=0,
    )
    description = TextAreaField("Description", validators=[Length(max=5000)])
    submit = SubmitField("Save stage")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == StageKind.VIRTUAL and not self.stream_url.data:
            # Not a field validator: Optional() ends the field's checks when it is empty.
            self.stream_url.errors = [
                *self.stream_url.errors,
                "A stream needs the link people join it with.",
            ]
            return False
        return valid

    def fill_from(self, stage) -> None:
        for name in ("name", "kind", "stream_url", "capacity", "position", "description"):
            getattr(self, name).data = getattr(stage, name)

    def to_input(self) -> StageInput:
        return StageInput(
            name=self.name.data,
            kind=self.kind.data,
            stream_url=self.stream_url.data or None,
            capacity=self.capacity.data,
            position=self.position.data or 0,
            description=self.description.data or "",
        )


class TrackForm(FlaskForm):
    name = StringField(
        "Track name", validators=[DataRequired(), Length(max=200)], filters=[_one_line]
    )
    color = ColorField("Colour", default="#1f6feb", validators=[Optional()])
    submit = SubmitField("Save track")

    def validate_color(self, field) -> None:
        if field.data and not COLOUR.fullmatch(field.data):
            raise ValidationError("Give the colour as #rrggbb, e.g. #1f6feb.")


class SessionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=500)], filters=[_one_line])
    kind = SelectField(
        "Kind", choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()]
    )
    abstract = TextAreaField("Abstract (Markdown)", validators=[Length(max=20000)])
    tags = StringField("Tags, comma separated", validators=[Optional(), Length(max=500)])
    track = SelectField("Track", coerce=int, default=0)
    duration_minutes = _duration_field("Duration (minutes)")
    speakers = SelectMultipleField(
        "Speakers",
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    new_speaker_name = name_field("New speaker's name", required=False)
    new_speaker_bio = TextAreaField("New speaker's bio (Markdown)", validators=[Length(max=5000)])
    new_speaker_email = EmailField(
        "New speaker's email (never shown)",
        validators=[Optional(), Length(max=320), _email_address],
        filters=[_trimmed],
    )
    submit = SubmitField("Save session")

    def offer(self, tracks, speakers) -> None:
        self.track.choices = [SelectChoice(0, "No track")] + [
            SelectChoice(track.id, track.name) for track in tracks
        ]
        self.speakers.choices = [SelectChoice(speaker.id, speaker.name) for speaker in speakers]

    def validate_new_speaker_name(self, field) -> None:
        if not field.data and (self.new_speaker_bio.data or self.new_speaker_email.data):
            raise ValidationError(
                "Give the new speaker's name, or leave their bio and email empty."
            )

    def fill_from(self, item, speaker_ids: list[int]) -> None:
        for name in ("title", "kind", "abstract", "duration_minutes"):
            getattr(self, name).data = getattr(item, name)
        self.tags.data = ", ".join(item.tags or [])
        self.track.data = item.track_id or 0
        self.speakers.data = speaker_ids

    def to_input(self) -> SessionInput:
        new_speaker = None
        if self.new_speaker_name.data:
            new_speaker = SpeakerInput(
                name=self.new_speaker_name.data,
                biography=(self.new_speaker_bio.data or "").strip(),
                email=self.new_speaker_email.data or None,
            )
        return SessionInput(
            title=self.title.data,
            kind=self.kind.data,
            abstract=self.abstract.data or "",
            tags=_tags(self.tags.data),
            track_id=self.track.data or None,
            duration_minutes=self.duration_minutes.data,
            speaker_ids=list(self.speakers.data or []),
            new_speaker=new_speaker,
        )


class PlaceForm(FlaskForm):
    """Where and when; `acknowledged` carries the clashes the organiser saw and accepted."""

    stage = SelectField("Stage", coerce=int)
    day = SelectField("Day")
    start = TimeField("Starts at", validators=[DataRequired(message="Give the start time.")])
    duration_minutes = _duration_field("Duration (minutes)")
    acknowledged = HiddenField()
    submit = SubmitField("Place")

    def __init__(self, zone: ZoneInfo, days, stages, **kwargs):
        super().__init__(**kwargs)
        self.zone = zone
        self.stage.choices = [SelectChoice(stage.id, stage.name) for stage in stages]
        self.day.choices = [
            SelectChoice(
                day.date.isoformat(),
                f"Day {day.index}: {day.date:%a} {day.date.day} {day.date:%b %Y}",
            )
            for day in days
        ]

    def validate_start(self, field) -> None:
        if field.data is None or not self.day.data:
            return
        _check_local(datetime.combine(date.fromisoformat(self.day.data), field.data), self.zone)

    def fill_from(self, item) -> None:
        self.duration_minutes.data = item.duration_minutes
        if item.stage_id:
            self.stage.data = item.stage_id
        if item.starts_at:
            local = item.starts_at.astimezone(self.zone)
            self.day.data, self.start.data = local.date().isoformat(), local.time()

    def starts_at(self) -> datetime:
        return _utc(datetime.combine(date.fromisoformat(self.day.data), self.start.data), self.zone)


class InviteForm(FlaskForm):
    name = name_field("Name", required=True)
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)], filters=[_trimmed])
    role = SelectField(
        "Role", choices=[SelectChoice(role, name.capitalize()) for role, name in ROLE_NAMES.items()]
    )
    submit = SubmitField("Invite")


class SetPasswordForm(FlaskForm):
    new_password = PasswordField(
        "Choose a password",
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=500,
                message=f"The password needs at least {MIN_PASSWORD_LENGTH} characters.",
            ),
        ],
    )
    repeat_password = PasswordField(
        "The password again",
        validators=[
            DataRequired(),
            EqualTo("new_password", message="The two passwords differ; type them again."),
        ],
    )
    submit = SubmitField("Set password and log in")


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def _utc(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """The wall time in the zone as UTC; an hour repeated when clocks go back means the first."""
    return moment.replace(tzinfo=zone).astimezone(UTC) if moment else None


def _check_local(moment: datetime | None, zone: ZoneInfo) -> None:
    if moment is None:
        return
    if not is_supported(moment):
        raise ValidationError(f"Pick a date in the years {SUPPORTED_YEARS}.")
    if _local(_utc(moment, zone), zone) != moment:
        raise ValidationError(
            f"{moment:%H:%M} does not exist on {moment:%d %b %Y} in {zone.key}: "
            "the clocks go forward then. Pick another time."
        )


def _tags(text: str | None) -> list[str]:
    tags = []
    for tag in (text or "").split(","):
        tag = tag.strip().lower()[:50]
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:20]
