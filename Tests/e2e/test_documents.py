"""The document pipeline through the real daemon: every hostile document ends delivered with its real
page count or failed `document_rejected` with a reason; the time and memory bombs hit their bounds
in the conversion worker while the daemon keeps answering and delivering other faxes."""
import json
import pathlib
import subprocess
import sys

import pytest

from conftest import TERMINAL

CORPUS_SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "documents" / "make_corpus.py"
MIME = {".pdf": "application/pdf", ".txt": "text/plain", ".tif": "image/tiff", ".bin": "application/octet-stream"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), str(out)], check=True, stdout=subprocess.DEVNULL)
    entries = json.loads((out / "manifest.json").read_text())
    assert len(entries) >= 30
    return out, entries


def test_every_hostile_document_ends_delivered_or_rejected_with_a_reason(daemon_factory, corpus):
    directory, entries = corpus
    daemon = daemon_factory({"FAXBOT_TEST_DELAY_MS": "50", "FAXBOT_POLL_INTERVAL_MS": "100",
                             "FAXBOT_CONVERT_TIMEOUT_SECONDS": "20", "FAXBOT_CONVERT_WORKERS": "2",
                             "FAXBOT_TEST_CONCURRENCY": "8"})
    accepted = {}
    for n, entry in enumerate(entries):
        name = entry["file"]
        content = (directory / name).read_bytes()
        # Distinct destinations ending 0000 (delivers): no job waits for another's number.
        r = daemon.submit(f"+1555{n:03d}0000", content, filename=name, mime=MIME[pathlib.Path(name).suffix])
        if r.status_code == 202:
            accepted[r.json()["id"]] = entry
        else:
            # Refused at intake (not PDF, text or TIFF): a clear 4xx, nothing stored.
            assert entry["expect"] == "rejected", (name, r.status_code, r.text)
            assert r.status_code in (400, 415), (name, r.status_code)
            assert r.json()["detail"]
            if entry.get("reason_contains") == "postscript":
                assert r.status_code == 415 and "PostScript" in r.json()["detail"]

    bomb_ids = [job_id for job_id, e in accepted.items() if e.get("category")]
    assert len(bomb_ids) == 2
    # While the bombs occupy the workers' time and memory bounds, the API answers and other faxes go out.
    good = daemon.submit("+15559990000", None, filename="letter.pdf")
    assert good.status_code == 202
    health = daemon.get("/health")
    assert health.status_code == 200 and health.json() == {"status": "ok"}

    finished = {}
    for job_id in accepted:
        finished[job_id] = daemon.wait_job(job_id, lambda j: j["status"] in TERMINAL, timeout=240, what="a terminal status")
    daemon.wait_job(good.json()["id"], lambda j: j["status"] == "delivered", timeout=120, what="delivery")

    for job_id, entry in accepted.items():
        job = finished[job_id]
        if entry["expect"] == "pages":
            assert job["status"] == "delivered", (entry["file"], job)
            assert job["pages"] == entry["pages"], (entry["file"], job)
            events = [e["event"] for e in daemon.events(job_id)]
            assert events.index("prepared") < events.index("submitted"), (entry["file"], events)
        else:
            assert job["status"] == "failed", (entry["file"], job)
            assert job["failure_cause"] == "document_rejected", (entry["file"], job)
            assert job["error"].startswith("The document could not be prepared for faxing: "), job["error"]
            assert entry["file"] not in job["error"]
            if entry.get("reason_contains"):
                assert entry["reason_contains"] in job["error"].lower(), (entry["file"], job["error"])
            if entry.get("category") == "time_bomb":
                assert "took longer than 20 s" in job["error"], job["error"]
            if entry.get("category") == "memory_bomb":
                assert "memory" in job["error"], job["error"]
    # Nothing was ever dialled for a rejected document.
    dialled = {line["job"] for line in daemon.journal()}
    for job_id, entry in accepted.items():
        assert (job_id in dialled) == (entry["expect"] == "pages"), entry["file"]
    # The daemon never crashed; derived files went with the jobs; every upload is 0600 and named by id.
    assert daemon.running
    spool = daemon.data_dir / "spool"
    names = sorted(p.name for p in spool.iterdir() if p.is_file())
    assert not [n for n in names if ".fax." in n or n.endswith((".gs", ".result"))], names
    for p in spool.iterdir():
        if p.is_file():
            assert p.stat().st_mode & 0o777 == 0o600, p
            assert p.name.split(".")[0] in finished or p.name.split(".")[0] == good.json()["id"], p.name


def test_the_api_answers_while_a_document_renders_past_its_bound(daemon_factory, corpus):
    directory, entries = corpus
    daemon = daemon_factory({"FAXBOT_TEST_DELAY_MS": "50", "FAXBOT_POLL_INTERVAL_MS": "100",
                             "FAXBOT_CONVERT_TIMEOUT_SECONDS": "30", "FAXBOT_CONVERT_WORKERS": "2"})
    bomb = next(e for e in entries if e.get("category") == "time_bomb")
    r = daemon.submit("+15551110000", (directory / bomb["file"]).read_bytes(), filename="a.pdf")
    assert r.status_code == 202
    bomb_id = r.json()["id"]
    daemon.wait_job(bomb_id, lambda j: j["status"] == "in_progress", timeout=30, what="rendering")
    # The worker is busy for up to 30 s; meanwhile submissions, reads and another fax all work.
    other = daemon.submit("+15552220000", None, filename="b.pdf")
    assert other.status_code == 202
    assert daemon.get("/health").status_code == 200
    delivered = daemon.wait_job(other.json()["id"], lambda j: j["status"] == "delivered", timeout=60, what="delivery")
    assert delivered["pages"] == 1
    # Ordering, not timing: the other fax was delivered while the bomb was still rendering.
    assert daemon.job(bomb_id)["status"] == "in_progress", "the bomb finished before the other fax was delivered"
    failed = daemon.wait_job(bomb_id, lambda j: j["status"] == "failed", timeout=90, what="the time bound")
    assert failed["failure_cause"] == "document_rejected"
    assert "took longer than 30 s" in failed["error"]
    assert daemon.running
