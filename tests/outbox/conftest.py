from tests.slack.conftest import app_config, slack  # noqa: F401  (Slack on, against the stand-in)
