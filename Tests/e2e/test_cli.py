"""The `faxbot` command line against a running daemon: send, status, list, cancel, keys, config check; and selftest."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
from typing import Dict, List, Optional

from conftest import API_KEY, BINARY, make_pdf


def run(args: List[str], cwd: pathlib.Path, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FAX_", "FAXBOT_", "API_KEY"))}
    base.update(env or {})
    return subprocess.run([str(BINARY), *args], cwd=cwd, env=base, capture_output=True, text=True, timeout=60)


def test_send_status_list_cancel(daemon, tmp_path):
    doc = tmp_path / "letter.pdf"
    doc.write_bytes(make_pdf(pages=2))
    env = {"FAXBOT_URL": daemon.url, "FAXBOT_API_KEY": daemon.api_key}
    sent = run(["send", str(doc), "--to", "+15551230000", "--idempotency-key", "cli-1"], tmp_path, env)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    job = json.loads(sent.stdout)
    assert job["pages"] == 2
    again = run(["send", str(doc), "--to", "+15551230000", "--idempotency-key", "cli-1"], tmp_path, env)
    assert json.loads(again.stdout)["id"] == job["id"]

    daemon.wait_job(job["id"], lambda j: j["status"] == "delivered")
    status = run(["status", job["id"], "--events"], tmp_path, env)
    assert status.returncode == 0
    assert '"delivered"' in status.stdout and '"accepted"' in status.stdout

    listed = run(["list", "--status", "delivered"], tmp_path, env)
    assert json.loads(listed.stdout)["items"][0]["id"] == job["id"]

    ringing = json.loads(run(["send", str(doc), "--to", "+15551234444"], tmp_path, env).stdout)
    daemon.wait_job(ringing["id"], lambda j: j["status"] == "in_progress")
    canceled = run(["cancel", ringing["id"]], tmp_path, env)
    assert canceled.returncode == 0
    assert json.loads(canceled.stdout)["cancel_requested"] is True
    daemon.wait_job(ringing["id"], lambda j: j["status"] == "canceled")
    twice = run(["cancel", ringing["id"]], tmp_path, env)
    assert twice.returncode == 1
    assert "409" in twice.stdout and "canceled" in twice.stdout


def test_errors_are_plain_words_with_exit_codes(daemon, tmp_path):
    doc = tmp_path / "letter.pdf"
    doc.write_bytes(make_pdf())
    env = {"FAXBOT_URL": daemon.url, "FAXBOT_API_KEY": daemon.api_key}
    bad = run(["send", str(doc), "--to", "555-1234"], tmp_path, env)
    assert bad.returncode == 1
    assert "400" in bad.stdout and "E.164" in bad.stdout
    wrong_key = run(["status", "0" * 32], tmp_path, {"FAXBOT_URL": daemon.url, "FAXBOT_API_KEY": "nope"})
    assert wrong_key.returncode == 1 and "401" in wrong_key.stdout
    missing = run(["send", str(tmp_path / "absent.pdf"), "--to", "+15551230000"], tmp_path, env)
    assert missing.returncode == 2 and "cannot read" in missing.stdout
    down = run(["status", "0" * 32], tmp_path, {"FAXBOT_URL": "http://127.0.0.1:9", "FAXBOT_API_KEY": API_KEY})
    assert down.returncode == 3 and "cannot reach" in down.stdout


def test_keys_create_list_revoke(daemon_factory, tmp_path):
    data = tmp_path / "keys-data"
    env = {"FAX_DATA_DIR": str(data)}
    created = run(["keys", "create", "--name", "front desk", "--scopes", "fax:send,fax:read"], tmp_path, env)
    assert created.returncode == 0, created.stdout + created.stderr
    token = created.stdout.strip()
    assert token.startswith("fbk_live_")
    key_id = token.split("_")[2]
    assert run(["keys", "create", "--name", "x", "--scopes", "fax:everything"], tmp_path, env).returncode == 2

    daemon = daemon_factory({"API_KEY": ""}, data_dir=data)
    doc_headers = {"X-API-Key": token}
    files = {"file": ("a.pdf", make_pdf(), "application/pdf")}
    ok = daemon.post("/fax", data={"to": "+15551230000"}, files=files, headers=doc_headers)
    assert ok.status_code == 202
    # A stored key exists, so a request without one is refused even on loopback.
    assert daemon.post("/fax", data={"to": "+15551230000"}, files=files, headers={"X-API-Key": ""}).status_code == 401

    listed = run(["keys", "list"], tmp_path, env)
    assert key_id in listed.stdout and "active" in listed.stdout and token.split("_", 3)[3] not in listed.stdout
    assert run(["keys", "revoke", key_id], tmp_path, env).returncode == 0
    assert "revoked" in run(["keys", "list"], tmp_path, env).stdout
    assert daemon.get(f"/fax/{'0' * 32}", headers=doc_headers).status_code == 401
    # Revoking the last key does not reopen the API.
    assert daemon.get(f"/fax/{'0' * 32}", headers={"X-API-Key": ""}).status_code == 401
    assert run(["keys", "revoke", key_id], tmp_path, env).returncode == 1


def test_config_check_explains_each_mistake(tmp_path):
    good = run(["config", "check"], tmp_path)
    assert good.returncode == 0 and "configuration OK" in good.stdout
    config = tmp_path / "faxbot.yaml"
    config.write_text("listen: nowhere\ncolour: blue\n")
    bad = run(["config", "check", "--config", str(config)], tmp_path, {"FAX_BACKEND": "phaxio", "MAX_FILE_SIZE_MB": "ten"})
    assert bad.returncode == 2
    for key in ("listen", "colour", "backend", "max_file_size_mb"):
        assert key in bad.stdout
    assert "FAX_BACKEND" in bad.stdout
    refused = run(["serve", "--listen", "0.0.0.0:0", "--data-dir", str(tmp_path / "exposed")], tmp_path)
    assert refused.returncode == 2
    assert "no API key" in refused.stderr + refused.stdout


def test_selftest_faxes_a_document_to_itself_and_fails_loudly_on_a_bad_one(tmp_path):
    built_in = run(["selftest"], tmp_path)
    assert built_in.returncode == 0, built_in.stdout + built_in.stderr
    lines = built_in.stdout.splitlines()
    assert lines[0].startswith("document     text → TIFF-F, 1 page(s), fine")
    for call in ("audio non-ECM", "audio ECM", "T.38 non-ECM", "T.38 ECM"):
        line = next(l for l in lines if l.startswith(call))
        assert " OK " in line and "pages 1/1" in line and "result 0/0" in line, line
    assert lines[-1] == "selftest passed"

    letter = tmp_path / "letter.pdf"
    letter.write_bytes(make_pdf(pages=3))
    standard = run(["selftest", str(letter), "--resolution", "standard", "--paper", "a4"], tmp_path)
    assert standard.returncode == 0, standard.stdout
    assert "pdf → TIFF-F, 3 page(s), standard" in standard.stdout
    assert standard.stdout.count("pages 3/3") == 4

    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF\n")
    bad = run(["selftest", str(damaged)], tmp_path)
    assert bad.returncode == 1
    assert bad.stdout.startswith("document     rejected: the PDF")

    usage = run(["selftest", "--resolution", "ultra"], tmp_path)
    assert usage.returncode == 2
