"""Upgrading gives every place confirmed before check-in existed a code of its own, so
its registration page shows one; people without a place get none."""

import re

from alembic import command
from sqlmodel import select

from community.database_cli import alembic_config
from community.db import get_engine
from community.events.registrations import Person, register
from community.models import Registration

BEFORE = "0028_schedule_format"


def test_confirmed_places_get_a_code_each_when_upgrading(app, session, make_event):
    event = make_event(capacity=2)
    for name in ("Ada", "Grace", "Alan"):  # the third is on the waitlist
        register(session=session, event_id=event.id, person=Person(name, f"{name}@example.org"))
    session.commit()
    config = alembic_config(get_engine(app))
    command.downgrade(config, BEFORE)

    command.upgrade(config, "head")

    session.expire_all()
    codes = {r.name: r.check_in_code for r in session.exec(select(Registration))}
    assert codes["Alan"] is None
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{8}", codes[name]) for name in ("Ada", "Grace"))
    assert codes["Ada"] != codes["Grace"]
