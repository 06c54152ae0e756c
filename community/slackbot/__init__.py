"""The Slack bot: the Bolt app mounted at POST /slack/events and its listeners."""
