"""Type=notify against a real NOTIFY_SOCKET datagram socket: READY=1 once the daemon serves, WATCHDOG=1
at half of WATCHDOG_USEC, STOPPING=1 when SIGTERM starts the drain."""
import socket
import time

import requests


def _messages(sock, until, timeout):
    """Datagrams until one contains `until` (returned with all before it), or AssertionError at timeout."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            data = sock.recv(4096).decode()
        except socket.timeout:
            break
        seen.append(data)
        if until in data:
            return seen
    raise AssertionError(f"no {until!r} within {timeout} s; got {seen}")


def test_ready_watchdog_and_stopping_arrive_when_they_should(daemon_factory, tmp_path):
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    try:
        daemon = daemon_factory({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000", "FAXBOT_TEST_DELAY_MS": "50"})
        first = _messages(sock, "READY=1", 30)
        # READY comes once the database is migrated and the API answers.
        assert (daemon.data_dir / "faxbot.db").exists()
        assert requests.get(daemon.url + "/health", timeout=5).status_code == 200
        assert all("STOPPING" not in m for m in first)
        # The watchdog is fed every 0.2 s: several pings in a second and a half.
        pings = _messages(sock, "WATCHDOG=1", 5)
        pings += _messages(sock, "WATCHDOG=1", 5)
        assert sum("WATCHDOG=1" in m for m in pings) >= 2
        daemon.stop(timeout=30)
        rest = _messages(sock, "STOPPING=1", 10)
        assert any("STOPPING=1" in m for m in rest)
    finally:
        sock.close()


def test_without_notify_socket_nothing_is_sent_and_the_daemon_runs(daemon):
    assert requests.get(daemon.url + "/health", timeout=5).json() == {"status": "ok"}
