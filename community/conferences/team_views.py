"""The reviewers and door helpers organisers invite: their invitation and their own start page."""

from flask import Blueprint

blueprint = Blueprint("conference_team", __name__, template_folder="templates")
