"""Forms for organisers' event pages and for RSVPs."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from community.events.services import EVENT_KINDS, MAX_SERIES_LENGTH, EventInput
from community.models import EventFormat
from community.person_names import name_field
from community.timezones import LAST_SUPPORTED_YEAR, SUPPORTED_YEARS, is_supported

FORMAT_LABELS = {
    EventFormat.IN_PERSON: "In person",
    EventFormat.ONLINE: "Online",
    EventFormat.HYBRID: "Hybrid",
}
MAX_CAPACITY = 1_000_000


class EventForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired(), Length(max=300)],
        filters=[lambda text: " ".join((text or "").split())],
    )
    host = StringField(
        "Host (who organises it, shown on the public page)",
        validators=[Optional(), Length(max=200)],
        filters=[lambda text: " ".join((text or "").split())],
    )
    description = TextAreaField("Description (Markdown)", validators=[Length(max=20000)])
    kind = SelectField(
        "Kind",
        choices=[SelectChoice(kind, kind.replace("-", " ").capitalize()) for kind in EVENT_KINDS],
    )
    format = SelectField(
        "Format", choices=[SelectChoice(value, label) for value, label in FORMAT_LABELS.items()]
    )
    venue = StringField("Venue", validators=[Optional(), Length(max=300)])
    address = StringField("Address", validators=[Optional(), Length(max=500)])
    join_url = URLField(
        "Online join link (shown only to registered attendees)",
        validators=[Optional(), URL(), Length(max=2000)],
    )
    starts_at = DateTimeLocalField("Starts", validators=[DataRequired()], format="%Y-%m-%dT%H:%M")
    ends_at = DateTimeLocalField("Ends", validators=[DataRequired()], format="%Y-%m-%dT%H:%M")
    timezone = StringField(
        "Time zone (IANA, e.g. Europe/Berlin)", validators=[DataRequired(), Length(max=64)]
    )
    capacity = IntegerField(
        "Capacity (empty: no limit)",
        validators=[
            Optional(),
            NumberRange(min=0, message="Capacity cannot be negative."),
            NumberRange(
                max=MAX_CAPACITY, message=f"Capacity can be at most {MAX_CAPACITY:,} places."
            ),
        ],
    )
    registration_opens_at = DateTimeLocalField(
        "Registration opens", validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
    registration_closes_at = DateTimeLocalField(
        "Registration closes (empty: at the start)",
        validators=[Optional()],
        format="%Y-%m-%dT%H:%M",
    )
    tags = StringField("Tags, comma separated", validators=[Optional(), Length(max=500)])
    rsvp_needs_confirmation = BooleanField(
        "RSVPs confirm their email address (until they do, a place is only held for a while)",
        default=True,
    )
    submit = SubmitField("Save")

    def validate_timezone(self, field) -> None:
        try:
            ZoneInfo(field.data.strip())
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValidationError(
                f"“{field.data}” is not a known time zone; try Europe/Berlin or America/New_York."
            ) from error

    def validate_starts_at(self, field) -> None:
        _check_moment(field.data, self._zone())

    def validate_ends_at(self, field) -> None:
        zone = self._zone()
        _check_moment(field.data, zone)
        if not _supported(self.starts_at.data):
            return  # the start field says what is wrong with it
        start, end = _aware(self.starts_at.data, zone), _aware(field.data, zone)
        if start and end and end <= start:
            raise ValidationError("The end must be after the start.")

    def validate_registration_opens_at(self, field) -> None:
        _check_moment(field.data, self._zone())

    def validate_registration_closes_at(self, field) -> None:
        _check_moment(field.data, self._zone())

    def _zone(self) -> ZoneInfo:
        try:
            return ZoneInfo((self.timezone.data or "").strip())
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")  # the time zone field reports the problem itself

    def to_input(self, status: str) -> EventInput:
        zone = ZoneInfo(self.timezone.data.strip())
        return EventInput(
            title=self.title.data.strip(),
            description=self.description.data or "",
            host=self.host.data or None,
            kind=self.kind.data,
            format=self.format.data,
            venue=(self.venue.data or "").strip() or None,
            address=(self.address.data or "").strip() or None,
            join_url=(self.join_url.data or "").strip() or None,
            starts_at=_aware(self.starts_at.data, zone),
            ends_at=_aware(self.ends_at.data, zone),
            timezone=zone.key,
            capacity=self.capacity.data,
            registration_opens_at=_aware(self.registration_opens_at.data, zone),
            registration_closes_at=_aware(self.registration_closes_at.data, zone),
            tags=_tags(self.tags.data),
            status=status,
            rsvp_needs_confirmation=self.rsvp_needs_confirmation.data,
        )

    def fill_from(self, event) -> None:
        zone = ZoneInfo(event.timezone)
        for name in (
            "title",
            "host",
            "description",
            "kind",
            "format",
            "venue",
            "address",
            "join_url",
            "capacity",
            "rsvp_needs_confirmation",
        ):
            getattr(self, name).data = getattr(event, name)
        self.timezone.data = event.timezone
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            moment = getattr(event, name)
            getattr(self, name).data = (
                moment.astimezone(zone).replace(tzinfo=None) if moment else None
            )
        self.tags.data = ", ".join(event.tags or [])


class NewEventForm(EventForm):
    repeat = SelectField(
        "Repeat",
        choices=[
            SelectChoice("none", "Once"),
            SelectChoice("weekly", "Weekly"),
            SelectChoice("monthly", "Monthly"),
        ],
        default="none",
    )
    repeat_count = IntegerField(
        "Number of events in the series",
        validators=[Optional(), NumberRange(min=1, max=MAX_SERIES_LENGTH)],
    )

    @property
    def repeats(self) -> bool:
        return self.repeat.data in ("weekly", "monthly")

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        count = self.repeat_count
        if not self.repeats:
            count.errors = []  # a count left over from a series no longer asked for
        elif count.data is None and not count.errors:
            count.errors = [
                f"Say how many {self.repeat.data} events the series has "
                f"(at most {MAX_SERIES_LENGTH})."
            ]
        return not any(field.errors for field in self) and not self.form_errors

    def validate_repeat_count(self, field) -> None:
        """The whole series, not only its first event, stays within the supported years."""
        count, repeat, first_end = field.data, self.repeat.data, self.ends_at.data
        if not self.repeats or not count or not 1 <= count <= MAX_SERIES_LENGTH:
            return  # nothing to repeat, or the range check above says what is wrong
        if not _supported(first_end):
            return  # the end field says what is wrong with it
        if _shifted(first_end, repeat, count - 1).year > LAST_SUPPORTED_YEAR:
            raise ValidationError(
                f"The last of {count} {repeat} events would end after {LAST_SUPPORTED_YEAR}; "
                f"dates from {SUPPORTED_YEARS} are supported. Start earlier or make fewer events."
            )


REASON_CHARS = 1000


def _reason_field(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            Optional(),
            Length(max=REASON_CHARS, message=f"Keep the reason under {REASON_CHARS:,} characters."),
        ],
        filters=[lambda text: (text or "").strip()],
    )


class CancelEventForm(FlaskForm):
    """The confirmation page of a cancellation: why, in the organisers' words."""

    reason = _reason_field("Reason (goes into the email and onto the event page)")
    expected = HiddenField()  # how many people the page said it would email
    submit = SubmitField("Cancel the event")


class ChangeNoticeForm(FlaskForm):
    """The confirmation step of an edit attendees are told about; the edit form carries the
    CSRF token, this one only the organiser's note and their yes."""

    class Meta:
        csrf = False

    change_reason = _reason_field("Why it changed (optional, goes into the email)")
    confirmed = HiddenField()
    expected = HiddenField()  # how many people the page said it would email


def reach_changed(form, people: list) -> bool:
    """The page said it would email a different number of people than it now would: the
    organiser confirms again, seeing the new number, before anything is sent."""
    expected = (form.expected.data or "").strip()
    if not expected.isdigit() or int(expected) == len(people):
        return False
    form.form_errors.append(
        f"Since the page opened, the number of people to email changed from {int(expected):,} "
        f"to {len(people):,}. Check the page and confirm again."
    )
    return True


class RsvpForm(FlaskForm):
    name = name_field("Your name", required=True)
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)])
    submit = SubmitField("Register")


class RegistrationLinkForm(FlaskForm):
    """For people who lost the email with the link to their registration."""

    email = EmailField("Email you registered with", validators=[DataRequired(), Length(max=320)])
    submit = SubmitField("Email me my link")


def _aware(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """The local wall time as UTC; an hour repeated when clocks go back means the first."""
    return moment.replace(tzinfo=zone).astimezone(UTC) if moment else None


def _supported(moment: datetime | None) -> bool:
    return moment is not None and is_supported(moment)


def _check_moment(moment: datetime | None, zone: ZoneInfo) -> None:
    if moment is not None and not is_supported(moment):
        raise ValidationError(
            f"The year {moment.year} is outside the dates the calendar keeps: "
            f"pick a date in the years {SUPPORTED_YEARS}."
        )
    _check_clock_exists(moment, zone)


def _shifted(moment: datetime, repeat: str, steps: int) -> datetime:
    """Roughly where a series' occurrence falls: enough to tell the year it ends in."""
    if repeat == "weekly":
        return moment + timedelta(weeks=steps)
    month_index = moment.month - 1 + steps
    return moment.replace(year=moment.year + month_index // 12, month=month_index % 12 + 1, day=1)


def _check_clock_exists(moment: datetime | None, zone: ZoneInfo) -> None:
    """A time skipped when clocks go forward (02:30 on a spring night) is no time at all."""
    if moment is None:
        return
    round_trip = moment.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != moment:
        raise ValidationError(
            f"{moment:%H:%M} does not exist on {moment:%d %b %Y} in {zone.key}: "
            "the clocks go forward then. Pick another time."
        )


def _tags(text: str | None) -> list[str]:
    seen = []
    for tag in (text or "").split(","):
        tag = tag.strip().lower()
        if tag and tag not in seen:
            seen.append(tag[:50])
    return seen[:20]
