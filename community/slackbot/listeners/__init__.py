"""Slack's face of the community, as the web views are the browser's.

Each module registers its listeners on the Bolt app. A listener parses what Slack
sent, does its work in one unit of work (`session_scope()`; Bolt runs it inside the
Flask app's context, see `community.slackbot.app_context`), and presents the result
with the Block Kit builders of `integrations.slack`.
"""

from community.slackbot.listeners import (
    agenda,
    ask,
    escalation,
    events,
    feedback,
    home,
    newsletter,
    pairing,
    save,
    solved,
)

# Bolt runs the first listener that matches: `solved` takes the message edits and
# deletions before `ask` sees every other message.
ALL = (solved, ask, escalation, save, feedback, home, events, newsletter, pairing, agenda)
