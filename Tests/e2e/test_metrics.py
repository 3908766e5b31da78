"""`GET /metrics` of the real daemon is valid Prometheus text (checked by promtool) and carries no PHI."""
import shutil
import subprocess

from conftest import make_pdf


def test_metrics_pass_promtool_and_hold_no_phi(daemon):
    number = "+15557654320000"[:12] + "0000"
    r = daemon.submit(number, make_pdf(pages=2), filename="Jane-Doe-referral.pdf")
    assert r.status_code == 202
    daemon.wait_job(r.json()["id"], lambda j: j["status"] == "delivered")
    assert daemon.get("/fax/" + r.json()["id"]).status_code == 200
    assert daemon.get("/fax/ffffffffffffffffffffffffffffffff").status_code == 404
    scrape = daemon.get("/metrics", headers={})
    assert scrape.status_code == 200
    assert scrape.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = scrape.text
    assert 'faxbot_fax_jobs_total{provider="test",direction="outbound",status="delivered"} 1' in text
    assert 'faxbot_fax_pages_total{provider="test",direction="outbound"} 2' in text
    assert 'faxbot_requests_total{method="GET",route="/fax/{id}",status="200"} ' in text  # polled by wait_job too
    assert 'faxbot_requests_total{method="GET",route="/fax/{id}",status="404"} 1' in text
    for secret in (number, number[-10:], "Jane", "referral", r.json()["id"], "ffffffff"):
        assert secret not in text, secret

    promtool = shutil.which("promtool")
    assert promtool, "promtool (Debian package prometheus) is installed by scripts/install-deps.sh"
    check = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr
