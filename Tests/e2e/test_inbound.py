"""Received faxes end to end: `faxbot inbound submit` (the dialplan's fallback) against the real daemon, with the
daemon up (the record appears, its pdf_url opens without a key) and down (a sidecar is left; after the start the record
appears exactly once)."""

from __future__ import annotations

import json
import os
import pathlib
import stat
import subprocess
from typing import Dict, List

import requests

from conftest import BINARY, free_port, make_pdf, wait_for

SECRET = "e2e-inbound-secret-0123456789"


def make_tiff(path: pathlib.Path, pages: int = 2) -> pathlib.Path:
    """A received fax as ReceiveFAX writes one: a bilevel G4 TIFF at fax resolution."""
    pdf = path.with_name(path.stem + ".source.pdf")
    pdf.write_bytes(make_pdf("received fax", pages=pages))
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffg4", "-r204x196", f"-sOutputFile={path}", str(pdf)],
                   check=True, timeout=60)
    pdf.unlink()
    return path


def cli(args: List[str], env: Dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FAX_", "FAXBOT_", "API_KEY", "ASTERISK_"))}
    base.update(env)
    return subprocess.run([str(BINARY), *args], env=base, capture_output=True, text=True, timeout=120)


def submit(tiff: pathlib.Path, call_id: str, url: str, status: str = "SUCCESS", pages: str = "2") -> subprocess.CompletedProcess:
    # Exactly what the shipped dialplan's System() runs, values quoted.
    return cli(["inbound", "submit", "--transport", "sip", "--call-id", call_id, "--file", str(tiff), "--from", "+15550009876",
                "--to", "15551230000", "--status", status, "--pages", pages],
               {"FAXBOT_URL": url, "ASTERISK_INBOUND_SECRET": SECRET})


def page_count(pdf: bytes, tmp_path: pathlib.Path) -> int:
    path = tmp_path / "downloaded.pdf"
    path.write_bytes(pdf)
    return int(subprocess.run(["qpdf", "--show-npages", str(path)], capture_output=True, text=True, check=True).stdout)


def test_submit_with_the_daemon_up_records_once_and_the_pdf_url_needs_no_key(daemon_factory, tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    daemon = daemon_factory({"ASTERISK_INBOUND_SECRET": SECRET, "FAXBOT_INBOUND_DIR": str(spool)})
    tiff = make_tiff(spool / "1700000000.11.tif")

    first = submit(tiff, "1700000000.11", daemon.url)
    assert first.returncode == 0, first.stdout + first.stderr
    fax_id = json.loads(first.stdout)["id"]
    assert not tiff.exists()
    # The AMI event, the CLI fallback, a retry: the same call is one record.
    for _ in range(4):
        again = submit(tiff, "1700000000.11", daemon.url)
        assert again.returncode == 0, again.stdout + again.stderr
        assert json.loads(again.stdout)["id"] == fax_id

    listed = daemon.get("/inbound")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()] == [fax_id]
    item = listed.json()[0]
    assert (item["status"], item["pages"], item["backend"], item["to"], item["fr"]) == ("received", 2, "sip", "15551230000", "+15550009876")

    detail = daemon.get(f"/inbound/{fax_id}").json()
    pdf = requests.get(daemon.url + detail["pdf_url"], timeout=15)  # no X-API-Key, keys enforced
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert page_count(pdf.content, tmp_path) == 2
    assert requests.get(daemon.url + f"/inbound/{fax_id}/pdf", timeout=15).status_code == 401
    other = requests.get(daemon.url + f"/inbound/{'0' * 32}/pdf?" + detail["pdf_url"].split("?")[1], timeout=15)
    assert other.status_code == 403

    env = {"FAXBOT_URL": daemon.url, "FAXBOT_API_KEY": daemon.api_key}
    got = cli(["inbound", "get", fax_id], env)
    assert got.returncode == 0 and json.loads(got.stdout)["id"] == fax_id
    out = tmp_path / "saved.pdf"
    downloaded = cli(["inbound", "download", fax_id, "-o", str(out)], env)
    assert downloaded.returncode == 0, downloaded.stdout
    assert out.read_bytes() == pdf.content
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(cli(["inbound", "list", "--status", "received"], env).stdout)[0]["id"] == fax_id

    log = daemon.log_text()
    assert "inbound fax recorded" in log
    for phi in ("15551230000", "5550009876", "1700000000.11"):
        assert phi not in log, phi


def test_submit_with_the_daemon_down_leaves_a_sidecar_ingested_once_at_start(daemon_factory, tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    tiff = make_tiff(spool / "1700000000.12.tif", pages=3)
    down = f"http://127.0.0.1:{free_port()}"

    left = submit(tiff, "1700000000.12", down)
    assert left.returncode == 0, left.stdout + left.stderr
    assert "cannot reach the daemon" in left.stderr
    sidecar = spool / "1700000000.12.json"
    assert stat.S_IMODE(sidecar.stat().st_mode) == 0o640
    assert json.loads(sidecar.read_text())["call_id"] == "1700000000.12"
    # A call that failed before ReceiveFAX wrote anything: only the report exists.
    failed = submit(spool / "1700000000.13.tif", "1700000000.13", down, status="", pages="")
    assert failed.returncode == 0, failed.stdout + failed.stderr

    data = tmp_path / "data"
    env = {"ASTERISK_INBOUND_SECRET": SECRET, "FAXBOT_INBOUND_DIR": str(spool)}
    daemon = daemon_factory(env, data_dir=data)
    records = wait_for(lambda: (lambda r: r if len(r) == 2 else None)(daemon.get("/inbound").json()), 30, what="two records")
    by_call = {record["status"]: record for record in records}
    assert by_call["received"]["pages"] == 3
    assert by_call["failed"]["pages"] == 0
    wait_for(lambda: list(spool.iterdir()) == [], 10, what="the spool emptied")
    detail = daemon.get(f"/inbound/{by_call['received']['id']}").json()
    assert page_count(requests.get(daemon.url + detail["pdf_url"], timeout=15).content, tmp_path) == 3
    assert daemon.get(f"/inbound/{by_call['failed']['id']}").json()["pdf_url"] is None

    # The late AMI event or a second System() for the same call, and a restart: still one record each.
    assert submit(tiff, "1700000000.12", daemon.url).returncode == 0
    daemon.stop()
    again = daemon_factory(env, data_dir=data)
    assert sorted(r["id"] for r in again.get("/inbound").json()) == sorted(r["id"] for r in records)


def test_submit_explains_bad_arguments_and_refused_reports(daemon_factory, tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    daemon = daemon_factory({"ASTERISK_INBOUND_SECRET": SECRET, "FAXBOT_INBOUND_DIR": str(spool)})
    bad_status = cli(["inbound", "submit", "--call-id", "x", "--file", str(spool / "x.tif"), "--status", "MAYBE"], {})
    assert bad_status.returncode != 0 and "--status must be SUCCESS or FAILED" in bad_status.stderr
    bad_id = cli(["inbound", "submit", "--call-id", "../etc", "--file", str(spool / "x.tif")], {})
    assert bad_id.returncode != 0 and "--call-id" in bad_id.stderr
    missing = cli(["inbound", "submit", "--file", str(spool / "x.tif")], {})
    assert missing.returncode != 0 and "--call-id" in missing.stderr

    garbage = spool / "1700000000.14.tif"
    garbage.write_bytes(b"II*\x00 not a fax")
    refused = submit(garbage, "1700000000.14", daemon.url)
    assert refused.returncode == 1 and "422" in refused.stdout
    outside = make_tiff(tmp_path / "outside.tif", pages=1)
    escaped = submit(outside, "1700000000.15", daemon.url)
    assert escaped.returncode == 1 and "400" in escaped.stdout
    assert daemon.get("/inbound").json() == []
    assert outside.exists() and garbage.exists()

    wrong = cli(["inbound", "submit", "--call-id", "1700000000.16", "--file", str(make_tiff(spool / "1700000000.16.tif", pages=1))],
                {"FAXBOT_URL": daemon.url, "ASTERISK_INBOUND_SECRET": "not-the-daemons-secret"})
    # The daemon did not take it, but the fax is not lost: the report waits in the spool.
    assert wrong.returncode == 0 and "secret" in wrong.stderr
    assert (spool / "1700000000.16.json").exists()
