"""The public site's menu, marked like the organisers' one: a section's pages mark its link."""

from community.admin.navigation import NavEntry

SITE_NAVIGATION: list[NavEntry] = [
    NavEntry("Events", "events.event_list", covers=("events.",)),
    NavEntry("Conferences", "agenda.conference_list", covers=("agenda.", "proposals.")),
    NavEntry("Newsletter", "newsletter.subscribe_page", covers=("newsletter.",)),
    NavEntry("Search", "search.search_page", covers=("item_pages.",)),
]
