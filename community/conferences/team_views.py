"""The reviewers and door helpers organisers invite: their invitation and their own start page."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from community.accounts.sessions import start_session
from community.conferences import team_invitations
from community.conferences.admin_forms import SetPasswordForm
from community.conferences.team import team_conferences
from community.conferences.team_invitations import (
    ROLE_NAMES,
    InvitationInvalid,
    TeamError,
    role_path,
)
from community.db import get_session

blueprint = Blueprint("conference_team", __name__, template_folder="templates")


@blueprint.route("/team/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str):
    session = get_session()
    try:
        account = team_invitations.account_of_invitation(session, token)
    except InvitationInvalid as error:
        return render_template("conferences/team_welcome.html", problem=str(error)), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            team_invitations.accept_invitation(account, form.new_password.data)
        except TeamError as error:
            form.new_password.errors.append(str(error))
        else:
            start_session(account)
            flash("Your password is set and you are logged in.", "info")
            return redirect(url_for(".team_home"))
    status = 400 if form.is_submitted() else 200
    return render_template("conferences/team_welcome.html", account=account, form=form), status


@blueprint.get("/team")
@login_required
def team_home():
    account = current_user._get_current_object()
    places = [
        (conference, role, ROLE_NAMES.get(role, role), role_path(role, conference.acronym))
        for conference, role in team_conferences(get_session(), account)
        if role in ROLE_NAMES
    ]
    return render_template("conferences/team_home.html", account=account, places=places)
