"""Rendering an issue: HTML with its CSS inlined (mail clients drop <style>) and plain text.

The rendered email keeps two placeholders that are filled per recipient at sending time,
so each email carries its own unsubscribe and preferences links; previews and test sends
fill them with links to a page that explains them. The issue is also rendered as a page
of the site, without the personal footer, for the archive and the feed.
"""

import re
from dataclasses import dataclass

import css_inline
from flask import render_template

from community.config import settings
from community.links import public_url
from community.newsletter.digest import DigestContent
from community.newsletter.plain_text import markdown_to_text
from community.rich_text import markdown_to_html

UNSUBSCRIBE_PLACEHOLDER = "%%UNSUBSCRIBE_URL%%"
PREFERENCES_PLACEHOLDER = "%%PREFERENCES_URL%%"
QUOTE_LIMIT = 300
_ADDRESS = re.compile(r"\S*(?:://|www\.)\S*", re.IGNORECASE)
# A zero-width space after these keeps mail apps from seeing a domain or address to link.
_JOINT = re.compile(r"([.:@])(?=\S)")
_FOOTER = re.compile(r'<p class="footer".*?</p>', re.DOTALL)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL)


@dataclass(frozen=True)
class RenderedIssue:
    html: str  # the email, CSS inlined, with the placeholders
    text: str  # its plain-text part, with the placeholders
    web_html: str  # the issue as a page of the site: no footer, no placeholders


def subject_for(content: DigestContent) -> str:
    return f"{settings().COMMUNITY_NAME} weekly — {content.week_of:%d %B %Y}"


def render_issue(content: DigestContent, intro: str) -> RenderedIssue:
    context = {
        "content": content,
        "intro": intro.strip(),
        "intro_html": markdown_to_html(intro) if intro.strip() else "",
        "intro_text": markdown_to_text(intro),
        "subject": subject_for(content),
        "community_name": settings().COMMUNITY_NAME,
        "archive_url": public_url("/newsletter/archive"),
        "calendar_url": public_url("/events.ics"),
        "member_words": member_words,
    }
    html = render_template("newsletter/email/digest.html", **context)
    text = render_template("newsletter/email/digest.txt", **context)
    web_html = render_template("newsletter/email/_issue_body.html", **context)
    return RenderedIssue(css_inline.inline(html), _tidy(text), web_html)


def member_words(text: str) -> str:
    """A member's words as the email quotes them: short, and with no address to follow."""
    text = _ADDRESS.sub("[link removed]", " ".join(text.split()))
    if len(text) > QUOTE_LIMIT:
        text = text[: QUOTE_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    return _JOINT.sub("\\1\u200b", text)


def personalise(rendered: str, *, unsubscribe_url: str, preferences_url: str) -> str:
    return rendered.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url).replace(
        PREFERENCES_PLACEHOLDER, preferences_url
    )


def example_links() -> dict[str, str]:
    """For copies no subscriber receives: pages that say what the link does in theirs."""
    return {
        "unsubscribe_url": public_url("/newsletter/example-link/unsubscribe"),
        "preferences_url": public_url("/newsletter/example-link/preferences"),
    }


def issue_page_html(web_html: str, email_html: str) -> str:
    """The issue as a page of the site; an issue rendered before pages existed shows its
    email's body without the personal footer."""
    if web_html:
        return web_html
    body = _BODY.search(email_html)
    return _FOOTER.sub("", body.group(1) if body else email_html)


def _tidy(text: str) -> str:
    """Jinja's block tags leave runs of blank lines; keep at most one."""
    lines, blank = [], False
    for line in text.splitlines():
        if not line.strip():
            if not blank and lines:
                lines.append("")
            blank = True
            continue
        lines.append(line.rstrip())
        blank = False
    return "\n".join(lines).strip() + "\n"
