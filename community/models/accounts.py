"""Organiser accounts for the web UI and the record of login attempts."""

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
    created_at: datetime = created_at_field()
    last_login_at: datetime | None = timestamp_field()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, index=True)
    remote_addr: str = Field(default="", max_length=64)
    succeeded: bool = False
    attempted_at: datetime = created_at_field()
