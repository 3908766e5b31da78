"""Secrets: `fernet:` values interoperate with Python's `cryptography` Fernet in both directions."""
import subprocess

import requests
from cryptography.fernet import Fernet

from conftest import BINARY


def test_our_tokens_decrypt_in_python_and_theirs_here(daemon_factory, tmp_path):
    key = Fernet.generate_key().decode()
    # faxbot encrypts → Python decrypts.
    made = subprocess.run([str(BINARY), "config", "encrypt"], input="sk_live_secret ✓\n", capture_output=True, text=True,
                          env={"CONFIG_MASTER_KEY": key, "PATH": "/usr/bin:/bin"}, cwd=tmp_path, timeout=30)
    assert made.returncode == 0, made.stdout + made.stderr
    assert made.stdout.startswith("fernet:")
    assert Fernet(key.encode()).decrypt(made.stdout.strip()[len("fernet:"):].encode()).decode() == "sk_live_secret ✓"

    # Python encrypts → the daemon decrypts its API key at load.
    token = Fernet(key.encode()).encrypt(b"python-made-key-0123").decode()
    daemon = daemon_factory({"API_KEY": "fernet:" + token, "CONFIG_MASTER_KEY": key})
    assert requests.get(daemon.url + "/fax", headers={"X-API-Key": "python-made-key-0123"}, timeout=10).status_code == 200
    assert requests.get(daemon.url + "/fax", headers={"X-API-Key": "fernet:" + token}, timeout=10).status_code == 401
    assert token not in daemon.log_text()


def test_boot_fails_at_once_without_required_secrets(tmp_path):
    run = subprocess.run([str(BINARY), "serve", "--listen", "127.0.0.1:0", "--data-dir", str(tmp_path / "d")],
                         env={"BOOT_FAIL_ON_MISSING_SECRETS": "true", "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                         timeout=60, cwd=tmp_path)
    assert run.returncode == 2
    assert "CONFIG_MASTER_KEY and FAXBOT_SESSION_PEPPER are not set" in run.stdout + run.stderr
