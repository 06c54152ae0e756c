"""Input refused before any view reads it, the same way on every page and API.

A control character in the address, a query argument or a form field gets a 400 that says
so; an id in the address larger than any stored id gets the 404 a missing one gets, instead
of the overflow SQLite raises on it.
"""

from flask import Flask, abort, jsonify, request

from community.control_characters import has_control_characters, without_control_characters

LARGEST_ID = 2**31 - 1  # ids are INTEGER columns
# Slack signs the raw bytes of its requests, which must stay unread until they are verified.
RAW_BODY_ENDPOINTS = frozenset({"slack.events"})


def init_request_guards(app: Flask) -> None:
    app.before_request(refuse_bad_input)


def refuse_bad_input():
    if any(_impossible_id(value) for value in (request.view_args or {}).values()):
        abort(404)
    if (problem := _control_character_problem()) is None:
        return None
    if request.path.startswith("/api/"):
        return jsonify(error=problem), 400
    abort(400, description=problem)


def _impossible_id(value) -> bool:
    return isinstance(value, int) and value > LARGEST_ID


def _control_character_problem() -> str | None:
    if has_control_characters(request.path):
        return "The address contains a control character (such as a NUL byte); correct it."
    for name, value in _submitted_fields():
        if has_control_characters(name) or has_control_characters(value):
            shown = without_control_characters(name)
            return (
                f"The field “{shown}” contains a control character (such as a NUL byte), "
                "which no text can hold; remove it and try again."
            )
    return None


def _submitted_fields():
    yield from request.args.items(multi=True)
    if request.endpoint not in RAW_BODY_ENDPOINTS:
        yield from request.form.items(multi=True)
