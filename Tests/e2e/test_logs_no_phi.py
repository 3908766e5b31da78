"""Logs never carry a full fax number or an uploaded file's name, even at debug level."""

from __future__ import annotations

import re

from conftest import make_pdf

NUMBERS = {
    "+15551230000": "delivered",
    "+15551231111": "busy",
    "15551233333": "line_error",
    "+4930555512345555": "silence",
    "+15551234444": "canceled",
}
FILENAMES = [
    "patient-jane-doe-records.pdf",
    "mrn-0048213-john-roe-chart.pdf",
    "referral-for-jane-doe.txt",
]
BAD_NUMBER = "+1 555 867 5309"
BAD_NUMBER_DIGITS = "5558675309"


def test_debug_log_has_no_numbers_or_filenames(daemon_factory):
    daemon = daemon_factory({
        "FAXBOT_LOG_LEVEL": "debug",
        "FAXBOT_TEST_DELAY_MS": "200",
        "FAXBOT_POLL_INTERVAL_MS": "100",
        "FAXBOT_CALL_TIMEOUT_SECONDS": "3",
        "FAXBOT_DRAIN_TIMEOUT_SECONDS": "2",
    })
    ids = {}
    for i, number in enumerate(NUMBERS):
        name = FILENAMES[i % len(FILENAMES)]
        content = make_pdf("Jane Doe, DOB 1970-01-01") if name.endswith(".pdf") else b"Jane Doe\nDOB 1970-01-01\n"
        r = daemon.submit(number, content, name, headers={"Idempotency-Key": f"phi-{i}"})
        assert r.status_code == 202, r.text
        ids[number] = r.json()["id"]
    # Rejections with identifying data in them.
    r = daemon.submit(BAD_NUMBER, make_pdf(), "patient-jane-doe-records.pdf")
    assert r.status_code == 400
    r = daemon.submit("+15557654321", b"\x89PNG\r\n\x1a\n\x00\x00", "jane-doe-xray.pdf")
    assert r.status_code == 415
    # A document that fails in the conversion worker: the rejection is logged by job id only.
    damaged = daemon.submit("+15551239000", b"%PDF-1.4\n1 0 obj\n<< /Title (Jane Doe) >>\nendobj\n%%EOF\n", "jane-doe-damaged.pdf")
    assert damaged.status_code == 202
    r = daemon.get("/fax", params={"to": "+15551231111"})
    assert r.status_code == 200 and [j["id"] for j in r.json()["items"]] == [ids["+15551231111"]]

    ringing = ids["+15551234444"]
    daemon.wait_job(ringing, lambda j: j["status"] == "in_progress" and j["provider_sid"], 30, "the call to ring")
    r = daemon.post(f"/fax/{ringing}/cancel")
    assert r.status_code == 200 and r.json()["cancel_requested"] is True, r.text
    daemon.wait_job(ringing, lambda j: j["status"] == "canceled", 30, "the cancel")
    daemon.wait_job(ids["+15551230000"], lambda j: j["status"] == "delivered", 30, "delivery")
    busy = daemon.wait_job(ids["+15551231111"], lambda j: j["failure_cause"] == "busy", 30, "busy")
    assert busy["status"] == "queued" and busy["next_attempt_at"]
    line = daemon.wait_job(ids["15551233333"], lambda j: j["failure_cause"] == "line_error", 30, "line error")
    assert line["status"] == "queued" and line["pages_sent"] == 1
    rejected = daemon.wait_job(damaged.json()["id"], lambda j: j["status"] == "failed", 30, "the document rejection")
    assert rejected["failure_cause"] == "document_rejected"
    unknown = daemon.wait_job(ids["+4930555512345555"], lambda j: j["status"] == "failed", 30, "silence to time out")
    assert unknown["failure_cause"] == "outcome_unknown"
    assert daemon.stop() == 0

    log = daemon.log_text()
    assert " debug " in log, "the log is not at debug level"
    for masked in ("***0000", "***1111", "***3333", "***4444", "***5555"):
        assert masked in log, f"{masked} not logged: the log was not captured"

    leaks = []
    for number in list(NUMBERS) + ["+15557654321", "+15551239000"]:
        digits = number.lstrip("+")
        for form in {number, digits, digits[-10:], digits[:-4], digits[-8:]}:
            if form in log:
                leaks.append(form)
    for form in (BAD_NUMBER, BAD_NUMBER_DIGITS, "867 5309", "8675309"):
        if form in log:
            leaks.append(form)
    # Any run of 7+ digits that isn't part of a timestamp, id or port is suspicious.
    scrubbed = re.sub(r"\b[0-9a-f]{32}\b|\d{4}-\d\d-\d\dT[\d:.]+[+Z]\d*|127\.0\.0\.1:\d+|pid=\d+", "", log)
    leaks += [m for m in re.findall(r"\d{7,}", scrubbed)]
    assert leaks == [], f"numbers in the log: {sorted(set(leaks))}"

    lowered = log.lower()
    for fragment in ("jane-doe", "jane doe", "john-roe", "mrn-0048213", "patient-", "xray", "referral-for",
                     "records.pdf", "chart.pdf", "1970-01-01", "damaged.pdf"):
        assert fragment not in lowered, f"'{fragment}' appears in the log"
