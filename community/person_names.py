"""Names strangers type into public forms (RSVP, subscribe): one line, at most 100 characters,
and inert in the emails that greet them.

A form with a name and an email address lets anyone put their own words into an email sent
to any address. Kept to one short line, and written so that no mail client turns it into a
link, those words cannot carry a second paragraph, a fake signature or somewhere to click.
"""

import unicodedata

from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

MAX_NAME_LENGTH = 100
# Joiners that some scripts and emoji need; every other invisible format character
# (bidirectional overrides among them) can only disguise text.
_KEPT_FORMAT_CHARACTERS = {"\u200c", "\u200d"}
# Look-alikes for the characters a link needs: "evil.example", "http://", "someone@host".
_INERT_LOOKALIKES = str.maketrans(
    {
        ".": "\u2024",  # one dot leader
        "/": "\u2215",  # division slash
        ":": "\ua789",  # modifier letter colon
        "@": "\uff20",  # fullwidth commercial at
    }
)


def one_line_name(text: str | None) -> str:
    """Whitespace runs (line breaks included) as one space, invisible characters dropped,
    cut to MAX_NAME_LENGTH."""
    visible = "".join(character for character in text or "" if not _invisible(character))
    return " ".join(visible.split())[:MAX_NAME_LENGTH]


def name_for_email(name: str) -> str:
    """The name as plain text that reads the same but that no mail client can link."""
    return one_line_name(name).translate(_INERT_LOOKALIKES)


def _invisible(character: str) -> bool:
    if character.isspace():
        return False  # whitespace becomes a single space instead
    category = unicodedata.category(character)
    return category == "Cc" or (category == "Cf" and character not in _KEPT_FORMAT_CHARACTERS)


class OneLineName:
    """Form validator: a name on one line, without control characters."""

    message = "Please write your name on one line."

    def __call__(self, form, field) -> None:
        text = field.data or ""
        if any(_breaks_the_line(character) for character in text):
            raise ValidationError(self.message)


def _breaks_the_line(character: str) -> bool:
    return unicodedata.category(character) in ("Cc", "Zl", "Zp")


def name_field(label: str, *, required: bool) -> StringField:
    """A free-text name: one line, at most MAX_NAME_LENGTH characters, trimmed."""
    return StringField(
        label,
        validators=[
            DataRequired() if required else Optional(),
            OneLineName(),
            Length(
                max=MAX_NAME_LENGTH,
                message=f"Please keep your name within {MAX_NAME_LENGTH} characters.",
            ),
        ],
        filters=[lambda text: text.strip() if text else text],
    )
