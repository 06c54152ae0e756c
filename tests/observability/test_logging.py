import json

import pytest


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_json_log_format_writes_one_json_line_per_request(make_app, capfd):
    app = make_app(LOG_FORMAT="json")
    capfd.readouterr()

    app.test_client().get("/events")

    lines = [line for line in capfd.readouterr().err.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    requests = [record for record in records if record["logger"] == "community.requests"]
    assert len(requests) == 1
    assert requests[0]["method"] == "GET"
    assert requests[0]["path"] == "/events"
    assert requests[0]["status"] == 200
    assert requests[0]["duration_ms"] >= 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_text_log_format_writes_one_readable_line_per_request(make_app, capfd):
    app = make_app(LOG_FORMAT="text")
    capfd.readouterr()

    app.test_client().get("/no-such-page")

    lines = [line for line in capfd.readouterr().err.splitlines() if "community.requests" in line]
    assert len(lines) == 1
    assert "GET /no-such-page 404" in lines[0]
