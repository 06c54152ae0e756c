"""The public agenda: days, stages, tracks, sessions and speakers, and each person's own agenda."""

from flask import Blueprint

blueprint = Blueprint("agenda", __name__, template_folder="templates")
