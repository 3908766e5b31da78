"""The rate limiter under a burst, over real TCP: a bucket's worth gets through, the rest get 429 with
Retry-After, health checks pass regardless."""
import concurrent.futures
import time

import requests


def test_a_burst_is_cut_to_the_bucket_and_refills(daemon_factory):
    daemon = daemon_factory({"FAXBOT_RATE_LIMIT_RPS": "5"})
    session = requests.Session()

    def hit(_):
        r = session.get(daemon.url + "/fax", headers=daemon.headers(), timeout=10)
        return r.status_code, r.headers

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(hit, range(50)))
    elapsed = time.monotonic() - started
    ok = [h for s, h in results if s == 200]
    limited = [h for s, h in results if s == 429]
    assert len(ok) + len(limited) == 50
    # A bucket of 5, plus whatever 5/s refilled while the burst ran.
    assert 5 <= len(ok) <= 5 + int(elapsed * 5) + 1, (len(ok), elapsed)
    assert all(h["X-RateLimit-Limit"] == "5" for h in ok + limited)
    assert all(int(h["Retry-After"]) >= 1 for h in limited)
    assert all("Retry-After" not in h for h in ok)
    # Health checks are never limited, even with the bucket empty.
    assert requests.get(daemon.url + "/health", timeout=5).status_code == 200
    # Refilling is checked exactly on a manual clock (Tests/FaxbotServerTests/RateLimiterTests.swift).
