from flask import Blueprint, render_template

from community.db import get_session
from community.events.queries import upcoming_events
from community.knowledge.queries import latest_items

blueprint = Blueprint("home", __name__, template_folder="templates")


@blueprint.get("/")
def index():
    session = get_session()
    return render_template(
        "home/index.html",
        items=latest_items(session=session),
        events=upcoming_events(session=session),
    )
