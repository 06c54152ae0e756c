"""Control characters in text from outside: refused in requests, removed from imports.

No text a person types holds C0 control characters other than tab, line feed and carriage
return, and PostgreSQL refuses NUL in every text column, so one stray byte would otherwise
turn a request into a 500 or make every poll of a feed fail.
"""

import re

_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_control_characters(text: str) -> bool:
    return _CONTROL_CHARACTER.search(text) is not None


def without_control_characters(text: str) -> str:
    return _CONTROL_CHARACTER.sub("", text)
