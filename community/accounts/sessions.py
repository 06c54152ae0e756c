"""Flask-Login wiring: how a session cookie becomes an organiser, and how sessions start and end.

A session names the organiser and the session version it was opened with ("id:version");
raising the version on the server ends every session opened before, wherever its cookie is.
"""

import re

from flask import Blueprint, Flask, abort, session
from flask_login import current_user, login_required, login_user, logout_user

from community.db import get_session
from community.extensions import login_manager
from community.models import Organiser

SESSION_ID = re.compile(r"(\d+):(\d+)", re.ASCII)


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in as an organiser to see that page."
    login_manager.session_protection = "strong"


@login_manager.user_loader
def load_organiser(session_id: str) -> Organiser | None:
    match = SESSION_ID.fullmatch(session_id)
    if match is None:
        return None
    organiser = get_session().get(Organiser, int(match[1]))
    if organiser is None or not organiser.active:
        return None
    return organiser if organiser.session_version == int(match[2]) else None


def start_session(organiser: Organiser) -> None:
    """A fresh session, CSRF token included: nothing from before the login carries over."""
    session.clear()
    session.permanent = True  # re-signed on every request: LOGIN_IDLE_MINUTES after the last
    login_user(organiser)


def end_session() -> None:
    logout_user()
    session.clear()


def organisers_only(blueprint: Blueprint) -> None:
    """Every view of this blueprint requires a logged-in organiser: a reviewer's or door
    helper's account is refused, since it may see only its conferences' pages."""

    @blueprint.before_request
    @login_required
    def _require_organiser():
        if not current_user.is_organiser:
            abort(403)
        return None
