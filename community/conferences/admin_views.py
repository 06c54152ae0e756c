"""Organiser pages of a conference: stages, tracks, sessions, placing them, publishing."""

from flask import Blueprint

from community.accounts.sessions import organisers_only

blueprint = Blueprint("conference_admin", __name__, template_folder="templates")
organisers_only(blueprint)
