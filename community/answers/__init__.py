"""The answer service: one ranking and one passage extractor for Slack, the CLI and the web."""
