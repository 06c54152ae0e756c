from prometheus_client.parser import text_string_to_metric_families

from community.models import JobRun
from community.models.types import utcnow


def _samples(response):
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=")
    families = text_string_to_metric_families(response.get_data(as_text=True))
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in families
        for sample in family.samples
    }


def test_metrics_count_requests_per_endpoint(client):
    before = _samples(client.get("/metrics"))
    key = (
        "community_http_requests_total",
        (("endpoint", "home.index"), ("method", "GET"), ("status", "200")),
    )
    client.get("/")
    client.get("/")

    after = _samples(client.get("/metrics"))

    assert after[key] - before.get(key, 0) == 2
    assert ("community_http_request_duration_seconds_count", (("endpoint", "home.index"),)) in after


def test_metrics_count_job_runs_and_failures_per_job(client, session):
    now = utcnow()
    for status in ("succeeded", "succeeded", "failed"):
        session.add(JobRun(job_id="feeds.poll", holder="h", status=status, finished_at=now))
    session.commit()

    samples = _samples(client.get("/metrics"))

    ok = ("community_job_runs_total", (("job", "feeds.poll"), ("status", "succeeded")))
    failed = ("community_job_runs_total", (("job", "feeds.poll"), ("status", "failed")))
    assert samples[ok] == 2
    assert samples[failed] == 1
    last = ("community_job_last_finished_timestamp_seconds", (("job", "feeds.poll"),))
    assert abs(samples[last] - now.timestamp()) < 1
