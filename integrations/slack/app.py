"""Building the Bolt app from settings; every Web API call goes to `api_url`."""

from concurrent.futures import Executor

from slack_bolt import App
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
    listener_executor: Executor | None = None,
) -> App:
    """A Bolt app that verifies signatures and retries the Web API after rate limits."""
    client = WebClient(
        token=token,
        base_url=api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(),
            RateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )
    options = {"listener_executor": listener_executor} if listener_executor else {}
    return App(client=client, signing_secret=signing_secret, **options)
