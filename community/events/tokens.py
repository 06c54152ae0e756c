"""Signed links that let a person manage their registration without an account."""

from itsdangerous import BadSignature, URLSafeSerializer

from community.config import settings
from community.links import public_url

SALT = "event-registration"


def registration_token(registration_id: int) -> str:
    return _serializer().dumps(registration_id)


def manage_url(registration_id: int) -> str:
    """The registration's own page, where its holder sees, confirms or cancels it."""
    return public_url(f"/events/registration/{registration_token(registration_id)}")


def registration_id_from(token: str) -> int | None:
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(settings().SECRET_KEY, salt=SALT)
