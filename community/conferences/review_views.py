"""Reviewing proposals: scores and comments, then the organisers' accept or reject."""

from flask import Blueprint

blueprint = Blueprint("proposal_review", __name__, template_folder="templates")
