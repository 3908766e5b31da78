"""Hostile HTTP over real TCP: oversized, mistyped, malformed and repeated requests.

One daemon (MAX_FILE_SIZE_MB=1) serves the whole module; the last test checks that after all
of it the daemon is healthy and its spool holds exactly one document per job (plus, while an attempt runs, its derived fax file).
"""

from __future__ import annotations

import concurrent.futures
import os
import select
import socket
import stat
import time
import uuid
from typing import Iterable, Optional, Tuple

import pytest
import requests

from conftest import TERMINAL, DaemonFactory, make_pdf, wait_for

MB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + b"\x00" * 64


@pytest.fixture(scope="module")
def daemon(tmp_path_factory):
    factory = DaemonFactory(tmp_path_factory.mktemp("hostile"))
    yield factory({"MAX_FILE_SIZE_MB": "1", "FAXBOT_TEST_DELAY_MS": "50", "FAXBOT_POLL_INTERVAL_MS": "100"})
    factory.close()


# ---- a raw HTTP/1.1 client that stops sending as soon as the server answers --------------------
def multipart_parts(boundary: str, to: str, file_chunks: Iterable[bytes], filename: str = "big.pdf") -> Iterable[bytes]:
    yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"to\"\r\n\r\n{to}\r\n"
           f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
           f"Content-Type: application/pdf\r\n\r\n").encode()
    yield from file_chunks
    yield f"\r\n--{boundary}--\r\n".encode()


def filler(total: int, piece: int = 64 * 1024) -> Iterable[bytes]:
    yield b"%PDF-1.4\n"
    sent = 9
    while sent < total:
        n = min(piece, total - sent)
        yield b"0" * n
        sent += n


class _Answered(Exception):
    pass


def raw_post(daemon, path: str, parts: Iterable[bytes], content_type: str, content_length: Optional[int] = None,
             timeout: float = 60) -> Tuple[Optional[int], bytes, int]:
    """POSTs `parts` (chunked when no length). Returns (status or None, raw response, bytes sent)."""
    framing = f"Content-Length: {content_length}\r\n" if content_length is not None else "Transfer-Encoding: chunked\r\n"
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{daemon.port}\r\nX-API-Key: {daemon.api_key}\r\n"
            f"Content-Type: {content_type}\r\n{framing}Connection: close\r\n\r\n").encode()
    sock = socket.create_connection(("127.0.0.1", daemon.port), timeout=10)
    sock.setblocking(False)
    response = b""
    sent = 0
    deadline = time.monotonic() + timeout

    def pieces():
        yield head
        for part in parts:
            yield (b"%x\r\n%s\r\n" % (len(part), part)) if content_length is None and part else part
        if content_length is None:
            yield b"0\r\n\r\n"

    try:
        for piece in pieces():
            view = memoryview(piece)
            while view and time.monotonic() < deadline:
                readable, writable, _ = select.select([sock], [sock], [], 1.0)
                if readable:
                    raise _Answered()  # the server answered: stop sending
                if writable:
                    n = sock.send(view)
                    sent += n
                    view = view[n:]
    except (_Answered, BrokenPipeError, ConnectionResetError):
        pass
    try:
        while time.monotonic() < deadline:
            readable, _, _ = select.select([sock], [], [], 1.0)
            if readable:
                data = sock.recv(65536)
                if not data:
                    break
                response += data
                if b"\r\n\r\n" in response and _complete(response):
                    break
    except (ConnectionResetError, BrokenPipeError):
        pass  # a reset after the answer is fine; the status is checked below
    finally:
        sock.close()
    status = int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else None
    return status, response, sent


def _complete(response: bytes) -> bool:
    head, _, body = response.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def incoming(daemon):
    return sorted(os.listdir(daemon.data_dir / "spool" / "incoming"))


# ---- size limits ------------------------------------------------------------------------------
def test_413_from_content_length(daemon):
    boundary = uuid.uuid4().hex
    parts = list(multipart_parts(boundary, "+15551230000", filler(3 * MB)))
    status, response, _ = raw_post(daemon, "/fax", parts, f"multipart/form-data; boundary={boundary}",
                                   content_length=sum(map(len, parts)))
    assert status == 413, response[:300]
    assert b'"detail":"File exceeds 1 MB limit"' in response


def test_413_is_decided_before_the_body_arrives(daemon):
    with socket.create_connection(("127.0.0.1", daemon.port), timeout=10) as sock:
        sock.sendall((f"POST /fax HTTP/1.1\r\nHost: x\r\nX-API-Key: {daemon.api_key}\r\n"
                      f"Content-Type: multipart/form-data; boundary=abc\r\nContent-Length: {3 * MB}\r\n\r\n").encode())
        assert sock.recv(64).startswith(b"HTTP/1.1 413 "), "no 413 from the declared length alone"


def test_413_while_streaming_chunked(daemon):
    boundary = uuid.uuid4().hex
    status, response, _ = raw_post(daemon, "/fax", multipart_parts(boundary, "+15551230000", filler(3 * MB)),
                                   f"multipart/form-data; boundary={boundary}")
    assert status == 413, response[:300]
    assert b"File exceeds 1 MB limit" in response


def test_413_when_file_passes_limit_within_declared_length(daemon):
    # The declared body is within the envelope; the file part alone is 10 KiB over the limit.
    boundary = uuid.uuid4().hex
    parts = list(multipart_parts(boundary, "+15551230000", filler(MB + 10 * 1024)))
    status, response, _ = raw_post(daemon, "/fax", parts, f"multipart/form-data; boundary={boundary}",
                                   content_length=sum(map(len, parts)))
    assert status == 413, response[:300]


def test_file_exactly_at_limit_is_accepted(daemon):
    r = daemon.submit("+15551230000", b"%PDF-1.4\n" + b"0" * (MB - 9), "exact.pdf")
    assert r.status_code == 202, r.text


def test_50mb_chunked_upload_keeps_memory_bounded(daemon):
    boundary = uuid.uuid4().hex
    warm, _, _ = raw_post(daemon, "/fax", multipart_parts(boundary, "+15551230000", filler(3 * MB)),
                          f"multipart/form-data; boundary={boundary}")
    assert warm == 413
    before = daemon.rss_kb()
    status, response, sent = raw_post(daemon, "/fax", multipart_parts(boundary, "+15551230000", filler(50 * MB)),
                                      f"multipart/form-data; boundary={boundary}", timeout=120)
    assert status == 413, response[:300]
    after = daemon.rss_kb()
    assert after - before < 8 * 1024, f"RSS grew from {before} kB to {after} kB (sent {sent} bytes)"
    assert daemon.get("/health").status_code == 200
    wait_for(lambda: incoming(daemon) == [], 10, 0.1, "incoming/ to be empty")


def open_sockets(daemon) -> int:
    fd_dir = f"/proc/{daemon.pid}/fd"
    count = 0
    for name in os.listdir(fd_dir):
        try:
            count += os.readlink(os.path.join(fd_dir, name)).startswith("socket:")
        except OSError:
            pass
    return count


def test_rejected_uploads_do_not_pin_connections(daemon):
    # RFC 9112 9.5: a client that sees an error response mid-upload stops sending and closes.
    # raw_post does that (with `Connection: close`); the daemon must then release the connection.
    baseline = open_sockets(daemon)
    rss_before = daemon.rss_kb()
    boundary = uuid.uuid4().hex
    for _ in range(10):
        status, response, _ = raw_post(daemon, "/fax", multipart_parts(boundary, "+15551230000", filler(3 * MB)),
                                       f"multipart/form-data; boundary={boundary}")
        assert status == 413, response[:300]
    try:
        wait_for(lambda: open_sockets(daemon) <= baseline, 30, 0.5, "the rejected connections to be released")
    except AssertionError:
        raise AssertionError(f"30 s after 10 rejected uploads the daemon still holds {open_sockets(daemon)} sockets "
                             f"(baseline {baseline}); RSS {rss_before} -> {daemon.rss_kb()} kB") from None


# ---- content types ------------------------------------------------------------------------------
@pytest.mark.parametrize("content, filename", [
    (PNG, "scan.pdf"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "notes.txt"),
    (b"PK\x03\x04" + b"\x00" * 40, "archive.pdf"),
    (b"plain text with a NUL \x00 inside", "x.txt"),
    (b"caf\xe9 latin-1 is not UTF-8", "x.txt"),
])
def test_unsupported_content_is_415(daemon, content, filename):
    r = daemon.submit("+15551230000", content, filename)
    assert r.status_code == 415, r.text
    assert r.json() == {"detail": "Only PDF and TXT are allowed"}


def test_empty_file_is_400(daemon):
    r = daemon.submit("+15551230000", b"", "empty.pdf")
    assert r.status_code == 400, r.text
    assert r.json() == {"detail": "File is empty"}


def test_kind_is_decided_by_content_not_name(daemon):
    as_text = daemon.submit("+15551230000", b"hello, this is text\n", "looks-like.pdf", mime="application/pdf")
    assert as_text.status_code == 202, as_text.text
    as_pdf = daemon.submit("+15551230000", make_pdf(), "looks-like.txt", mime="text/plain")
    assert as_pdf.status_code == 202, as_pdf.text
    spool = daemon.data_dir / "spool"
    # Once the jobs end, the derived fax files are gone and only the uploads remain.
    for r in (as_text, as_pdf):
        daemon.wait_job(r.json()["id"], lambda j: j["status"] in TERMINAL, what="a terminal status")
    assert [p.name for p in spool.glob(as_text.json()["id"] + ".*")] == [as_text.json()["id"] + ".txt"]
    assert [p.name for p in spool.glob(as_pdf.json()["id"] + ".*")] == [as_pdf.json()["id"] + ".pdf"]


# ---- malformed bodies ---------------------------------------------------------------------------
def _form(boundary: str, to: str = "+15551230000", file: bytes = b"%PDF-1.4\nx\n") -> bytes:
    return b"".join(multipart_parts(boundary, to, [file]))


@pytest.mark.parametrize("content_type, body", [
    ("multipart/form-data; boundary=AAAA", _form("BBBB")),                       # wrong boundary
    ("multipart/form-data; boundary=AAAA", _form("AAAA")[:-30]),                 # truncated in the file part
    ("multipart/form-data; boundary=AAAA", _form("AAAA")[:40]),                  # truncated in the headers
    ("multipart/form-data; boundary=AAAA", b"\x00\xff garbage \r\n\r\n--"),     # garbage
    ("multipart/form-data", _form("AAAA")),                                     # no boundary
    ("application/json", b'{"to": "+15551230000"}'),                            # not multipart
    ("multipart/form-data; boundary=AAAA", _form("AAAA").replace(b'name="to"', b'name="file"; filename="a.pdf"')),
])
def test_malformed_multipart_is_rejected(daemon, content_type, body):
    r = requests.post(daemon.url + "/fax", data=body, timeout=30,
                      headers=daemon.headers({"Content-Type": content_type}))
    assert r.status_code in (400, 422), (r.status_code, r.text)
    assert "detail" in r.json()
    if r.status_code == 400:
        assert r.json()["detail"] in ("There was an error parsing the body", "Only one file per fax"), r.text


def test_client_vanishing_mid_upload_leaves_nothing_behind(daemon):
    boundary = uuid.uuid4().hex
    head = next(iter(multipart_parts(boundary, "+15551230000", [])))
    with socket.create_connection(("127.0.0.1", daemon.port), timeout=10) as sock:
        sock.sendall((f"POST /fax HTTP/1.1\r\nHost: x\r\nX-API-Key: {daemon.api_key}\r\n"
                      f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                      f"Content-Length: {500 * 1024}\r\n\r\n").encode() + head + b"%PDF-1.4\n" + b"0" * 100_000)
        wait_for(lambda: incoming(daemon), 10, 0.05, "the upload to start")
    wait_for(lambda: incoming(daemon) == [], 15, 0.1, "the abandoned upload to be removed")
    assert daemon.get("/health").status_code == 200


@pytest.mark.parametrize("fields, file, missing", [
    ({}, True, ["to"]),
    ({"to": "+15551230000"}, False, ["file"]),
    ({"other": "x"}, False, ["to", "file"]),
])
def test_missing_fields_are_422(daemon, fields, file, missing):
    files = {"file": ("a.pdf", make_pdf(), "application/pdf")} if file else {"other_file": ("o.txt", b"x", "text/plain")}
    r = daemon.post("/fax", data=fields, files=files)
    assert r.status_code == 422, r.text
    assert r.json() == {"detail": [{"type": "missing", "loc": ["body", name], "msg": "Field required", "input": None}
                                   for name in missing]}


@pytest.mark.parametrize("number", [
    "+1 555 123 0000", "555-123-0000", "+1555abc0000", "12345", "+12345", "1" * 21, "+" + "1" * 21,
    "", "++15551230000", "1555123000+", "\u0661\u0662\u0663\u0664\u0665\u0666\u0667", "+1555123000\n",
])
def test_bad_numbers_are_400(daemon, number):
    for path in ("/fax", "/fax/send"):
        r = daemon.submit(number, make_pdf(), "a.pdf", path=path)
        assert r.status_code == 400, (path, number, r.status_code, r.text)
        assert r.json()["detail"] == "'to' must be E.164 or digits only"


@pytest.mark.parametrize("job_id", ["0" * 32, "f" * 32, "zz", "A" * 32, "0" * 31, "..%2F..%2Fetc%2Fpasswd", "%00"])
def test_unknown_ids_are_404(daemon, job_id):
    for method, path in [("GET", f"/fax/{job_id}"), ("GET", f"/fax/status/{job_id}"),
                         ("GET", f"/fax/{job_id}/events"), ("POST", f"/fax/{job_id}/cancel")]:
        r = requests.request(method, daemon.url + path, headers=daemon.headers(), timeout=15)
        assert r.status_code == 404, (method, path, r.status_code, r.text)
        assert r.json()["detail"] in ("Job not found", "Not Found"), r.text
    assert daemon.get(f"/fax/{'0' * 32}").json() == {"detail": "Job not found"}


@pytest.mark.parametrize("key", [None, "", "wrong", "E2E-BOOTSTRAP-KEY-0123456789", "e2e-bootstrap-key-012345678",
                                 "e2e-bootstrap-key-0123456789x", "fbk_abc.def", "x" * 5000])
def test_bad_keys_are_401(daemon, key):
    headers = {} if key is None else {"X-API-Key": key}
    calls = [
        lambda: requests.post(daemon.url + "/fax", headers=headers, timeout=15,
                              data={"to": "+15551230000"}, files={"file": ("a.pdf", make_pdf(), "application/pdf")}),
        lambda: requests.get(daemon.url + "/fax", headers=headers, timeout=15),
        lambda: requests.get(daemon.url + f"/fax/{'0' * 32}", headers=headers, timeout=15),
        lambda: requests.post(daemon.url + f"/fax/{'0' * 32}/cancel", headers=headers, timeout=15),
    ]
    for call in calls:
        r = call()
        assert r.status_code == 401, (key and key[:40], r.status_code, r.text)
        assert r.json() == {"detail": "Invalid or missing API key"}
    assert requests.get(daemon.url + "/health", headers=headers, timeout=15).json() == {"status": "ok"}


# ---- idempotency --------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["", "k" * 129, "caf\u00e9", "tab\there", "\u00ff" * 10])
def test_invalid_idempotency_key_is_400(daemon, key):
    r = daemon.submit("+15551230000", make_pdf(), "a.pdf", headers={"Idempotency-Key": key.encode("latin-1")})
    assert r.status_code == 400, (key, r.status_code, r.text)
    assert "Idempotency-Key" in r.json()["detail"]


def test_longest_idempotency_key_is_accepted(daemon):
    key = "".join(chr(c) for c in range(0x21, 0x7F)) + "k" * 34  # 128 printable characters
    first = daemon.submit("+15551230000", make_pdf("k128"), "a.pdf", headers={"Idempotency-Key": key})
    again = daemon.submit("+15551230000", make_pdf("k128"), "a.pdf", headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (202, 202), (first.text, again.text)
    assert first.json()["id"] == again.json()["id"]
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_200_concurrent_submits_with_one_key_create_one_job(daemon):
    key = "concurrent-" + uuid.uuid4().hex
    number = "+15559870000"
    pdf = make_pdf("idempotent")

    def one(_):
        r = daemon.submit(number, pdf, "same.pdf", headers={"Idempotency-Key": key})
        return r.status_code, r.json().get("id"), r.headers.get("Idempotent-Replayed")

    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        results = list(pool.map(one, range(200)))
    assert {status for status, _, _ in results} == {202}, results[:5]
    ids = {job_id for _, job_id, _ in results}
    assert len(ids) == 1, ids
    assert sorted(replayed or "" for _, _, replayed in results) == [""] + ["true"] * 199
    listed = daemon.list_all(to=number)
    assert [j["id"] for j in listed] == list(ids)

    other_body = daemon.submit(number, make_pdf("a different document"), "same.pdf", headers={"Idempotency-Key": key})
    assert other_body.status_code == 422, other_body.text
    assert other_body.json() == {"detail": "Idempotency-Key was already used with a different request"}
    other_number = daemon.submit("+15559871111", pdf, "same.pdf", headers={"Idempotency-Key": key})
    assert other_number.status_code == 422, other_number.text
    assert [j["id"] for j in daemon.list_all(to=number)] == list(ids)
    assert daemon.list_all(to="+15559871111") == []


def test_cancel_of_terminal_job_is_409(daemon):
    job = daemon.submit("+15551230000", make_pdf(), "a.pdf").json()
    daemon.wait_job(job["id"], lambda j: j["status"] == "delivered", 30, "delivery")
    r = daemon.post(f"/fax/{job['id']}/cancel")
    assert r.status_code == 409, r.text
    assert daemon.job(job["id"])["status"] == "delivered"


# ---- after all of the above --------------------------------------------------------------------
def test_zz_daemon_healthy_and_spool_consistent(daemon):
    assert requests.get(daemon.url + "/health", timeout=5).json() == {"status": "ok"}
    assert daemon.running
    wait_for(lambda: incoming(daemon) == [], 15, 0.1, "incoming/ to be empty")
    jobs = daemon.list_all()
    assert jobs, "the module created jobs"
    spool = daemon.data_dir / "spool"
    documents = sorted(p.name for p in spool.iterdir() if p.is_file())
    by_id = {}
    for name in documents:
        stem, _, ext = name.partition(".")
        mode = stat.S_IMODE(os.stat(spool / name).st_mode)
        if ext.startswith("fax."):
            # What an attempt in flight is handed (removed when the job ends): named by id, 0600.
            assert stem in {j["id"] for j in jobs} and mode == 0o600, (name, oct(mode))
            continue
        assert ext in ("pdf", "txt"), name
        assert stem not in by_id, f"two documents for job {stem}"
        by_id[stem] = name
        mode = stat.S_IMODE(os.stat(spool / name).st_mode)
        assert mode == 0o600, (name, oct(mode))
    assert set(by_id) == {j["id"] for j in jobs}, "spool documents and jobs differ"
