"""Mounting the Bolt app on Flask, when Slack is configured."""

import logging
from collections.abc import Callable

from flask import Blueprint, Flask, request
from slack_bolt import App
from slack_bolt.adapter.flask.handler import to_flask_response

from community.extensions import csrf
from community.slackbot.events import event_registrar
from community.slackbot.home import HomeService
from community.slackbot.newsletter import newsletter_subscriber
from community.slackbot.pairing import PairingService
from community.slackbot.services import (
    answerer,
    feedback_recorder,
    link_saver,
    receipt_keeper,
)
from integrations.slack.app import build_bolt_app, first_delivery_check
from integrations.slack.http import RefusedRequest, bolt_request, replay_key, verified_body
from integrations.slack.listeners import ask, events, feedback, home, newsletter, pairing, save

log = logging.getLogger("community.slack")


def init_slack(app: Flask) -> None:
    """HTTP mode needs the signing secret; Socket Mode (`flask slack socket`) the app token."""
    token, secret = app.config.get("SLACK_BOT_TOKEN"), app.config.get("SLACK_SIGNING_SECRET")
    if not (token and (secret or app.config.get("SLACK_APP_TOKEN"))):
        log.info(
            "Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN "
            "for Socket Mode) to turn it on"
        )
        return
    bolt = build_bolt_app(
        token=token,
        signing_secret=secret or "",
        api_url=app.config["SLACK_API_URL"],
        listener_executor=app.config.get("SLACK_LISTENER_EXECUTOR"),
    )
    already_handled = receipt_keeper(app)
    first_delivery = first_delivery_check(already_handled)
    ask.register(bolt, answerer(app), first_delivery)
    save.register(bolt, link_saver(app))
    feedback.register(bolt, feedback_recorder(app))
    home.register(bolt, HomeService(app), app.config.get("PAIRING_CHANNEL"), first_delivery)
    events.register(bolt, event_registrar(app))
    newsletter.register(bolt, newsletter_subscriber(app))
    pairing_channel = app.config.get("PAIRING_CHANNEL")
    pairing.register(bolt, PairingService(app), pairing_channel, first_delivery)
    app.extensions["slack_bolt"] = bolt
    if secret:
        app.register_blueprint(_events_blueprint(bolt, secret, already_handled))


def _events_blueprint(
    bolt: App, signing_secret: str, already_handled: Callable[[str], bool]
) -> Blueprint:
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
