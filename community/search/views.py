"""The public search page and the JSON search API."""

from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app, jsonify, render_template, request

from community.search.cli import hit_to_json
from search_index import SearchQuery

blueprint = Blueprint("search", __name__, template_folder="templates")

KINDS = ("post", "episode", "faq", "event")
MAX_LIMIT = 50


def _date_argument(name: str, *, end_of_day: bool = False) -> datetime | None:
    """`from` and `to` take ISO dates (2026-11-01) or date-times; a bad value is ignored.

    A date alone in `to` means the end of that day, so the day named is included.
    """
    value = request.args.get(name, "")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if end_of_day and len(value) == len("2026-11-01"):
        moment += timedelta(days=1, microseconds=-1)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _query_from_request() -> SearchQuery:
    kind = request.args.get("kind") or None
    sort = request.args.get("sort", "relevance")
    return SearchQuery(
        text=request.args.get("q", "")[:500],
        kinds=[kind] if kind in KINDS else None,
        collection=request.args.get("collection") or None,
        tags=[request.args["tag"]] if request.args.get("tag") else None,
        published_after=_date_argument("from"),
        published_before=_date_argument("to", end_of_day=True),
        sort=sort if sort in ("relevance", "date") else "relevance",
        limit=min(max(request.args.get("limit", 10, type=int) or 10, 1), MAX_LIMIT),
    )


@blueprint.get("/search")
def search_page():
    query = _query_from_request()
    results = current_app.extensions["search_index"].search(query) if query.text.strip() else None
    return render_template("search/search.html", query=query, results=results, kinds=KINDS)


@blueprint.get("/api/search")
def search_api():
    query = _query_from_request()
    if not query.text.strip():
        return jsonify(error="the query parameter q is required"), 400
    results = current_app.extensions["search_index"].search(query)
    return jsonify(
        query=query.text,
        total=results.total,
        counts_by_kind=results.counts_by_kind,
        suggestion=results.suggestion,
        results=[hit_to_json(hit) for hit in results.hits],
    )
