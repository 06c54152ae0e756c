"""Organiser dashboard and the scheduler's job history."""

from flask import Blueprint, render_template
from sqlalchemy import func
from sqlmodel import select

from community.accounts.forms import LogoutForm
from community.accounts.sessions import organisers_only
from community.admin.navigation import ADMIN_NAVIGATION
from community.db import get_session
from community.models import ContentItem, Event, Member, Source, Subscriber
from community.scheduler.status import recent_runs

blueprint = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
organisers_only(blueprint)


@blueprint.app_context_processor
def admin_layout_context():
    return {"admin_navigation": ADMIN_NAVIGATION, "logout_form": LogoutForm}


@blueprint.get("/")
def dashboard():
    session = get_session()
    counts = {
        label: session.exec(select(func.count()).select_from(model)).one()
        for label, model in (
            ("Knowledge items", ContentItem),
            ("Sources", Source),
            ("Events", Event),
            ("Slack members", Member),
            ("Subscribers", Subscriber),
        )
    }
    return render_template("admin/dashboard.html", counts=counts, runs=recent_runs(session, 10))


@blueprint.get("/jobs")
def jobs():
    return render_template("admin/jobs.html", runs=recent_runs(get_session(), 100))
