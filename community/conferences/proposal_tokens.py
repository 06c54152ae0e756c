"""Signed links that let a speaker see, edit and withdraw their proposal without an account."""

from itsdangerous import BadSignature, URLSafeSerializer

from community.config import settings
from community.links import public_url
from community.models import Conference, Proposal

SALT = "conference-proposal"


def proposal_token(proposal: Proposal) -> str:
    return _serializer().dumps([proposal.conference_id, proposal.id])


def proposal_url(conference: Conference, proposal: Proposal) -> str:
    return public_url(f"/conferences/{conference.acronym}/cfp/proposals/{proposal_token(proposal)}")


def proposal_id_from(token: str, conference: Conference) -> int | None:
    """The proposal the token was signed for, if it was signed for this conference."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(_is_id(part) for part in value)):
        return None
    conference_id, proposal_id = value
    return proposal_id if conference_id == conference.id else None


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(settings().SECRET_KEY, salt=SALT)
