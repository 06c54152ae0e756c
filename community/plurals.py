"""Counts in words that read right for one and for many: "1 person", "34 people"."""

# Nouns whose plural is not the singular with an "s".
IRREGULAR = {
    "person": "people",
    "registered person": "registered people",
    "reply": "replies",
    "entry": "entries",
    "match": "matches",
    "inbox": "inboxes",
    "address": "addresses",
}


def plural(noun: str) -> str:
    return IRREGULAR.get(noun, noun + "s")


def counted(count: int, noun: str, many: str | None = None) -> str:
    """`count` and the noun in the form it takes: counted(1, "person") is "1 person",
    counted(3, "person") is "3 people"; `many` names an irregular plural."""
    word = noun if count == 1 else (many or plural(noun))
    return f"{count:,} {word}"
