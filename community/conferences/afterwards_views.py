"""After a conference: recordings and slides, the follow-up email and its feedback survey."""

from flask import Blueprint

blueprint = Blueprint("afterwards", __name__, template_folder="templates")
