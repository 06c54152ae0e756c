"""The public call for proposals: submitting one and editing it through its signed link."""

from flask import Blueprint

blueprint = Blueprint("proposals", __name__, template_folder="templates")
