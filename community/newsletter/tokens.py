"""Signed links in newsletter emails: confirm a subscription, manage it, leave it."""

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from community.config import settings

CONFIRM_MAX_AGE = 7 * 24 * 3600  # a confirmation link older than a week has to be asked again


def confirmation_token(subscriber_id: int, email: str) -> str:
    return _timed("newsletter-confirm").dumps([subscriber_id, email])


def subscriber_token(subscriber_id: int) -> str:
    """For the preferences and unsubscribe links; lasts as long as the subscription."""
    return _plain("newsletter-subscriber").dumps(subscriber_id)


def subscriber_from_token(token: str) -> int | None:
    try:
        value = _plain("newsletter-subscriber").loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def _timed(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings().SECRET_KEY, salt=salt)


def _plain(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(settings().SECRET_KEY, salt=salt)


def confirmation_link_owner(token: str) -> tuple[int, str, bool] | None:
    """(subscriber id, email, whether the link is past its week) of a genuine confirmation
    link; an old link still tells who it was for, so a used one can say so."""
    serializer = _timed("newsletter-confirm")
    try:
        subscriber_id, email = serializer.loads(token, max_age=CONFIRM_MAX_AGE)
        expired = False
    except SignatureExpired as error:
        try:
            subscriber_id, email = serializer.load_payload(error.payload)
        except (BadSignature, ValueError, TypeError):
            return None
        expired = True
    except (BadSignature, ValueError, TypeError):
        return None
    try:
        return int(subscriber_id), str(email), expired
    except (ValueError, TypeError):
        return None
