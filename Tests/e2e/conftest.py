"""End-to-end fixtures: run the real faxbot daemon as a subprocess on a free loopback port.

`daemon_factory(env=..., data_dir=...)` starts a daemon and returns a `Daemon`; every daemon it
started is stopped (SIGTERM, then SIGKILL) when the test ends. Reusing `data_dir` restarts a
daemon on the same database, spool and transport journal.
"""

from __future__ import annotations

import json
import os
import pathlib
import signal
import socket
import subprocess
import time
from typing import Any, Callable, Dict, Iterable, List, Optional

import pytest
import requests

REPO = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("FAXBOT_BIN", str(REPO / ".build" / "debug" / "faxbot")))
API_KEY = "e2e-bootstrap-key-0123456789"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 60.0

# Settings the daemon reads from the environment; the inherited ones are dropped so that the
# developer's shell can't change what a test sees.
_SCRUBBED_PREFIXES = ("FAX_", "FAXBOT_", "API_KEY", "MAX_FILE_SIZE_MB", "REQUIRE_API_KEY", "LOG_LEVEL")

# A small, well-formed one-page PDF (xref offsets computed below).
def make_pdf(text: str = "faxbot e2e", pages: int = 1) -> bytes:
    objects: List[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    font_ref = 3 + 2 * pages
    for i in range(pages):
        content_ref = 4 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_ref} 0 R "
            f"/Resources << /Font << /F1 {font_ref} 0 R >> >> >>".encode()
        )
        stream = f"BT /F1 18 Tf 72 720 Td ({text} page {i + 1}) Tj ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], Any], timeout: float, interval: float = 0.1, what: str = "condition") -> Any:
    """Polls `predicate` until it returns a truthy value (returned) or fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error: Optional[BaseException] = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except (requests.RequestException, OSError) as error:  # daemon briefly unreachable
            last_error = error
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))
        time.sleep(interval)


class Daemon:
    def __init__(self, work_dir: pathlib.Path, data_dir: pathlib.Path, env: Dict[str, str], name: str):
        self.work_dir = work_dir
        self.data_dir = data_dir
        self.extra_env = dict(env)
        self.api_key = env.get("API_KEY", API_KEY)
        self.log_path = work_dir / f"{name}.stderr.log"
        self.proc: Optional[subprocess.Popen] = None
        self.port = 0
        self._log_file = None

    # ---- lifecycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> "Daemon":
        wait_for(lambda: BINARY.is_file() and os.access(BINARY, os.X_OK), 120, 1.0, f"the daemon binary at {BINARY}")
        env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_PREFIXES)}
        env.update({"API_KEY": API_KEY, "FAX_BACKEND": "test",
                    # The daemon runs in a scratch directory: point it at the repository's shared files.
                    "FAXBOT_TRAITS_FILE": str(REPO / "config" / "provider_traits.json"),
                    "FAXBOT_OPENAPI_FILE": str(REPO / "docs" / "openapi.yaml")})
        env.update(self.extra_env)
        for attempt in range(3):
            self.port = free_port()
            self._log_file = open(self.log_path, "ab")
            self.proc = subprocess.Popen(
                [str(BINARY), "serve", "--listen", f"127.0.0.1:{self.port}", "--data-dir", str(self.data_dir)],
                cwd=str(self.work_dir), env=env, stdin=subprocess.DEVNULL,
                stdout=self._log_file, stderr=self._log_file,
            )
            if self._wait_ready():
                return self
            self._reap(kill=True)
        raise AssertionError(f"faxbot did not become healthy; log tail:\n{self.log_tail()}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                r = requests.get(self.url + "/health", timeout=2)
                if r.status_code == 200 and r.json() == {"status": "ok"}:
                    return True
            except (requests.RequestException, ValueError):
                pass
            time.sleep(0.1)
        return False

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM and wait; returns the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self._reap(kill=True)
                raise AssertionError(f"faxbot did not stop within {timeout} s of SIGTERM")
        self._close_log()
        return self.proc.returncode

    def kill9(self) -> None:
        assert self.proc is not None
        self._reap(kill=True)

    def _reap(self, kill: bool) -> None:
        if self.proc is not None and self.proc.poll() is None and kill:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)
        self._close_log()

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_text(self) -> str:
        return self.log_path.read_bytes().decode("utf-8", "replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def rss_kb(self) -> int:
        for line in pathlib.Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS in /proc status")

    # ---- HTTP helpers ----------------------------------------------------------------------
    def headers(self, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
        h = {"X-API-Key": self.api_key}
        h.update(extra or {})
        return h

    def get(self, path: str, **kw) -> requests.Response:
        kw.setdefault("headers", self.headers())
        kw.setdefault("timeout", 15)
        return requests.get(self.url + path, **kw)

    def post(self, path: str, **kw) -> requests.Response:
        kw.setdefault("headers", self.headers())
        kw.setdefault("timeout", 30)
        return requests.post(self.url + path, **kw)

    def submit(self, to: Optional[str], content: Optional[bytes] = None, filename: str = "doc.pdf",
               path: str = "/fax", headers: Optional[Dict[str, str]] = None, fields: Optional[Dict[str, str]] = None,
               mime: str = "application/pdf") -> requests.Response:
        data = dict(fields or {})
        if to is not None:
            data["to"] = to
        files = {"file": (filename, content if content is not None else make_pdf(), mime)} if content is not False else None
        return self.post(path, data=data, files=files, headers=self.headers(headers))

    def job(self, job_id: str) -> Dict[str, Any]:
        r = self.get(f"/fax/{job_id}")
        assert r.status_code == 200, (job_id, r.status_code, r.text)
        return r.json()

    def events(self, job_id: str) -> List[Dict[str, Any]]:
        r = self.get(f"/fax/{job_id}/events")
        assert r.status_code == 200, (job_id, r.status_code, r.text)
        return r.json()["items"]

    def list_all(self, **query: str) -> List[Dict[str, Any]]:
        items: List[Dict[str, Any]] = []
        params: Dict[str, Any] = {"limit": 200, **query}
        for _ in range(1000):
            r = self.get("/fax", params=params)
            assert r.status_code == 200, r.text
            page = r.json()
            items += page["items"]
            if not page["next_cursor"]:
                return items
            params["cursor"] = page["next_cursor"]
        raise AssertionError("pagination did not end")

    def wait_job(self, job_id: str, predicate: Callable[[Dict[str, Any]], bool], timeout: float = 60,
                 what: str = "job state") -> Dict[str, Any]:
        return wait_for(lambda: (lambda j: j if predicate(j) else None)(self.job(job_id)), timeout, 0.1,
                        f"{what} of {job_id}")

    def journal(self) -> List[Dict[str, Any]]:
        path = self.data_dir / "test-transport.journal"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


TERMINAL = {"delivered", "failed", "canceled"}


class DaemonFactory:
    """Starts daemons under one work directory and stops every one of them in `close()`."""

    def __init__(self, base: pathlib.Path):
        self.base = base
        self.started: List[Daemon] = []

    def __call__(self, env: Optional[Dict[str, str]] = None, data_dir: Optional[pathlib.Path] = None,
                 start: bool = True) -> Daemon:
        n = len(self.started) + 1
        daemon = Daemon(self.base, data_dir or (self.base / f"data{n}"), env or {}, f"faxbot{n}")
        self.started.append(daemon)
        return daemon.start() if start else daemon

    def close(self) -> None:
        for daemon in self.started:
            if daemon.running:
                try:
                    daemon.stop(timeout=15)
                except AssertionError:
                    pass
            daemon._reap(kill=True)


@pytest.fixture
def daemon_factory(tmp_path: pathlib.Path):
    factory = DaemonFactory(tmp_path)
    yield factory
    factory.close()


@pytest.fixture
def daemon(daemon_factory) -> Daemon:
    return daemon_factory({"FAXBOT_TEST_DELAY_MS": "100", "FAXBOT_POLL_INTERVAL_MS": "100"})


def count_by(entries: Iterable[Dict[str, Any]], **match: Any) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for entry in entries:
        if all(entry.get(k) == v for k, v in match.items()):
            counts[entry["job"]] = counts.get(entry["job"], 0) + 1
    return counts
