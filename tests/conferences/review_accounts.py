"""Team accounts for review tests: a reviewer is an organiser account of role "team", named
for one conference, that logs in through the login page like any organiser."""

from werkzeug.security import generate_password_hash

from community.models import ConferenceTeamMember, Organiser, TeamRole

TEAM_PASSWORD = "a long enough team password"


def add_team_account(
    session, conference, email: str, *, name: str = "", role: str = TeamRole.REVIEWER
) -> Organiser:
    """Hashed as community/accounts/services.py hashes an organiser's password."""
    account = Organiser(
        email=email, name=name, role="team", password_hash=generate_password_hash(TEAM_PASSWORD)
    )
    session.add(account)
    session.flush()
    session.add(
        ConferenceTeamMember(conference_id=conference.id, organiser_id=account.id, role=role)
    )
    session.commit()
    return account
