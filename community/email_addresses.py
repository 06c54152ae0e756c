"""Checking and normalising email addresses people type in.

email_validator is imported when first used because, with the IDNA tables it loads, it costs
every `flask` command some 20 ms at start.
"""


class InvalidEmail(ValueError):
    pass


def normalise_email(email: str, *, check: bool = True) -> str:
    """Lower-cased and normalised, or InvalidEmail with a message for the person.

    `check=False` is for looking up what someone typed at a login: anything that is not
    an address gets its stripped, lower-cased form, which matches no stored address.
    """
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        if not check:
            return email.strip().lower()
        raise InvalidEmail(f"“{email.strip()[:100]}” is not an email address: {error}") from error
