"""Tag spelling shared by every importer, so the same tag from two sources is one tag."""

import re


def normalise_tag(tag: str) -> str:
    """Lowercase, '/' spelled 'slash' and whitespace collapsed: 'CI/CD' -> 'cislashcd'."""
    spelled = tag.strip().lower().replace("/", "slash")
    return re.sub(r"\s+", " ", spelled)


def normalise_tags(tags) -> list[str]:
    seen: dict[str, None] = {}
    for tag in tags or []:
        normalised = normalise_tag(str(tag))
        if normalised:
            seen.setdefault(normalised)
    return list(seen)
