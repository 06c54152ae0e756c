"""The frab/pretalx schedule files shared beside the project (they stay outside its repository),
and a small schedule document tests can bend out of shape."""

import copy
import json
from pathlib import Path

import pytest

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "conference-schedules"
MISSING = (
    "needs the shared conference schedules in ../shared/datasets/conference-schedules "
    "(pretalx-democon.json, schedule.schema.json, schedule.xml.xsd)"
)


def dataset(name: str) -> Path:
    path = DATASETS / name
    if not path.is_file():
        pytest.skip(MISSING)
    return path


def democon_bytes() -> bytes:
    return dataset("pretalx-democon.json").read_bytes()


def json_schema_validator():
    import jsonschema

    schema = json.loads(dataset("schedule.schema.json").read_text())
    return jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )


def xml_schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(dataset("schedule.xml.xsd"))))


def session_document(guid: str, title: str, date: str, duration: str = "00:30", **extra) -> dict:
    return {
        "guid": guid,
        "id": int(guid[-4:], 16) or 1,
        "date": date,
        "start": date[11:16],
        "duration": duration,
        "room": extra.pop("room", "Main Hall"),
        "slug": f"tinycon-{title.lower().replace(' ', '-')}",
        "title": title,
        "subtitle": "",
        "track": extra.pop("track", "Platforms"),
        "type": "Talk",
        "language": "en",
        "abstract": f"About {title.lower()}.",
        "persons": extra.pop("persons", [{"code": "ADA1", "name": "Ada Lovelace"}]),
        "links": [],
        **extra,
    }


def tiny_schedule() -> dict:
    """One day in Berlin, one room, two talks back to back."""
    return copy.deepcopy(
        {
            "schedule": {
                "version": "1.0",
                "conference": {
                    "acronym": "tinycon",
                    "title": "TinyCon",
                    "start": "2030-06-03",
                    "end": "2030-06-03",
                    "daysCount": 1,
                    "timeslot_duration": "00:05",
                    "time_zone_name": "Europe/Berlin",
                    "rooms": [
                        {"name": "Main Hall", "guid": "11111111-1111-4111-8111-111111111111"}
                    ],
                    "tracks": [{"name": "Platforms", "color": "#1f6feb"}],
                    "days": [
                        {
                            "index": 1,
                            "date": "2030-06-03",
                            "day_start": "2030-06-03T06:00:00+02:00",
                            "day_end": "2030-06-04T03:00:00+02:00",
                            "rooms": {
                                "Main Hall": [
                                    session_document(
                                        "aaaaaaaa-0000-4000-8000-000000000001",
                                        "Opening",
                                        "2030-06-03T09:00:00+02:00",
                                    ),
                                    session_document(
                                        "aaaaaaaa-0000-4000-8000-000000000002",
                                        "Feature stores",
                                        "2030-06-03T09:30:00+02:00",
                                        persons=[
                                            {"code": "GRACE1", "name": "Grace Hopper"},
                                            {"code": "ADA1", "name": "Ada Lovelace"},
                                        ],
                                    ),
                                ]
                            },
                        }
                    ],
                },
            }
        }
    )


def encoded(document: dict) -> bytes:
    return json.dumps(document).encode()
