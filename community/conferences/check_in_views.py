"""Checking people in at the door of an event or a session, by QR code or typed code."""

from flask import Blueprint

blueprint = Blueprint("check_in", __name__, template_folder="templates")
