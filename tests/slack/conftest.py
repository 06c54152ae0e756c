from concurrent.futures import Executor, Future

import pytest

from tests.slack.fake_slack import FakeSlack
from tests.slack.signed_requests import SIGNING_SECRET


class InlineExecutor(Executor):
    """Runs Bolt's listener and lazy work before the request returns, so tests can assert."""

    def submit(self, fn, /, *args, **kwargs):
        future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # noqa: BLE001  (handed to the future, as executors do)
            future.set_exception(error)
        return future


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def app_config(app_config, slack):
    return {
        **app_config,
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "SLACK_LISTENER_EXECUTOR": InlineExecutor(),
        "SLACK_SAVE_EXECUTOR": InlineExecutor(),
    }


@pytest.fixture
def demo(runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
