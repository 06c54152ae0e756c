"""Slack mrkdwn from text the service does not control: titles, names, URLs, questions.

Slack reads `<…>` as links, mentions and `<!channel>`-style broadcasts, so every piece of
content goes through `escape`, and every link is built by `link`, which also keeps a URL
from closing the link early or carrying a label of its own.
"""

import re
from urllib.parse import quote, urlsplit

# Characters that would end or split `<url|label>`, and whitespace Slack would not link.
_URL_SAFE = "".join(chr(c) for c in range(33, 127) if chr(c) not in '<>|"`\\^{}')


def escape(text: str) -> str:
    """Slack's mrkdwn treats &, < and > as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str | None, label: str) -> str:
    """`<url|label>` for an http(s) URL; the escaped label alone for anything else."""
    target = safe_url(url)
    return f"<{target}|{escape(label)}>" if target else escape(label)


def safe_url(url: str | None) -> str | None:
    if not url or urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        return None
    return quote(url.strip(), safe=_URL_SAFE + "%")


_ANGLED = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


def plain_text(mrkdwn: str) -> str:
    """A message's text as a reader sees it: links as "label (url)", channels as #name."""

    def readable(match: re.Match) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            return f"@{label or target[1:]}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!"):
            return f"@{label or target[1:].split('^')[0]}"
        return f"{label} ({target})" if label and label != target else target

    text = _ANGLED.sub(readable, mrkdwn)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
