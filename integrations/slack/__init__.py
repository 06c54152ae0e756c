"""The Slack face of the service: a Bolt app, its listeners and Block Kit builders."""
