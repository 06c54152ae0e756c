import pytest

from community import create_app
from community.config import INSTANCE_DIR, Settings, UnsafeConfiguration


@pytest.fixture
def clean_environment(monkeypatch, tmp_path):
    """No .env and none of the service's variables, as on a fresh machine."""
    monkeypatch.chdir(tmp_path)
    for name in Settings.model_fields:
        monkeypatch.delenv(name, raising=False)


def test_defaults_run_on_one_machine_with_nothing_installed(clean_environment):
    settings = Settings()

    assert f"sqlite:///{INSTANCE_DIR / 'community.db'}" == settings.DATABASE_URL
    assert settings.SEARCH_INDEX_DIR == INSTANCE_DIR / "index"
    assert settings.OUTBOX_DIR == INSTANCE_DIR / "outbox"
    assert settings.SMTP_URL is None
    assert settings.SLACK_API_URL == "https://slack.com/api/"


def test_settings_come_from_the_environment_and_dotenv(clean_environment, tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("COMMUNITY_TIMEZONE=Europe/Berlin\nLOG_FORMAT=json\n")
    monkeypatch.setenv("PUBLIC_URL", "https://community.example.org")

    settings = Settings()

    assert settings.COMMUNITY_TIMEZONE == "Europe/Berlin"
    assert settings.LOG_FORMAT == "json"
    assert settings.PUBLIC_URL == "https://community.example.org"


def test_unknown_time_zone_is_refused(clean_environment, monkeypatch):
    monkeypatch.setenv("COMMUNITY_TIMEZONE", "Mars/Olympus_Mons")

    with pytest.raises(ValueError, match="unknown IANA time zone"):
        Settings()


@pytest.mark.parametrize("secret", [None, "change-me", "short"])
def test_unsafe_secret_key_is_refused_outside_debug_and_tests(clean_environment, secret):
    config = {"SECRET_KEY": secret} if secret else {}

    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY=.*secrets.token_hex"):
        create_app(config)


def test_default_secret_key_is_allowed_in_debug(clean_environment, tmp_path):
    app = create_app({"DEBUG": True, "SEARCH_INDEX_DIR": tmp_path / "index"})

    assert app.config["SECRET_KEY"] == "change-me"


def test_https_public_url_makes_cookies_secure(clean_environment, tmp_path):
    app = create_app(
        {
            "SECRET_KEY": "x" * 32,
            "PUBLIC_URL": "https://community.example.org",
            "SEARCH_INDEX_DIR": tmp_path / "index",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        }
    )

    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_lists_days_and_times_are_typed(clean_environment, monkeypatch):
    from datetime import time

    monkeypatch.setenv("EVENTS_IMPORT_URLS", "https://a.example/x.ics, https://b.example/y.ics")
    monkeypatch.setenv("NEWSLETTER_SEND_DAY", "Thu")
    monkeypatch.setenv("NEWSLETTER_SEND_TIME", "07:30")
    monkeypatch.setenv("PUBLIC_URL", "https://community.example.org/")

    settings = Settings()

    assert settings.EVENTS_IMPORT_URLS == ["https://a.example/x.ics", "https://b.example/y.ics"]
    assert settings.NEWSLETTER_SEND_DAY == "thu"
    assert time(7, 30) == settings.NEWSLETTER_SEND_TIME
    assert settings.PUBLIC_URL == "https://community.example.org"  # links add their own /


@pytest.mark.parametrize(
    ("name", "value"),
    [("NEWSLETTER_SEND_TIME", "25:00"), ("NEWSLETTER_SEND_DAY", "someday"), ("LOG_FORMAT", "xml")],
)
def test_a_bad_value_is_refused_at_start_naming_the_setting(
    clean_environment, monkeypatch, name, value
):
    monkeypatch.setenv(name, value)

    with pytest.raises(ValueError, match=name):
        Settings()


def test_the_code_reads_typed_settings_not_string_keys_of_flask_config():
    """Flask's config keeps Flask's own keys; a setting read from it would bypass the types."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    names = "|".join(Settings.model_fields)
    lookup = re.compile(rf"config(\[|\.get\()[\"']({names})[\"']")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("community", "integrations", "search_index")
        for path in (root / folder).rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if lookup.search(line)
    ]
    assert offenders == []


def test_links_follow_the_port_of_the_local_server_unless_public_url_is_set(
    clean_environment, tmp_path, monkeypatch
):
    assert Settings().PUBLIC_URL == "http://127.0.0.1:5000"
    monkeypatch.setenv("PORT", "5077")
    assert Settings().PUBLIC_URL == "http://127.0.0.1:5077"

    (tmp_path / ".env").write_text("PUBLIC_URL=https://community.example.org\n")
    assert Settings().PUBLIC_URL == "https://community.example.org"
    monkeypatch.setenv("PUBLIC_URL", "https://env.example.org")
    assert Settings().PUBLIC_URL == "https://env.example.org"


def test_the_dev_servers_port_moves_links_only_when_public_url_is_not_set(clean_environment):
    local = Settings()
    local.serve_on_port(8123)
    configured = Settings(PUBLIC_URL="https://community.example.org")
    configured.serve_on_port(8123)

    assert local.PUBLIC_URL == "http://127.0.0.1:8123"
    assert configured.PUBLIC_URL == "https://community.example.org"


def test_an_empty_public_url_in_dotenv_means_this_machine(clean_environment, tmp_path):
    (tmp_path / ".env").write_text("PUBLIC_URL=\nPORT=6001\n")

    assert Settings().PUBLIC_URL == "http://127.0.0.1:6001"
