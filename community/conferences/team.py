"""Who may do what at a conference: organisers everything, the reviewers and door helpers
they named only their part."""

from sqlmodel import Session, select

from community.models import Conference, ConferenceTeamMember, Organiser, TeamRole


def has_role(session: Session, organiser: Organiser, conference: Conference, role: str) -> bool:
    """Organisers may do everything; a team account only what it was named for."""
    if organiser.is_organiser:
        return True
    statement = select(ConferenceTeamMember.id).where(
        ConferenceTeamMember.conference_id == conference.id,
        ConferenceTeamMember.organiser_id == organiser.id,
        ConferenceTeamMember.role == role,
    )
    return session.exec(statement).first() is not None


def can_review(session: Session, organiser: Organiser, conference: Conference) -> bool:
    return has_role(session, organiser, conference, TeamRole.REVIEWER)


def can_check_in(session: Session, organiser: Organiser, conference: Conference) -> bool:
    return has_role(session, organiser, conference, TeamRole.HELPER)


def team_conferences(session: Session, organiser: Organiser) -> list[tuple[Conference, str]]:
    """The conferences a team account was named for, with the role at each."""
    statement = (
        select(Conference, ConferenceTeamMember.role)
        .join(ConferenceTeamMember, ConferenceTeamMember.conference_id == Conference.id)
        .where(ConferenceTeamMember.organiser_id == organiser.id)
        .order_by(Conference.acronym, ConferenceTeamMember.role)
    )
    return list(session.exec(statement))
