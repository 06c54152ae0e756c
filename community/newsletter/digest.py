"""What goes into a week's digest, gathered from the database as plain values."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlmodel import Session, distinct, func, select

from community.events.formatting import event_when, event_where
from community.knowledge.items import web_url
from community.links import public_event_url, public_item_url
from community.models import (
    AnswerFeedback,
    ContentItem,
    Event,
    EventStatus,
    ItemKind,
    ItemStatus,
    PairingGroup,
    PairingGroupMember,
    PairingRound,
    Source,
)

ITEMS_PER_SECTION = 8
# An item published this long before the week began but first seen in the week (a feed
# polled just after the last issue went out) is still news in this one.
LATE_ARRIVAL = timedelta(days=1)
EVENT_WEEKS_AHEAD = 3
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class SendingSchedule:
    """When the weekly issue goes out: a weekday and a local time in the community's zone."""

    timezone: str
    weekday: str = "mon"
    time_of_day: time = time(9, 0)

    def send_moment(self, monday: date) -> datetime:
        """The moment the issue of the week starting on `monday` is due to be sent."""
        day = monday + timedelta(days=WEEKDAYS.index(self.weekday))
        return datetime.combine(day, self.time_of_day, ZoneInfo(self.timezone))


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str | None  # the original, where there is one
    source: str
    summary: str
    page_url: str  # the item's own page here


@dataclass(frozen=True)
class DigestEvent:
    title: str
    url: str
    when: str
    where: str


@dataclass(frozen=True)
class CitedItem:
    title: str
    page_url: str


@dataclass(frozen=True)
class HelpfulCandidate:
    """An answer enough members found helpful; its question is a member's unreviewed words."""

    key: str  # AnswerFeedback.answer_key
    question: str
    members: int  # distinct members whose verdict is Helpful
    items: list[CitedItem]  # the published items it cited


@dataclass(frozen=True)
class HelpfulAnswer:
    """As the email shows it: the member's question only once an organiser approved it."""

    question: str | None
    members: int
    items: list[CitedItem]


@dataclass(frozen=True)
class PairingSummary:
    round_date: date
    groups: int
    people: int


@dataclass
class DigestContent:
    week_of: date  # the Monday of the week the issue is sent in
    posts: list[DigestItem] = field(default_factory=list)
    episodes: list[DigestItem] = field(default_factory=list)
    faqs: list[DigestItem] = field(default_factory=list)
    threads: list[DigestItem] = field(default_factory=list)  # solved in Slack, approved
    events: list[DigestEvent] = field(default_factory=list)
    helpful_candidates: list[HelpfulCandidate] = field(default_factory=list)
    helpful_answers: list[HelpfulAnswer] = field(default_factory=list)  # after the review
    pairing: PairingSummary | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.posts or self.episodes or self.faqs or self.threads or self.events)


def week_of(moment: datetime, timezone: str) -> date:
    """The Monday of the week `moment` falls in, in the community's zone."""
    local = moment.astimezone(ZoneInfo(timezone)).date()
    return local - timedelta(days=local.weekday())


def issue_week_for(moment: datetime, schedule: SendingSchedule) -> date:
    """The week of the first issue whose "New" sections take in what arrives at `moment`."""
    monday = week_of(moment, schedule.timezone)
    return monday if moment < schedule.send_moment(monday) else monday + timedelta(days=7)


def gather_digest(
    session: Session,
    monday: date,
    schedule: SendingSchedule,
    now: datetime,
    *,
    helpful_min_members: int,
) -> DigestContent:
    """The week's issue as it reads when built at `now`.

    "New" is what was published in the seven days before the issue's send moment (what has
    no publication date counts from when it was first seen), so importing an archive of old
    posts never fills an issue; "Coming up" is the three weeks after it. The issue reads
    the same whichever weekday it is built on. An issue built late leaves out events that
    have already started. Helpful answers are only candidates here: what the email says of
    them waits for an organiser's review.
    """
    end = schedule.send_moment(monday)
    start = end - timedelta(days=7)
    return DigestContent(
        week_of=monday,
        posts=_new_items(session, ItemKind.POST, start, end),
        episodes=_new_items(session, ItemKind.EPISODE, start, end),
        faqs=_new_items(session, ItemKind.FAQ, start, end),
        threads=_new_items(session, ItemKind.THREAD, start, end),
        events=_upcoming_events(session, max(end, now), end + timedelta(weeks=EVENT_WEEKS_AHEAD)),
        helpful_candidates=_helpful_candidates(session, start, end, helpful_min_members),
        pairing=_pairing_summary(session, start.date(), end.date()),
    )


def _news_in_week(start: datetime, end: datetime):
    """Published in the week and known by its end; or first seen in the week, just late."""
    published = func.coalesce(ContentItem.published_at, ContentItem.created_at)
    return or_(
        and_(published >= start, published < end, ContentItem.created_at < end),
        and_(
            ContentItem.created_at >= start,
            ContentItem.created_at < end,
            ContentItem.published_at >= start - LATE_ARRIVAL,
            ContentItem.published_at < start,
        ),
    )


def _new_items(session: Session, kind: str, start: datetime, end: datetime) -> list[DigestItem]:
    statement = (
        select(ContentItem, Source)
        .join(Source, ContentItem.source_id == Source.id)
        .where(
            ContentItem.kind == kind,
            ContentItem.status == ItemStatus.PUBLISHED,
            _news_in_week(start, end),
        )
        .order_by(ContentItem.published_at.desc().nulls_last(), ContentItem.id.desc())
        .limit(ITEMS_PER_SECTION)
    )
    return [
        DigestItem(
            item.title,
            web_url(item.url),
            source.name,
            _short(item.summary or item.body_text),
            public_item_url(item.id),
        )
        for item, source in session.exec(statement)
    ]


def _upcoming_events(session: Session, start: datetime, end: datetime) -> list[DigestEvent]:
    statement = (
        select(Event)
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at >= start,
            Event.starts_at < end,
        )
        .order_by(Event.starts_at)
        .limit(ITEMS_PER_SECTION)
    )
    return [
        DigestEvent(event.title, public_event_url(event), event_when(event), event_where(event))
        for event in session.exec(statement)
    ]


def _helpful_candidates(
    session: Session, start: datetime, end: datetime, min_members: int
) -> list[HelpfulCandidate]:
    """The answers most members found helpful that week, at least `min_members` of them."""
    in_week = (
        AnswerFeedback.helpful.is_(True),
        AnswerFeedback.given_by.is_not(None),
        AnswerFeedback.created_at >= start,
        AnswerFeedback.created_at < end,
    )
    members = func.count(distinct(AnswerFeedback.given_by))
    ranked = session.exec(
        select(AnswerFeedback.answer_key, members)
        .where(*in_week)
        .group_by(AnswerFeedback.answer_key)
        .having(members >= min_members)
        .order_by(
            members.desc(), func.max(AnswerFeedback.created_at).desc(), AnswerFeedback.answer_key
        )
        .limit(ITEMS_PER_SECTION)
    ).all()
    latest = _latest_votes(session, [key for key, _ in ranked], in_week)
    return [
        HelpfulCandidate(
            key,
            latest[key].question.strip(),
            count,
            _cited_items(session, latest[key].doc_ids),
        )
        for key, count in ranked
    ]


def _latest_votes(session: Session, keys: list[str], in_week) -> dict[str, AnswerFeedback]:
    statement = (
        select(AnswerFeedback)
        .where(AnswerFeedback.answer_key.in_(keys), *in_week)
        .order_by(AnswerFeedback.created_at.desc(), AnswerFeedback.id.desc())
    )
    latest: dict[str, AnswerFeedback] = {}
    for vote in session.exec(statement):
        latest.setdefault(vote.answer_key, vote)
    return latest


def _cited_items(session: Session, doc_ids: list[str]) -> list[CitedItem]:
    """The published items among `doc_ids`, in the order the answer cited them."""
    item_ids = list(
        dict.fromkeys(
            int(doc_id.removeprefix("item:"))
            for doc_id in doc_ids
            if doc_id.startswith("item:") and doc_id.removeprefix("item:").isdigit()
        )
    )
    if not item_ids:
        return []
    titles = dict(
        session.exec(
            select(ContentItem.id, ContentItem.title).where(
                ContentItem.id.in_(item_ids), ContentItem.status == ItemStatus.PUBLISHED
            )
        ).all()
    )
    return [
        CitedItem(titles[item_id], public_item_url(item_id))
        for item_id in item_ids
        if item_id in titles
    ]


def _pairing_summary(session: Session, start: date, end: date) -> PairingSummary | None:
    pairing_round = session.exec(
        select(PairingRound)
        .where(PairingRound.round_date >= start, PairingRound.round_date < end)
        .order_by(PairingRound.round_date.desc())
    ).first()
    if pairing_round is None:
        return None
    groups = session.exec(
        select(func.count())
        .select_from(PairingGroup)
        .where(PairingGroup.round_id == pairing_round.id)
    ).one()
    people = session.exec(
        select(func.count())
        .select_from(PairingGroupMember)
        .join(PairingGroup, PairingGroupMember.group_id == PairingGroup.id)
        .where(PairingGroup.round_id == pairing_round.id)
    ).one()
    return PairingSummary(pairing_round.round_date, groups, people)


def _short(text: str, limit: int = 220) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
