"""Forms every area uses."""

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """A button that posts only its CSRF token."""
