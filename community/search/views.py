"""The public search page and the JSON search API."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app, jsonify, render_template, request

from community.config import settings
from community.search.cli import hit_to_json
from search_index import SearchQuery

blueprint = Blueprint("search", __name__, template_folder="templates")

KINDS = ("post", "episode", "recording", "faq", "thread", "event")
MAX_LIMIT = 50
MAX_OFFSET = 1000  # deeper pages cost the ranking of every result before them


class BadArgument(ValueError):
    """A query parameter the API cannot use; its message says which and why."""


def _date_argument(name: str, *, end_of_day: bool = False, strict: bool = False):
    """`from` and `to` take ISO dates (2026-11-01) or date-times.

    A date alone in `to` means the end of that day, so the day named is included. The page
    ignores a bad value; the API (`strict`) refuses it.
    """
    value = request.args.get(name, "")
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
        if end_of_day and len(value) == len("2026-11-01"):
            moment += timedelta(days=1, microseconds=-1)
        # in UTC here, where a moment that leaves the years 1 to 9999 can still be refused
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except ValueError:
        if strict:
            raise BadArgument(f"{name} must be an ISO date such as 2026-11-01") from None
        return None
    except OverflowError:
        if strict:
            raise BadArgument(f"{name} must fall within the years 1 to 9999 in UTC") from None
        return None


def _number_argument(name: str, default: int, lowest: int, highest: int, *, strict: bool) -> int:
    value = request.args.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not lowest <= number <= highest:
        if strict:
            raise BadArgument(f"{name} must be a whole number from {lowest} to {highest}")
        return default
    return number


def _query_from_request(*, strict: bool = False) -> tuple[SearchQuery, int]:
    """The search the request asks for, and its offset (results to skip)."""
    kind = request.args.get("kind") or None
    if strict and kind and kind not in KINDS:
        raise BadArgument(f"kind must be one of {', '.join(KINDS)}")
    sort = request.args.get("sort", "relevance")
    if strict and sort not in ("relevance", "date"):
        raise BadArgument("sort must be relevance or date")
    query = SearchQuery(
        text=request.args.get("q", "")[:500],
        kinds=[kind] if kind in KINDS else None,
        collection=request.args.get("collection") or None,
        tags=[request.args["tag"]] if request.args.get("tag") else None,
        published_after=_date_argument("from", strict=strict),
        published_before=_date_argument("to", end_of_day=True, strict=strict),
        sort=sort if sort in ("relevance", "date") else "relevance",
        limit=_number_argument("limit", 10, 1, MAX_LIMIT, strict=strict),
    )
    return query, _number_argument("offset", 0, 0, MAX_OFFSET, strict=strict)


def _page(query: SearchQuery, offset: int):
    """One page of results: the index ranks offset + limit, the page keeps the last ones."""
    results = current_app.extensions["search_index"].search(
        replace(query, limit=offset + query.limit)
    )
    results.hits = results.hits[offset:]
    return results


@blueprint.get("/search")
def search_page():
    query, offset = _query_from_request()
    if not query.text.strip():
        return render_template("search/search.html", query=query, results=None, kinds=KINDS)
    results = _page(query, offset)
    return render_template(
        "search/search.html",
        query=query,
        results=results,
        kinds=KINDS,
        kind_counts=_kind_counts(query, results),
        collection_counts=_collection_counts(query, results),
        offset=offset,
        next_offset=offset + query.limit if offset + query.limit < results.total else None,
        previous_offset=max(offset - query.limit, 0) if offset else None,
        offer_to_ask_organisers=offset == 0 and not any(map(_would_be_cited, results.hits)),
    )


def _would_be_cited(hit) -> bool:
    """The answer service's test of an item worth citing (ANSWER_MIN_*): when no result on
    the first page passes it, the page offers to send the question to the organisers."""
    config = settings()
    if hit.coverage >= config.ANSWER_MIN_COVERAGE:
        return True
    return hit.similarity is not None and hit.similarity >= config.ANSWER_MIN_SIMILARITY


def _kind_counts(query: SearchQuery, results) -> dict[str, int]:
    """Each kind counted as if it were chosen: without the kind filter's own narrowing."""
    if not query.kinds:
        return results.counts_by_kind
    every_kind = replace(query, kinds=None, limit=0)
    return current_app.extensions["search_index"].search(every_kind).counts_by_kind


def _collection_counts(query: SearchQuery, results) -> dict[str, int]:
    """Each collection counted without the collection filter, most items first."""
    counts = results.counts_by_collection
    if query.collection:
        every_collection = replace(query, collection=None, limit=0)
        counts = current_app.extensions["search_index"].search(every_collection)
        counts = counts.counts_by_collection
    return dict(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


@blueprint.get("/api/search")
def search_api():
    try:
        query, offset = _query_from_request(strict=True)
    except BadArgument as error:
        return jsonify(error=str(error)), 400
    if not query.text.strip():
        return jsonify(error="the query parameter q is required"), 400
    results = _page(query, offset)
    following = offset + query.limit
    return jsonify(
        query=query.text,
        total=results.total,
        offset=offset,
        limit=query.limit,
        next_offset=following if following < results.total else None,
        counts_by_kind=results.counts_by_kind,
        counts_by_collection=results.counts_by_collection,
        suggestion=results.suggestion,
        results=[hit_to_json(hit) for hit in results.hits],
    )
