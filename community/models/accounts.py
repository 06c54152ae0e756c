"""Organiser accounts for the web UI, the record of login attempts and the login throttle."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, timestamp_field


class Organiser(UserMixin, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=300)
    active: bool = True
    # "organiser" sees every organiser page; "team" is a reviewer or door helper someone
    # invited, who sees only the pages of the conferences they were named for.
    role: str = Field(
        default="organiser", max_length=20, sa_column_kwargs={"server_default": "organiser"}
    )
    # Every session carries the version it was opened with; raising it ends them all. It
    # starts at random: SQLite gives a removed account's id to the next one created, which
    # must not inherit the sessions of the removed one.
    session_version: int = Field(default_factory=lambda: secrets.randbelow(2**30))
    created_at: datetime = created_at_field()
    last_login_at: datetime | None = timestamp_field()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_organiser(self) -> bool:
        return self.role == "organiser"

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, index=True)
    remote_addr: str = Field(default="", max_length=64)
    succeeded: bool = False
    attempted_at: datetime = created_at_field()


class LoginThrottle(SQLModel, table=True):
    """Recent failed logins of one account from one address, of one address for any account
    (email ""), or of one account from any address (remote_addr "")."""

    __tablename__ = "login_throttle"

    email: str = Field(primary_key=True, max_length=320)
    remote_addr: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    last_failure_at: datetime | None = timestamp_field()
    # No password is checked in this scope before then.
    wait_until: datetime | None = timestamp_field()
    # When this account last logged in from this address: the owner's own addresses are
    # spared the wait that guessing from many addresses puts on the account.
    last_success_at: datetime | None = timestamp_field()
