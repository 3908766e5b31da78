"""The sample unit: `systemd-analyze verify` is clean and `systemd-analyze security` rates it at most 2.0."""
import pathlib
import re
import shutil
import subprocess

import pytest

from conftest import BINARY

UNIT = pathlib.Path(__file__).resolve().parent.parent.parent / "systemd" / "faxbot.service"


@pytest.fixture
def unit(tmp_path):
    assert shutil.which("systemd-analyze"), "systemd-analyze (Debian package systemd) is installed by scripts/install-deps.sh"
    # verify checks that ExecStart exists: point it at the built binary.
    text = UNIT.read_text().replace("/usr/local/bin/faxbot", str(BINARY))
    path = tmp_path / "faxbot.service"
    path.write_text(text)
    return path


def test_the_unit_is_type_notify_with_a_watchdog():
    text = UNIT.read_text()
    for line in ("Type=notify", "WatchdogSec=30", "StateDirectory=faxbot", "RuntimeDirectory=faxbot", "LogsDirectory=faxbot",
                 "Restart=on-failure", "User=faxbot"):
        assert re.search(rf"^{re.escape(line)}$", text, re.M), line


def test_systemd_analyze_verify_is_clean(unit):
    run = subprocess.run(["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stderr.strip() == "", run.stderr


def test_systemd_analyze_security_rates_it_at_most_2(unit):
    run = subprocess.run(["systemd-analyze", "security", "--offline=true", "--threshold=20", str(unit)],
                         capture_output=True, text=True, timeout=60)
    level = re.search(r"Overall exposure level for faxbot.service: ([0-9.]+)", run.stdout)
    assert level, run.stdout + run.stderr
    assert float(level.group(1)) <= 2.0, run.stdout
    assert run.returncode == 0
