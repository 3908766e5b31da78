"""kill -9 with jobs queued and in flight, then a restart on the same data directory.

The test transport's journal plays the far end's memory: a `submitted` line is fsync'd before a
call starts, so counting them per job counts real transmissions across both runs.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import time
from typing import Dict, List

from conftest import TERMINAL, count_by, make_pdf, wait_for

CRASH_ENV = {
    "FAXBOT_TEST_DELAY_MS": "1500",
    "FAXBOT_TEST_CONCURRENCY": "8",
    "FAXBOT_CALL_TIMEOUT_SECONDS": "4",
    "FAXBOT_POLL_INTERVAL_MS": "50",
}
SUFFIXES = ["0000", "4444", "5555"]


def parse_at(stamp: str) -> float:
    return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc).timestamp()


def submit_many(daemon, numbers: List[str]) -> Dict[str, str]:
    """Submits one PDF per number (4 client threads); returns job id → number."""
    pdf = make_pdf("crash test")

    def one(number):
        r = daemon.submit(number, pdf)
        assert r.status_code == 202, (number, r.status_code, r.text)
        job = r.json()
        assert job["status"] == "queued" and job["to"] == number
        return job["id"], number

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        return dict(pool.map(one, numbers))


def check_event_log(daemon, job_id: str, job: dict) -> List[dict]:
    events = daemon.events(job_id)
    assert events, job_id
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1)), (job_id, events)
    first = events[0]
    assert (first["event"], first["from"], first["to"], first["source"]) == ("accepted", None, "queued", "api"), first
    for previous, current in zip(events, events[1:]):
        assert current["from"] == previous["to"], (job_id, previous, current)
        assert parse_at(current["at"]) >= parse_at(previous["at"]), (job_id, previous, current)
    assert events[-1]["to"] == job["status"], (job_id, events[-1], job)
    assert {e["source"] for e in events} <= {"api", "dispatcher", "transport", "reconciler"}
    return events


def test_kill9_with_100_jobs_in_flight_then_restart(daemon_factory):
    first = daemon_factory(CRASH_ENV)
    numbers = [f"+1555{i:04d}{SUFFIXES[i % 3]}" for i in range(100)]
    jobs = submit_many(first, numbers)
    assert len(jobs) == 100

    # Kill while several calls are in flight and some of them have reached the transport.
    wait_for(lambda: len(first.list_all(status="in_progress")) >= 4 and first.journal(), 30, 0.05,
             "at least 4 jobs in_progress")
    first.kill9()
    killed_at = time.time()
    assert not first.running
    journal_at_kill = count_by(first.journal(), event="submitted")
    assert journal_at_kill, "nothing reached the transport before the kill"
    assert all(n == 1 for n in journal_at_kill.values()), journal_at_kill

    time.sleep(0.05)  # separates the two runs' event timestamps (ms precision)
    restarted_at = time.time()
    second = daemon_factory(CRASH_ENV, data_dir=first.data_dir)

    # Everything settles: no job is left queued or in_progress.
    wait_for(lambda: all(j["status"] in TERMINAL for j in second.list_all()), 180, 0.5, "every job to be terminal")
    listed = {j["id"]: j for j in second.list_all()}
    assert set(listed) == set(jobs), "accepted jobs were lost or invented"

    journal = second.journal()
    submitted = count_by(journal, event="submitted")
    completed = count_by(journal, event="result", result="completed")
    # None of these destinations retries: exactly one transmission per job, across both runs.
    assert {job_id: n for job_id, n in submitted.items() if n != 1} == {}, "a job was transmitted twice"
    assert set(submitted) == set(jobs), "a terminal job was never transmitted"
    assert all(n == 1 for n in completed.values()), completed

    in_flight_at_kill = set()
    for job_id, number in jobs.items():
        job = second.job(job_id)
        assert job == listed[job_id]
        assert job["to"] == number
        assert job["status"] in TERMINAL
        assert job["attempts"] == 1, job
        events = check_event_log(second, job_id, job)
        before = [e for e in events if parse_at(e["at"]) <= killed_at + 0.002]  # ms rounding
        after = [e for e in events if parse_at(e["at"]) >= restarted_at]
        assert len(before) + len(after) == len(events), (job_id, events)
        was_in_flight = before[-1]["to"] == "in_progress"
        if was_in_flight:
            in_flight_at_kill.add(job_id)
            assert after, (job_id, events)
            assert after[0]["source"] == "reconciler", (job_id, after)
            assert after[0]["event"] in ("completed", "failed", "outcome_unknown", "requeue_unsent", "canceled_by_transport")

        suffix = number[-4:]
        cause = job["failure_cause"]
        if suffix == "0000":
            if was_in_flight:
                assert (job["status"], cause) in (("delivered", None), ("failed", "outcome_unknown")), job
            else:
                assert job["status"] == "delivered", job
            if job["status"] == "delivered":
                assert job["pages_sent"] == job["pages"] == 1
                assert completed.get(job_id) == 1, "delivered without a completed transmission"
            else:
                assert job_id not in completed
        elif suffix == "4444":
            assert job["status"] == "failed", job
            assert cause in ("timeout", "outcome_unknown"), job
            if not was_in_flight:
                assert cause == "timeout", job
        else:
            assert (job["status"], cause) == ("failed", "outcome_unknown"), job
        if job["status"] == "failed":
            assert job["error"] and job["completed_at"], job

    assert len(in_flight_at_kill) >= 1, "the kill did not catch any job in flight"
    # Jobs in flight at the kill: the transport either had them (journal) or they were requeued.
    for job_id in in_flight_at_kill:
        assert submitted[job_id] == 1

    log = second.log_text()
    assert "reconciling jobs left in flight" in log
    assert second.stop() == 0


def test_retry_uncertain_requeues_after_kill(daemon_factory):
    env = {
        "FAXBOT_TEST_DELAY_MS": "200",
        "FAXBOT_CALL_TIMEOUT_SECONDS": "2",
        "FAXBOT_POLL_INTERVAL_MS": "50",
        "FAXBOT_RETRY_UNCERTAIN": "true",
        "FAXBOT_MAX_ATTEMPTS": "2",
    }
    first = daemon_factory(env)
    jobs = submit_many(first, [f"+1666{i:04d}5555" for i in range(3)])
    # All three accepted by the transport (journal) and silent: the outcome is unknowable.
    wait_for(lambda: set(count_by(first.journal(), event="submitted")) == set(jobs), 30, 0.05,
             "all 5555 jobs submitted")
    first.kill9()

    second = daemon_factory(env, data_dir=first.data_dir)
    for job_id in jobs:
        job = second.wait_job(job_id, lambda j: j["status"] in TERMINAL, 60, "a final status")
        # attempt 1 unknown → requeued (retry_uncertain) → attempt 2 unknown → failed (max attempts).
        assert (job["status"], job["failure_cause"], job["attempts"]) == ("failed", "outcome_unknown", 2), job
        events = check_event_log(second, job_id, job)
        reconciled = [e for e in events if e["source"] == "reconciler"]
        assert reconciled and reconciled[0]["to"] == "queued", events
        assert reconciled[0]["cause"] == "outcome_unknown"
        assert [e["event"] for e in events].count("claim") == 2
    journal = second.journal()
    for job_id in jobs:
        attempts = sorted(e["attempt"] for e in journal if e["job"] == job_id and e["event"] == "submitted")
        assert attempts == [1, 2], (job_id, attempts)
    assert second.stop() == 0
