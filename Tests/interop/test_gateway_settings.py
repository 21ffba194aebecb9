"""`dropgate serve` settings: environment overrides, validation, temporary credentials."""
import datetime
import json
import os
import subprocess
import urllib.parse

import requests

from conftest import ROOT, free_port
from gateway_fixtures import Gateway


def serve(dropgate_bin, settings_path, env=None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DROPGATE_"))}
    return subprocess.run([dropgate_bin, "serve", "--settings", str(settings_path), "--web", str(ROOT / "web")],
                          env={**clean, **(env or {})}, capture_output=True, text=True, timeout=30)


def test_invalid_settings_stop_startup_with_one_message_naming_the_field(dropgate_bin, tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"storage": {"accessKeyId": "k", "secretAccessKey": "very-secret-value", "mode": "cloud"}}))
    result = serve(dropgate_bin, path)
    assert result.returncode == 2
    assert "storage.mode" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "very-secret-value" not in result.stderr + result.stdout
    path.write_text(json.dumps({"gateway": {"port": "eighty"}}))
    result = serve(dropgate_bin, path)
    assert result.returncode == 2 and "gateway.port" in result.stderr


def test_missing_credentials_name_the_variable(dropgate_bin, tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"storage": {"mode": "external", "endpoint": "http://127.0.0.1:1"}}))
    result = serve(dropgate_bin, path)
    assert result.returncode == 2 and "AWS_ACCESS_KEY_ID" in result.stderr


def test_presigned_urls_never_outlive_temporary_credentials(dropgate_bin, tmp_path):
    soon = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=120)).strftime("%Y-%m-%dT%H:%M:%SZ")
    gateway = Gateway(dropgate_bin, tmp_path, env={"AWS_CREDENTIAL_EXPIRATION": soon})
    try:
        plan = gateway.create(filename="t.txt", size=3, contentType="text/plain").json()
        expires = int(urllib.parse.parse_qs(urllib.parse.urlsplit(plan["url"]).query)["X-Amz-Expires"][0])
        assert 60 < expires <= 120
        assert "temporary" in plan["expiryClamped"]
    finally:
        gateway.stop()


def test_production_refuses_the_example_secret_and_the_development_keys(dropgate_bin, tmp_path):
    example = json.loads((ROOT / "settings-production.example.json").read_text())
    example["storage"].update({"accessKeyId": "AKIAREALLOOKING", "secretAccessKey": "real-looking-secret-value"})
    path = tmp_path / "settings-production.json"
    path.write_text(json.dumps(example))
    result = serve(dropgate_bin, path)
    assert result.returncode == 2 and "gateway.secret" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    strong = "q8Xv1mZs0N4bT7yR2cE9wK5jH3gL6pA1dF8uV0iO2sY="
    development = json.loads((ROOT / "settings-development.json").read_text())["storage"]
    result = serve(dropgate_bin, path, env={"DROPGATE_GATEWAY_SECRET": strong, "AWS_ACCESS_KEY_ID": development["accessKeyId"],
                                            "AWS_SECRET_ACCESS_KEY": development["secretAccessKey"]})
    assert result.returncode == 2 and "storage.secretAccessKey" in result.stderr
    assert development["secretAccessKey"] not in result.stderr and strong not in result.stderr


def test_without_a_secret_each_data_folder_gets_its_own_random_one(dropgate_bin, tmp_path):
    gateway = Gateway(dropgate_bin, tmp_path)
    try:
        secret_file = tmp_path / "data" / "gateway-secret"
        assert secret_file.stat().st_mode & 0o777 == 0o600
        assert "gateway-test-secret" not in secret_file.read_text() and len(secret_file.read_text()) >= 43
    finally:
        gateway.stop()
