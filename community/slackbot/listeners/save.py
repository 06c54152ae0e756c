"""The "Save to knowledge base" message shortcut: a link in any message goes to curation."""

import re
from typing import TYPE_CHECKING

from community.config import settings
from community.db import session_scope
from community.fetch_policy import fetch_policy
from community.knowledge.curation import CurationError, propose_post
from integrations.slack.text import escape

if TYPE_CHECKING:
    from slack_bolt import App

SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
BARE_LINK = re.compile(r"https?://\S+")


def register(bolt: "App") -> None:
    bolt.shortcut("save_to_knowledge_base")(ack=acknowledge, lazy=[save_link])


def acknowledge(ack):
    ack()


def save_link(shortcut, respond):
    url = first_link(shortcut.get("message", {}).get("text", ""))
    if url is None:
        respond(response_type="ephemeral", text="That message has no link to save.")
        return
    respond(response_type="ephemeral", text=escape(_save(url, shortcut["user"]["id"])))


def _save(url: str, slack_user_id: str) -> str:
    """Queues the post for organisers; returns what to tell the member."""
    try:
        with session_scope() as session:
            item = propose_post(
                session=session,
                url=url,
                submitted_by=f"slack:{slack_user_id}",
                policy=fetch_policy(settings()),
            )
            title, status = item.title, item.status
    except CurationError as error:
        return f"I could not save {url}: {error}"
    if status == "pending":
        return f"Saved “{title}”. Organisers will review it before it joins the knowledge base."
    return f"“{title}” is already in the knowledge base."


def first_link(text: str) -> str | None:
    """Slack writes links as <url|label> or <url>; pasted text may hold a bare URL."""
    slack_link = SLACK_LINK.search(text)
    if slack_link:
        return slack_link.group(1)
    bare = BARE_LINK.search(text)
    return bare.group(0) if bare else None
