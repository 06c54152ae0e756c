"""The "Save to knowledge base" message shortcut: a link in any message goes to curation.

The page is fetched on the link-save pool (`community.slackbot.link_saves`), never on the
threads that acknowledge Slack, and the member hears how it went once it is done.
"""

import re
from functools import partial
from typing import TYPE_CHECKING

from community.config import settings
from community.db import session_scope
from community.fetch_policy import link_save_policy
from community.knowledge.curation import CurationError, propose_post
from community.slackbot.link_saves import Admission, link_saves
from integrations.slack.text import escape

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_bolt.context.respond import Respond

SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
BARE_LINK = re.compile(r"https?://\S+")


def register(bolt: "App") -> None:
    bolt.shortcut("save_to_knowledge_base")(save_link)


def save_link(ack, shortcut, respond):
    ack()
    url = first_link(shortcut.get("message", {}).get("text", ""))
    if url is None:
        respond(response_type="ephemeral", text="That message has no link to save.")
        return
    member = shortcut["user"]["id"]
    admission = link_saves().submit(
        member, save=partial(_save, url, member), tell=partial(_tell, respond)
    )
    if admission is not Admission.ACCEPTED:
        respond(response_type="ephemeral", text=escape(_refusal(admission, url)))


def _refusal(admission: Admission, url: str) -> str:
    if admission is Admission.MEMBER_AT_LIMIT:
        return (
            f"I am still saving your earlier links, so I did not save {url}. "
            "I will tell you how each one went; save this one again after that."
        )
    return (
        f"Many links are being saved right now, so I did not save {url}. "
        "Please try again in a minute."
    )


def _tell(respond: "Respond", text: str) -> None:
    respond(response_type="ephemeral", text=escape(text))


def _save(url: str, slack_user_id: str) -> str:
    """Queues the post for organisers; returns what to tell the member."""
    try:
        with session_scope() as session:
            item = propose_post(
                session=session,
                url=url,
                submitted_by=f"slack:{slack_user_id}",
                policy=link_save_policy(settings()),
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
