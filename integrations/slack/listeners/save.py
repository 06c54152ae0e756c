"""The "Save to knowledge base" message shortcut: a link in any message goes to curation."""

import re
from collections.abc import Callable

from slack_bolt import App

from integrations.slack.text import escape

SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
BARE_LINK = re.compile(r"https?://\S+")

# (url, slack user id) -> a sentence for the person who saved it
Saver = Callable[[str, str], str]


def register(app: App, save: Saver) -> None:
    def acknowledge(ack):
        ack()

    def save_link(shortcut, respond):
        url = first_link(shortcut.get("message", {}).get("text", ""))
        if url is None:
            respond(response_type="ephemeral", text="That message has no link to save.")
            return
        respond(response_type="ephemeral", text=escape(save(url, shortcut["user"]["id"])))

    app.shortcut("save_to_knowledge_base")(ack=acknowledge, lazy=[save_link])


def first_link(text: str) -> str | None:
    """Slack writes links as <url|label> or <url>; pasted text may hold a bare URL."""
    slack_link = SLACK_LINK.search(text)
    if slack_link:
        return slack_link.group(1)
    bare = BARE_LINK.search(text)
    return bare.group(0) if bare else None
