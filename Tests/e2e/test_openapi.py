"""The OpenAPI 3.1 contract: valid, served as YAML and JSON by the daemon, covering every route, and never
dropping a v3 route or field (a diff against docs/openapi-v3-baseline.json)."""
import json
import pathlib

import requests
import yaml
from openapi_spec_validator import validate

DOCS = pathlib.Path(__file__).resolve().parent.parent.parent / "docs"
SPEC = yaml.safe_load((DOCS / "openapi.yaml").read_text())
BASELINE = json.loads((DOCS / "openapi-v3-baseline.json").read_text())

ROUTES = {
    ("get", "/health"), ("get", "/health/ready"), ("get", "/health/providers"), ("get", "/metrics"),
    ("get", "/openapi.yaml"), ("get", "/openapi.json"), ("post", "/fax"), ("get", "/fax"), ("post", "/fax/send"),
    ("get", "/fax/{id}"), ("get", "/fax/status/{id}"), ("get", "/fax/{id}/events"), ("post", "/fax/{id}/cancel"),
    ("get", "/admin/providers"), ("get", "/inbound"), ("get", "/inbound/{id}"), ("get", "/inbound/{id}/pdf"),
    ("post", "/_internal/asterisk/inbound"),
}


def _resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        target = SPEC
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_the_document_is_valid_openapi_3_1():
    assert SPEC["openapi"].startswith("3.1")
    validate(SPEC)


def test_every_route_the_daemon_serves_is_described():
    described = {(method, path) for path, item in SPEC["paths"].items() for method in item if method in ("get", "post")}
    assert described == ROUTES


def test_no_v3_route_or_field_disappears():
    for operation in BASELINE["operations"]:
        item = SPEC["paths"].get(operation["path"], {})
        assert operation["method"] in item, operation
        responses = item[operation["method"]]["responses"]
        assert operation["status"] in responses, operation
        for field in operation.get("form_fields", []):
            form = _resolve(item[operation["method"]]["requestBody"]["content"]["multipart/form-data"]["schema"])
            assert field in form["properties"] and field in form["required"], field
    job = SPEC["components"]["schemas"]["Job"]
    for field in BASELINE["job_fields"]:
        assert field in job["properties"] and field in job["required"], field
    for path, statuses in BASELINE["error_statuses"].items():
        method = "post" if path == "/fax" else "get"
        for status in statuses:
            assert status in SPEC["paths"][path][method]["responses"], (path, status)


def test_the_daemon_serves_the_contract(daemon):
    as_yaml = requests.get(daemon.url + "/openapi.yaml", timeout=10)
    assert as_yaml.status_code == 200 and as_yaml.headers["Content-Type"] == "application/yaml"
    assert yaml.safe_load(as_yaml.text) == SPEC
    as_json = requests.get(daemon.url + "/openapi.json", timeout=10)
    assert as_json.status_code == 200 and as_json.json() == json.loads(json.dumps(SPEC))


def test_schemathesis_finds_no_server_error_and_no_schema_violation(daemon, tmp_path):
    """Property-based requests generated from the contract against the running daemon."""
    import shutil
    import subprocess
    import sys

    cli = shutil.which("schemathesis", path=str(pathlib.Path(sys.executable).parent))
    assert cli, "schemathesis is installed into the test venv by scripts/test.sh"
    run = subprocess.run(
        [cli, "run", daemon.url + "/openapi.json", "-H", f"X-API-Key: {daemon.api_key}", "-n", "25", "--seed", "1",
         "-c", "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)  # its cache stays out of the repository
    # Schemathesis exits non-zero on any failed check.
    assert run.returncode == 0, run.stdout[-3000:]
    assert "generated" in run.stdout, run.stdout[-3000:]
