"""Organiser login, logout and password change."""

import math
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from community.accounts.forms import LoginForm, LogoutForm, PasswordChangeForm
from community.accounts.login_throttle import (
    CountedAttempt,
    LoginDelayed,
    LoginPolicy,
    count_attempt,
)
from community.accounts.services import (
    AccountError,
    authenticate,
    change_password,
    end_all_sessions,
)
from community.accounts.sessions import end_session, start_session
from community.config import settings
from community.db import get_session
from community.models import Organiser

blueprint = Blueprint("accounts", __name__, template_folder="templates")


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_start_page(current_user))
    form = LoginForm()
    if not form.validate_on_submit():
        return _login_page(form, 400 if request.method == "POST" else 200)
    attempt = _count_first(form.email.data)
    if isinstance(attempt, timedelta):
        return _login_page(form, 429, wait=attempt)
    organiser = authenticate(session=get_session(), attempt=attempt, password=form.password.data)
    if organiser is None:
        flash("That email and password do not match an organiser account.", "error")
        return _login_page(form, 401)
    start_session(organiser)
    return redirect(_safe_next(request.args.get("next"), organiser))


@blueprint.post("/logout")
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        end_all_sessions(current_user._get_current_object())
        end_session()
        flash("You are logged out.", "info")
    return redirect(url_for("home.index"))


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _password_page(form, 400 if request.method == "POST" else 200)
    attempt = _count_first(current_user.email)
    if isinstance(attempt, timedelta):
        return _password_page(form, 429, wait=attempt)
    session = get_session()
    organiser = authenticate(session=session, attempt=attempt, password=form.current_password.data)
    if organiser is None:
        form.current_password.errors.append("That is not your current password.")
        return _password_page(form, 400)
    try:
        change_password(organiser=organiser, password=form.new_password.data)
    except AccountError as error:
        form.new_password.errors.append(f"The new password is refused: {error}.")
        return _password_page(form, 400)
    start_session(organiser)
    flash("Your password is changed. Your other sessions have ended.", "info")
    return redirect(_start_page(organiser))


def _count_first(email: str) -> CountedAttempt | timedelta:
    """The attempt, counted as failed and committed before its password is checked (so
    parallel guesses queue for their turn), or how long to wait before trying again."""
    session = get_session()
    try:
        attempt = count_attempt(
            session=session,
            email=email,
            remote_addr=request.remote_addr or "",
            policy=LoginPolicy.from_settings(settings()),
        )
    except LoginDelayed as delayed:
        return delayed.wait
    session.commit()
    return attempt


def _login_page(form: LoginForm, status: int, wait: timedelta | None = None):
    return _page("accounts/login.html", form, status, wait)


def _password_page(form: PasswordChangeForm, status: int, wait: timedelta | None = None):
    return _page("accounts/password.html", form, status, wait)


def _page(template: str, form, status: int, wait: timedelta | None):
    headers = {}
    if wait is not None:
        seconds = max(1, math.ceil(wait.total_seconds()))
        flash(f"Too many failed logins. Try again in {_in_words(seconds)}.", "error")
        headers["Retry-After"] = str(seconds)
    return render_template(template, form=form), status, headers


def _in_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


def _safe_next(target: str | None, organiser: Organiser) -> str:
    """Only same-site paths, so a crafted link cannot send an organiser elsewhere after login."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return _start_page(organiser)


def _start_page(organiser: Organiser) -> str:
    """The dashboard; a reviewer's or door helper's account, refused there, has its own page."""
    return url_for("admin.dashboard") if organiser.is_organiser else "/team"
