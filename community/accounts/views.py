"""Organiser login and logout."""

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from community.accounts.forms import LoginForm, LogoutForm
from community.accounts.services import LoginPolicy, authenticate, is_locked_out
from community.config import settings
from community.db import get_session

blueprint = Blueprint("accounts", __name__, template_folder="templates")


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("accounts/login.html", form=form), status
    session = get_session()
    remote_addr = request.remote_addr or ""
    if is_locked_out(
        session=session, email=form.email.data, remote_addr=remote_addr, policy=_policy()
    ):
        minutes = settings().LOGIN_LOCKOUT_MINUTES
        flash(f"Too many failed logins. Try again in {minutes} minutes.", "error")
        return render_template("accounts/login.html", form=form), 429
    organiser = authenticate(
        session=session, email=form.email.data, password=form.password.data, remote_addr=remote_addr
    )
    session.commit()  # failed attempts must be recorded even though the response is an error
    if organiser is None:
        flash("That email and password do not match an organiser account.", "error")
        return render_template("accounts/login.html", form=form), 401
    login_user(organiser)
    return redirect(_safe_next(request.args.get("next")))


@blueprint.post("/logout")
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        logout_user()
        flash("You are logged out.", "info")
    return redirect(url_for("home.index"))


def _policy() -> LoginPolicy:
    return LoginPolicy(
        max_failures=settings().LOGIN_MAX_FAILURES,
        lockout=timedelta(minutes=settings().LOGIN_LOCKOUT_MINUTES),
    )


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so a crafted link cannot send an organiser elsewhere after login."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("admin.dashboard")
