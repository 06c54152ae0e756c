"""`flask conferences` commands for after a conference: captions, the follow-up email."""

commands: list = []
