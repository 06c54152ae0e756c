from zoneinfo import ZoneInfo

import pytest


@pytest.fixture
def app_config(app_config, mail_server):
    return {**app_config, "SMTP_URL": mail_server.url, "PUBLIC_URL": "http://events.test"}


BERLIN = ZoneInfo("Europe/Berlin")
