"""Limits on what strangers can make the public pages and APIs write.

Each limited view counts one hit per client address (request.remote_addr, which ProxyFix
sets from X-Forwarded-For when TRUSTED_PROXY_HOPS is on) and one per target: the email
address typed into the form, or the link's token. Over either limit the answer is 429 with
Retry-After, and since the request's unit of work rolls back on any status from 400, nothing
is written and no email is queued.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import Response, jsonify, render_template, request

from community import rate_limits
from community.config import settings
from community.db import get_session

Target = Callable[[], str | None]


def typed_email() -> str | None:
    """The address typed into the form, as the limit counts it: one per mailbox."""
    return (request.form.get("email") or "").strip().lower() or None


def link_token() -> str | None:
    return (request.view_args or {}).get("token")


def limit_public_write(
    action: str,
    *,
    target: Target | None = None,
    per_client: bool = True,
    methods: tuple[str, ...] = ("POST",),
):
    """Refuses the view with 429 once this client, or this target, did `action` too often."""

    def decorate(view):
        @wraps(view)
        def limited(*args, **kwargs):
            if request.method in methods:
                refused = _refusal(action, target() if target else None, per_client=per_client)
                if refused is not None:
                    return refused
            return view(*args, **kwargs)

        return limited

    return decorate


def limit_ask_api(view):
    """/api/ask answers from the index: CPU a stranger must not be able to take for free."""

    @wraps(view)
    def limited(*args, **kwargs):
        decision = rate_limits.hit(
            get_session(),
            f"ask-api:client:{request.remote_addr}",
            settings().ASK_API_PER_MINUTE,
            timedelta(minutes=1),
        )
        if not decision.allowed:
            return too_many_requests(decision.retry_after_seconds)
        return view(*args, **kwargs)

    return limited


def _refusal(action: str, target: str | None, *, per_client: bool) -> Response | None:
    config = settings()
    window = timedelta(minutes=config.PUBLIC_WRITES_WINDOW_MINUTES)
    keys = []
    if per_client:
        keys.append((f"{action}:client:{request.remote_addr}", config.PUBLIC_WRITES_PER_CLIENT))
    if target:
        keys.append((f"{action}:target:{target}", config.PUBLIC_WRITES_PER_ADDRESS))
    session = get_session()
    for key, limit in keys:  # always the client first, so two requests lock rows in one order
        decision = rate_limits.hit(session, key, limit, window)
        if not decision.allowed:
            return too_many_requests(decision.retry_after_seconds)
    return None


def too_many_requests(retry_after_seconds: int) -> Response:
    wait = _in_words(retry_after_seconds)
    if request.path.startswith("/api/"):
        response = jsonify(
            error="too many requests",
            message=f"Too many requests from this address. Try again in {wait}.",
            retry_after=retry_after_seconds,
        )
    else:
        response = Response(
            render_template(
                "error.html",
                title="Too many requests",
                message=(
                    f"This was tried too often in a short time. Nothing was changed and no "
                    f"email was sent. Please try again in {wait}."
                ),
            )
        )
    response.status_code = 429
    response.headers["Retry-After"] = str(retry_after_seconds)
    return response


def _in_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
