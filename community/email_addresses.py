"""Checking and normalising email addresses people type in."""

from email_validator import EmailNotValidError, validate_email


class InvalidEmail(ValueError):
    pass


def normalise_email(email: str) -> str:
    """Lower-cased and normalised, or InvalidEmail with a message for the person."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise InvalidEmail(f"“{email.strip()[:100]}” is not an email address: {error}") from error
