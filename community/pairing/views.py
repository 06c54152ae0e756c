"""The organiser page: participation, met rate and repeat rate per round, with a chart."""

from flask import Blueprint, current_app, render_template

from community.accounts.sessions import organisers_only
from community.config import settings
from community.db import get_session
from community.pagination import requested_page
from community.pairing.stats import round_stats

blueprint = Blueprint("pairing", __name__, url_prefix="/admin/pairing", template_folder="templates")
organisers_only(blueprint)


@blueprint.get("/")
def overview():
    page = round_stats(
        get_session(),
        window=settings().PAIRING_AVOID_ROUNDS,
        number=requested_page(),
        cache=current_app.extensions.setdefault("pairing_round_figures", {}),
    )
    return render_template(
        "pairing/overview.html",
        rounds=page.rows,
        page=page,
        chart=_chart(list(reversed(page.rows))),
    )


def _chart(stats) -> dict:
    """Bar heights for participants and met rate, oldest round on the left."""
    most = max((s.participants for s in stats), default=0) or 1
    return {
        "bars": [
            {
                "label": f"{s.round_date:%d %b}",
                "participants": s.participants,
                "height": round(120 * s.participants / most),
                "met": round(120 * (s.met_rate or 0)),
                "met_percent": round(100 * s.met_rate) if s.met_rate is not None else None,
            }
            for s in stats
        ]
    }
