"""The conference's public schedule in the frab/pretalx format, as JSON and XML."""

from flask import Blueprint

blueprint = Blueprint("schedule_format", __name__, template_folder="templates")
