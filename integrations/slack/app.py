"""Building the Bolt app from settings; every Web API call goes to `api_url`."""

from collections.abc import Callable
from concurrent.futures import Executor

from slack_bolt import App
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)


def build_bolt_app(
    *,
    token: str,
    signing_secret: str,
    api_url: str,
    already_handled: Callable[[str], bool],
    listener_executor: Executor | None = None,
) -> App:
    """A Bolt app that verifies signatures and drops repeated deliveries of one event."""
    client = WebClient(
        token=token,
        base_url=api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(),
            RateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )
    options = {"listener_executor": listener_executor} if listener_executor else {}
    app = App(client=client, signing_secret=signing_secret, **options)
    app.use(_drop_repeated_events(already_handled))
    return app


def _drop_repeated_events(already_handled: Callable[[str], bool]):
    """Slack retries a delivery it thinks failed; the same event_id must not answer twice."""

    def middleware(body, next):  # noqa: A002  (the name Bolt passes)
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and already_handled(event_id):
            return BoltResponse(status=200, body="")
        return next()

    return middleware
