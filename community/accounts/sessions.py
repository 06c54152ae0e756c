"""Flask-Login wiring: how a session cookie becomes an organiser."""

from flask import Blueprint, Flask
from flask_login import login_required

from community.db import get_session
from community.extensions import login_manager
from community.models import Organiser


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in as an organiser to see that page."
    login_manager.session_protection = "strong"


@login_manager.user_loader
def load_organiser(organiser_id: str) -> Organiser | None:
    organiser = get_session().get(Organiser, int(organiser_id))
    return organiser if organiser and organiser.active else None


def organisers_only(blueprint: Blueprint) -> None:
    """Every view of this blueprint requires a logged-in organiser."""

    @blueprint.before_request
    @login_required
    def _require_organiser():
        return None
