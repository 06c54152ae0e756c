"""The Slack bot wired into the service: the Bolt app mounted at POST /slack/events."""
