"""The published Python SDK (faxbot==1.1.0 from PyPI), unchanged, against the daemon."""

from __future__ import annotations

import importlib.metadata
import re

import pytest
from faxbot import FaxbotClient  # pip install faxbot==1.1.0

from conftest import API_KEY, make_pdf

ID = re.compile(r"^[0-9a-f]{32}$")
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


@pytest.fixture
def client(daemon):
    return FaxbotClient(daemon.url, API_KEY)


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(make_pdf("sdk test", pages=2))
    return path


def wait_final(client, daemon, job_id):
    """Waits (bounded) for a final status, then reads it through the SDK."""
    daemon.wait_job(job_id, lambda j: j["status"] in ("delivered", "failed", "canceled"), 60, "a final status")
    return client.get_status(job_id)


def test_sdk_is_the_published_release():
    assert importlib.metadata.version("faxbot") == "1.1.0"


def test_check_health(client):
    assert client.check_health() is True


def test_send_pdf_then_status_delivered(client, daemon, pdf_file):
    job = client.send_fax("+15551230000", str(pdf_file))
    assert ID.match(job["id"]), job
    assert job["status"] == "queued"
    assert job["to"] == "+15551230000"
    assert job["backend"] == "test"
    assert job["pages"] == 2
    assert job["attempts"] == 0 and job["pages_sent"] == 0
    assert STAMP.match(job["created_at"]) and STAMP.match(job["updated_at"])
    final = wait_final(client, daemon, job["id"])
    assert final["id"] == job["id"]
    assert final["status"] == "delivered", final
    assert final["pages_sent"] == final["pages"] == 2
    assert final["attempts"] == 1
    assert final["error"] is None and final["failure_cause"] is None
    assert STAMP.match(final["completed_at"])
    # Both status routes serve the same job.
    assert daemon.get(f"/fax/status/{job['id']}").json()["status"] == "delivered"


def test_send_txt(client, daemon, tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Hello from the SDK.\nSecond line.\n" + "x" * 100 + "\n")
    job = client.send_fax("15551230000", str(path))
    assert job["status"] == "queued"
    assert job["to"] == "15551230000"
    assert job["pages"] == 1
    final = wait_final(client, daemon, job["id"])
    assert final["status"] == "delivered", final
    assert final["pages_sent"] == 1
    stored = list((daemon.data_dir / "spool").glob(job["id"] + ".*"))
    assert [p.name for p in stored] == [job["id"] + ".txt"]


def test_failing_destination_reports_failure(client, daemon, pdf_file):
    job = client.send_fax("+15551233333", str(pdf_file))
    # line_error after page 1 is retryable: the job goes back to queued with a retry time.
    after = daemon.wait_job(job["id"], lambda j: j["attempts"] == 1 and j["status"] == "queued", 60, "a requeue")
    current = client.get_status(job["id"])
    assert current["failure_cause"] == "line_error", after
    assert current["next_attempt_at"] is not None
    assert current["pages_sent"] == 1


def test_bad_number_raises_400(client, pdf_file):
    with pytest.raises(Exception) as info:
        client.send_fax("555-123", str(pdf_file))
    assert "400" in str(info.value)
    assert "E.164" in str(info.value)


def test_wrong_key_raises_401(daemon, pdf_file):
    bad = FaxbotClient(daemon.url, "not-the-key")
    with pytest.raises(Exception) as info:
        bad.send_fax("+15551230000", str(pdf_file))
    assert "401" in str(info.value)
    with pytest.raises(Exception) as info:
        bad.get_status("0" * 32)
    assert "401" in str(info.value)
    # Health needs no key.
    assert bad.check_health() is True


def test_unknown_job_raises_404(client):
    with pytest.raises(Exception) as info:
        client.get_status("f" * 32)
    assert "404" in str(info.value)
