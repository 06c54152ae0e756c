"""Keeping a member's row in step with their Slack profile."""

from sqlmodel import Session, select

from community.models import Member
from community.models.types import utcnow
from integrations.slack.users import SlackProfile


def find_member(session: Session, slack_id: str) -> Member | None:
    return session.exec(select(Member).where(Member.slack_id == slack_id)).first()


def remember_member(session: Session, slack_id: str, profile: SlackProfile | None) -> Member:
    """The member for a Slack user, created on first sight and refreshed from the profile."""
    member = find_member(session, slack_id)
    if member is None:
        member = Member(slack_id=slack_id, name=profile.name if profile else slack_id)
        session.add(member)
    if profile is not None:
        member.name = profile.name[:200]
        member.email = profile.email or member.email
        member.tz, member.tz_offset = profile.tz, profile.tz_offset
        member.is_bot, member.deleted = profile.is_bot, profile.deleted
        member.status_text, member.status_emoji = (
            profile.status_text[:200],
            profile.status_emoji[:100],
        )
        member.status_expires_at = profile.status_expires_at
        member.updated_at = utcnow()
    session.flush()
    return member
