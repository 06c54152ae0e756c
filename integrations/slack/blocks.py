"""Block Kit for answers, cut to Slack's limits (50 blocks, 3000 characters a section)."""

import json
from dataclasses import dataclass
from datetime import datetime

from integrations.slack.text import escape, link

SECTION_LIMIT = 3000
BUTTON_VALUE_LIMIT = 2000
KIND_LABELS = {
    "post": "Post",
    "episode": "Podcast episode",
    "recording": "Conference recording",
    "faq": "FAQ",
    "thread": "Slack thread",
    "event": "Event",
}


def answer_blocks(
    answer, *, shareable: bool = False, thread: tuple[str, str] | None = None
) -> list[dict]:
    """Blocks for an answer from the answer service (items with passages, matching events).

    An answer in a thread, `(channel, thread_ts)`, asks whether it solved the question and
    offers to find a person; elsewhere it asks whether it helped.
    """
    if not answer.found:
        return [section(_nothing_found_text(answer.question))]
    blocks = [section(_heading(answer))]
    for item in answer.items[:3]:
        blocks.append(section(_item_text(item)))
    if answer.events:
        blocks += _event_sections(answer.events)
    if thread:
        blocks.append(_solved_buttons(answer, *thread))
    else:
        blocks.append(_feedback_buttons(answer, shareable=shareable))
    return blocks[:50]


def answer_fallback_text(answer) -> str:
    if not answer.found:
        return _nothing_found_text(answer.question)
    label = "Might help" if _unsure(answer) else "Answer"
    return f"{label}: " + "; ".join(escape(item.title) for item in answer.items[:3])


def _unsure(answer) -> bool:
    return getattr(answer, "decision", "answer") == "might_help"


def _heading(answer) -> str:
    """Says how sure the bot is: a direct answer, or items that only might help."""
    question = escape(answer.question)
    if _unsure(answer):
        return f"I am not sure I have the answer to *{question}*; these might help:"
    return f"*{question}*"


def _nothing_found_text(question: str) -> str:
    return (
        f"I found nothing relevant for “{escape(question[:300])}” in the knowledge base. "
        "I have passed the question to the organisers."
    )


def _item_text(item) -> str:
    page = getattr(item, "page_url", None)
    title = link(page or item.url, item.title)
    details = [KIND_LABELS.get(item.kind, item.kind)]
    if item.source and page and item.url:
        details.append(link(item.url, item.source))
    elif item.source:
        details.append(escape(item.source))
    details += [short_date(item.published)] if item.published else []
    text = f"*{title}*\n_{' · '.join(details)}_\n> {escape(item.passage)}"
    return cut(text)


def _event_sections(events) -> list[dict]:
    """Matching upcoming events, each with an RSVP button."""
    blocks = [section("*Coming up*")]
    for event in events:
        title = link(event.url, event.title)
        block = section(f"{title} — {short_date(event.starts_at)}")
        event_id = event.doc_id.removeprefix("event:")
        if event_id.isdigit():
            block["accessory"] = button("event_rsvp", "RSVP", event_id)
        blocks.append(block)
    return blocks


def feedback_value(answer) -> str:
    """What a feedback button carries back: the question and the items shown."""
    doc_ids = [item.doc_id for item in answer.items[:3]]
    question = answer.question[: BUTTON_VALUE_LIMIT - 200]
    return json.dumps({"q": question, "d": doc_ids})


def _feedback_buttons(answer, *, shareable: bool) -> dict:
    value = feedback_value(answer)
    buttons = [
        button("answer_helpful", "Helpful", value),
        button("answer_not_helpful", "Not helpful", value),
    ]
    if shareable:
        buttons.append(button("share_answer", "Share in channel", answer.question))
    return {"type": "actions", "elements": buttons}


def _solved_buttons(answer, channel: str, thread_ts: str) -> dict:
    value = json.loads(feedback_value(answer)) | {"c": channel, "t": thread_ts}
    value = json.dumps(value)
    return {
        "type": "actions",
        "elements": [
            button("answer_helpful", "Solved", value),
            button("answer_need_help", "Still need help", value),
            button("answer_not_helpful", "Not helpful", value),
        ],
    }


def button(action_id: str, label: str, value: str) -> dict:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": value[:BUTTON_VALUE_LIMIT],
    }


def reason_modal(value: str) -> dict:
    """The short form a member sees after "Not helpful"; the reason is optional."""
    return {
        "type": "modal",
        "callback_id": "answer_feedback_reason",
        "private_metadata": value[:3000],
        "title": {"type": "plain_text", "text": "What was missing?"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "optional": True,
                "label": {"type": "plain_text", "text": "Tell the organisers (optional)"},
                "element": {"type": "plain_text_input", "action_id": "text", "multiline": True},
            }
        ],
    }


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text)}}


def cut(text: str) -> str:
    return text if len(text) <= SECTION_LIMIT else text[: SECTION_LIMIT - 1] + "…"


def short_date(moment: datetime | None) -> str:
    return f"{moment:%d %b %Y}" if moment else ""


@dataclass(frozen=True)
class EventCard:
    event_id: int
    title: str
    url: str
    when: str
    where: str


def event_blocks(cards: list[EventCard], *, heading: str | None = None) -> list[dict]:
    """One section per event with an RSVP button that registers from Slack."""
    blocks = [section(f"*{escape(heading)}*")] if heading else []
    for card in cards[:10]:
        text = f"*{link(card.url, card.title)}*\n{escape(card.when)}\n{escape(card.where)}"
        block = section(text)
        block["accessory"] = button("event_rsvp", "RSVP", str(card.event_id))
        blocks.append(block)
    return blocks
