"""Mounting the Bolt app on Flask, when Slack is configured."""

import logging
import sys
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, request

from community.config import settings_of
from community.extensions import csrf

if TYPE_CHECKING:
    from slack_bolt import App

log = logging.getLogger("community.slack")
# Bolt, the Slack SDK and the listeners are imported only when Slack is on.


SLACK_IS_OFF = (
    "Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN "
    "for Socket Mode) to turn it on"
)


def slack_is_on(app: Flask) -> bool:
    config = settings_of(app)
    return bool(config.SLACK_BOT_TOKEN and (config.SLACK_SIGNING_SECRET or config.SLACK_APP_TOKEN))


def say_when_slack_is_off(app: Flask) -> None:
    """Said by the web server as it starts, not by every `flask` command."""
    if not slack_is_on(app):
        log.info(SLACK_IS_OFF)


def init_slack(app: Flask) -> None:
    """HTTP mode needs the signing secret; Socket Mode (`flask slack socket`) the app token."""
    if not slack_is_on(app):
        if "gunicorn" in sys.modules:  # a gunicorn worker: the web server is starting
            say_when_slack_is_off(app)
        return
    token, secret = settings_of(app).SLACK_BOT_TOKEN, settings_of(app).SLACK_SIGNING_SECRET
    from community.slackbot import listeners
    from community.slackbot.app_context import AppContextExecutor
    from community.slackbot.link_saves import start_link_saves
    from integrations.slack.app import build_bolt_app

    bolt = build_bolt_app(
        token=token,
        signing_secret=secret or "",
        api_url=settings_of(app).SLACK_API_URL,
        listener_executor=AppContextExecutor(app, app.config.get("SLACK_LISTENER_EXECUTOR")),
    )
    start_link_saves(app)
    for feature in listeners.ALL:
        feature.register(bolt)
    app.extensions["slack_bolt"] = bolt
    if secret:
        app.register_blueprint(_events_blueprint(bolt, secret))


def _events_blueprint(bolt: "App", signing_secret: str) -> Blueprint:
    from slack_bolt.adapter.flask.handler import to_flask_response

    from community.slackbot.receipts import already_handled
    from integrations.slack.http import RefusedRequest, bolt_request, replay_key, verified_body

    blueprint = Blueprint("slack", __name__)

    @blueprint.post("/slack/events")
    @csrf.exempt  # Slack signs its requests; the signature is checked instead
    def events():
        try:
            body = verified_body(request, signing_secret)
        except RefusedRequest as refused:
            log.info("refused a request to /slack/events: %s", refused.reason)
            return {"error": refused.reason}, refused.status
        if (key := replay_key(request)) and already_handled(key):
            log.info("ignored a replayed Slack interaction")
            return "", 200
        return to_flask_response(bolt.dispatch(bolt_request(request, body)))

    return blueprint
