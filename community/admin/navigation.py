"""The admin menu. Each feature adds its organiser pages here, so the layout never changes."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavEntry:
    label: str
    endpoint: str


ADMIN_NAVIGATION: list[NavEntry] = [
    NavEntry("Dashboard", "admin.dashboard"),
    NavEntry("Events", "event_admin.event_list"),
    NavEntry("Newsletter", "newsletter_admin.issue_list"),
    NavEntry("Pairing", "pairing.overview"),
    NavEntry("Feeds", "knowledge.feeds"),
    NavEntry("Curation queue", "knowledge.curation_queue"),
    NavEntry("Unanswered questions", "answers.unanswered"),
    NavEntry("Answer feedback", "answers.answer_feedback"),
    NavEntry("Gaps", "answers.gaps"),
    NavEntry("Outbox", "outbox.overview"),
    NavEntry("Scheduled jobs", "admin.jobs"),
]
