"""`flask conferences …`: a conference's programme from the command line."""

from flask.cli import AppGroup

from community.conferences import afterwards_cli, schedule_cli

conferences_cli = AppGroup("conferences", help="Conferences: import schedules, follow up.")

for command in [*schedule_cli.commands, *afterwards_cli.commands]:
    conferences_cli.add_command(command)
