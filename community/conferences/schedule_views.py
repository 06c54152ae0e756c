"""The conference's public schedule in the frab/pretalx format, as JSON and XML."""

from flask import Blueprint, Response, abort, request

from community.conferences.schedule_export import published_schedule
from community.db import get_session

blueprint = Blueprint("schedule_format", __name__, template_folder="templates")


@blueprint.get("/conferences/<acronym>/schedule.json")
def schedule_json(acronym: str):
    from integrations.schedules.writing import schedule_json as written

    return _schedule_response(acronym, written, "application/json")


@blueprint.get("/conferences/<acronym>/schedule.xml")
def schedule_xml(acronym: str):
    from integrations.schedules.writing import schedule_xml as written

    return _schedule_response(acronym, written, "application/xml; charset=utf-8")


def _schedule_response(acronym: str, write, content_type: str) -> Response:
    schedule = published_schedule(get_session(), acronym)
    if schedule is None:
        abort(404)
    response = Response(write(schedule), content_type=content_type)
    # Schedule apps poll; an unchanged schedule answers 304 without its body.
    response.add_etag()
    response.headers["Access-Control-Allow-Origin"] = "*"  # schedule apps in browsers read it
    return response.make_conditional(request)
