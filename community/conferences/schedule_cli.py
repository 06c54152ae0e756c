"""`flask conferences import`: reading a frab/pretalx schedule into a conference."""

commands: list = []
