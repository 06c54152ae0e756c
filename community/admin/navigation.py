"""The admin menu. Each feature adds its organiser pages here, so the layout never changes."""

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class NavEntry:
    label: str
    endpoint: str
    # The pages reached from this one (an event's page under Events): exact endpoints, or
    # a blueprint's every page when the name ends with a dot ("event_admin.").
    covers: tuple[str, ...] = ()

    def available(self) -> bool:
        """Whether the app has the page: a feature not installed leaves the menu as it is."""
        return self.endpoint in current_app.view_functions

    def current(self, endpoint: str | None) -> str | None:
        """The link's aria-current: "page" on its own page, "true" on a page under it."""
        if endpoint is None:
            return None
        if endpoint == self.endpoint:
            return "page"
        for covered in self.covers:
            if endpoint == covered or (covered.endswith(".") and endpoint.startswith(covered)):
                return "true"
        return None


ADMIN_NAVIGATION: list[NavEntry] = [
    NavEntry("Dashboard", "admin.dashboard"),
    NavEntry("Events", "event_admin.event_list", covers=("event_admin.",)),
    NavEntry(
        "Conferences",
        "conference_admin.conference_list",
        covers=(
            "conference_admin.",
            "afterwards.recordings_page",
            "afterwards.feedback_results",
            "check_in.session_attendance",
        ),
    ),
    NavEntry("Newsletter", "newsletter_admin.issue_list", covers=("newsletter_admin.",)),
    NavEntry("Pairing", "pairing.overview", covers=("pairing.",)),
    NavEntry("Feeds", "knowledge.feeds", covers=("knowledge.confirm_remove_feed",)),
    NavEntry(
        "Knowledge items",
        "knowledge.items",
        covers=("knowledge.edit_item", "knowledge.confirm_delete_item"),
    ),
    NavEntry("Curation queue", "knowledge.curation_queue", covers=("knowledge.edit_pending_item",)),
    NavEntry("Unanswered questions", "answers.unanswered", covers=("answers.answer_as_faq_entry",)),
    NavEntry("Answer feedback", "answers.answer_feedback"),
    NavEntry("Gaps", "answers.gaps"),
    NavEntry("Outbox", "outbox.overview", covers=("outbox.",)),
    NavEntry("Scheduled jobs", "admin.jobs"),
]
