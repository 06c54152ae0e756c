"""Error pages that tell a person what went wrong and what to do."""

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge


def init_error_pages(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(HTTPException, _http_error)


def _too_large(error: RequestEntityTooLarge):
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    return _page(
        413,
        "That upload is too large",
        f"A form may send at most {limit} MB. Go back and choose a smaller file.",
    )


def _csrf_error(error: CSRFError):
    return _page(
        400,
        "The form could not be accepted",
        "It was missing its security token or the token expired. "
        "Go back, reload the page and submit the form again.",
    )


def _http_error(error: HTTPException):
    return _page(error.code or 500, error.name, error.description or "")


def _page(status: int, title: str, message: str):
    if request.accept_mimetypes.best == "application/json":
        return {"error": title, "message": message}, status
    return render_template("error.html", title=title, message=message), status
