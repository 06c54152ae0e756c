"""The community service: create_app() wires every part together."""

from datetime import timedelta

from flask import Flask

from community import db
from community.config import Settings, load_settings, refuse_unsafe_secret, settings_of

UPLOAD_FORM_ALLOWANCE = 1024 * 1024


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    load_configuration(app, test_config)
    register_logging(app)
    register_database(app)
    register_search_index(app)
    register_security(app)
    register_metrics(app)
    register_web(app)
    register_blueprints(app)
    register_commands(app)
    register_slack(app)
    return app


def load_configuration(app: Flask, test_config: dict | None) -> None:
    """The typed settings for the code; Flask's config only for Flask and its extensions."""
    overrides = test_config or {}
    settings = load_settings(overrides)
    app.extensions["settings"] = settings
    app.config.from_mapping(
        {key: value for key, value in overrides.items() if key not in Settings.model_fields}
    )
    debug_or_testing = bool(app.config.get("DEBUG") or app.config.get("TESTING"))
    refuse_unsafe_secret(settings.SECRET_KEY, debug_or_testing=debug_or_testing)
    secure = settings.PUBLIC_URL.startswith("https://")
    app.config.update(
        SECRET_KEY=settings.SECRET_KEY,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        # Every request of a login re-signs its cookie, and a cookie signed longer ago than
        # this is refused on the server, so a copied cookie dies with the idle login too.
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.LOGIN_IDLE_MINUTES),
        # The largest upload (a captions, OPML or CSV file of up to FEEDS_MAX_BYTES) plus its
        # form: anything bigger is refused before CSRF checks or forms read it into memory.
        MAX_CONTENT_LENGTH=settings.FEEDS_MAX_BYTES + UPLOAD_FORM_ALLOWANCE,
    )


def register_logging(app: Flask) -> None:
    from community.observability.logs import configure_logging, log_requests

    configure_logging(settings_of(app).LOG_FORMAT, settings_of(app).LOG_LEVEL)
    log_requests(app)


def register_database(app: Flask) -> None:
    from community import outbox

    db.init_app(app)
    outbox.init_app(app)


def register_search_index(app: Flask) -> None:
    from community.search import changelog, sync
    from community.search.follower import IndexFollower
    from search_index.generations import LiveIndex

    config = settings_of(app)
    model = _SemanticModelOnFirstUse() if config.SEARCH_SEMANTIC else None
    index = LiveIndex(config.SEARCH_INDEX_DIR, semantic=model, engine=config.SEARCH_ENGINE)
    follower = IndexFollower(
        db.get_engine(app),
        index,
        node_name=config.SEARCH_NODE_NAME or changelog.default_node_name(config.SEARCH_INDEX_DIR),
        rebuild_behind=config.SEARCH_REBUILD_BEHIND,
        follow_seconds=config.SEARCH_FOLLOW_SECONDS,
    )
    app.extensions["search_index"] = index
    app.extensions["search_follower"] = follower
    sync.keep_index_in_step(db.get_engine(app), follower)
    # Started by the first request rather than here: a thread started before gunicorn forks
    # would not survive the fork, and one-off commands need no follower.
    app.before_request(follower.start)


class _SemanticModelOnFirstUse:
    """The shared semantic model, loaded (~0.4 s) by the first search or indexing that
    embeds a text, so commands that never search start without it."""

    def embed(self, texts):
        from search_index import shared_model

        return shared_model().embed(texts)

    def embed_one(self, text):
        from search_index import shared_model

        return shared_model().embed_one(text)


def register_security(app: Flask) -> None:
    from community.accounts.sessions import init_login
    from community.extensions import csrf
    from community.request_guards import init_request_guards

    csrf.init_app(app)
    init_login(app)
    init_request_guards(app)
    hops = settings_of(app).TRUSTED_PROXY_HOPS
    if hops:
        # Behind a proxy every request comes from the proxy; per-address login limits need
        # the client's address from X-Forwarded-For, trusted only for the configured hops.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_metrics(app: Flask) -> None:
    from community.observability.metrics import init_metrics

    init_metrics(app)


def register_web(app: Flask) -> None:
    from community.errors import init_error_pages
    from community.templating import init_templating

    init_templating(app)
    init_error_pages(app)


def register_blueprints(app: Flask) -> None:
    from community.accounts.views import blueprint as accounts
    from community.admin.views import blueprint as admin
    from community.answers.views import api as answers_api
    from community.answers.views import blueprint as answers
    from community.conferences import (
        admin_views,
        afterwards_views,
        agenda_views,
        check_in_views,
        proposal_views,
        review_views,
        schedule_views,
        team_views,
    )
    from community.events.admin_views import blueprint as event_admin
    from community.events.views import blueprint as events
    from community.home.views import blueprint as home
    from community.knowledge.item_pages import blueprint as item_pages
    from community.knowledge.views import blueprint as knowledge
    from community.newsletter.admin_views import blueprint as newsletter_admin
    from community.newsletter.views import blueprint as newsletter
    from community.observability.views import blueprint as observability
    from community.outbox.views import blueprint as outbox
    from community.pairing.views import blueprint as pairing
    from community.search.views import blueprint as search

    for blueprint in (
        home,
        search,
        item_pages,
        events,
        event_admin,
        newsletter,
        newsletter_admin,
        pairing,
        answers_api,
        accounts,
        admin,
        knowledge,
        answers,
        outbox,
        observability,
        agenda_views.blueprint,
        schedule_views.blueprint,
        proposal_views.blueprint,
        review_views.blueprint,
        admin_views.blueprint,
        team_views.blueprint,
        check_in_views.blueprint,
        afterwards_views.blueprint,
    ):
        app.register_blueprint(blueprint)


def register_commands(app: Flask) -> None:
    from community.cli import register_cli

    register_cli(app)


def register_slack(app: Flask) -> None:
    from community.slackbot.views import init_slack

    init_slack(app)
