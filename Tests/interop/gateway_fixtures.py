"""Starting `dropgate serve` for tests, on free ports, with settings written for the test."""
import json
import os
import pathlib
import subprocess

import requests

from conftest import ROOT, free_port


class Gateway:
    """A `dropgate serve` process: the gateway and, for embedded storage, its store."""

    def __init__(self, dropgate_bin, folder, storage=None, env=None, **overrides):
        # A port free_port() found can be taken by another process before the gateway binds it: try fresh ones.
        for attempt in range(3):
            line = self.start(dropgate_bin, folder, storage, env, overrides)
            if "Dropgate is running" in line or attempt == 2 or "Address already in use" not in self.log.read_text():
                break
        assert "Dropgate is running" in line, line + self.log.read_text()[-2000:]
        self.banner = [line]
        while not self.banner[-1].startswith("Ctrl-C"):
            self.banner.append(self.process.stdout.readline())
            assert self.banner[-1], "".join(self.banner)
        self.metrics_url = next(l.split(" on ", 1)[1].strip() for l in self.banner if "Prometheus metrics" in l)
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, dropgate_bin, folder, storage, env, overrides):
        """Writes the settings with fresh ports and starts `dropgate serve`; its first line of output."""
        self.port = free_port()
        self.store_port = free_port()
        settings = {
            "environment": "test",
            "gateway": {"host": "127.0.0.1", "port": self.port, "publicURL": f"http://localhost:{self.port}"},
            "storage": storage or {
                "mode": "embedded", "host": "127.0.0.1", "port": self.store_port, "publicEndpoint": f"http://localhost:{self.store_port}",
                "region": "us-east-1", "bucket": "dropgate", "accessKeyId": "gateway-test-key",
                "secretAccessKey": "gateway-test-secret", "dataDirectory": str(pathlib.Path(folder) / "data"),
            },
            "uploads": {"multipartThreshold": 6 * 1024 * 1024, "partSize": 5 * 1024 * 1024, "maxBytes": 64 * 1024 * 1024},
            "shares": {"minExpiry": 1},
            "metrics": {"port": 0},
        }
        for section, values in overrides.items():
            settings.setdefault(section, {}).update(values)
        self.settings = settings
        path = pathlib.Path(folder) / "settings-test.json"
        path.write_text(json.dumps(settings))
        self.settings_path = path
        self.binary = dropgate_bin
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DROPGATE_"))}
        self.log = pathlib.Path(folder) / "serve.log"
        self.process = subprocess.Popen([dropgate_bin, "serve", "--settings", str(path), "--web", str(ROOT / "web")],
                                        stdout=subprocess.PIPE, stderr=open(self.log, "w"), text=True, env={**clean, **(env or {})})
        line = self.process.stdout.readline()
        if "Dropgate is running" not in line:
            self.process.wait(timeout=30)
        return line

    def fix_store(self):
        """`dropgate doctor --fix` with this gateway's settings, as its operator would run it for an external store
        (a CORS rule for the gateway's origin, so browsers may PUT to it and read ETags)."""
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DROPGATE_"))}
        result = subprocess.run([self.binary, "doctor", "--fix", "--settings", str(self.settings_path)], env=clean,
                                capture_output=True, text=True, timeout=120)
        assert "CORS" in result.stdout + result.stderr, result.stdout + result.stderr

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def create(self, **declaration):
        return requests.post(f"{self.url}/api/uploads", json=declaration)

    def complete(self, upload_id, body=None):
        return requests.post(f"{self.url}/api/uploads/{upload_id}/complete", json=body or {})

    def store_client(self):
        import boto3
        from botocore.config import Config
        storage = self.settings["storage"]
        endpoint = storage.get("endpoint") or f"http://127.0.0.1:{storage['port']}"
        return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=storage["accessKeyId"], aws_secret_access_key=storage["secretAccessKey"],
                            region_name=storage["region"], config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))


def gateway_on(request, dropgate_bin, tmp_path, for_browsers=False, **overrides):
    """A `dropgate serve` for a test parametrized over "embedded" and "rgw"; for browsers on RGW, with the bucket's CORS
    rule for its origin (as `doctor --fix` adds it). Stop it when done."""
    storage = rgw_storage(request.getfixturevalue("rgw")) if request.param == "rgw" else None
    running = Gateway(dropgate_bin, tmp_path, storage=storage, **overrides)
    running.kind = request.param
    if for_browsers and request.param == "rgw":
        running.fix_store()
    return running


def rgw_storage(rgw):
    """`storage` settings for a gateway on the test's Ceph RGW."""
    return {"mode": "external", "endpoint": rgw["endpoint"], "publicEndpoint": rgw["endpoint"], "region": rgw["region"],
            "bucket": rgw["bucket"], "accessKeyId": rgw["access_key"], "secretAccessKey": rgw["secret_key"]}


def curl_put(plan, path):
    """curl's PUT of the file at `path` to the plan's presigned URL, with the plan's signed headers."""
    command = ["curl", "--fail-with-body", "-sS", "-T", str(path)]
    for name, value in sorted(plan["headers"].items()):
        if name.lower() != "content-length":
            command += ["-H", f"{name}: {value}"]
    return command + [plan["url"]]


def put_plan(plan, data, extra_headers=None):
    """PUTs `data` with the plan's signed headers (and any extra ones); the status."""
    headers = {key: value for key, value in plan["headers"].items() if key != "Content-Length"}
    headers.update(extra_headers or {})
    return requests.put(plan["url"], data=data, headers=headers).status_code


def receipt(gateway, name, data, content_type="text/plain"):
    """Declares, PUTs and completes one file for a collection (`"collection": true`); its receipt."""
    plan = gateway.create(filename=name, size=len(data), contentType=content_type).json()
    assert put_plan(plan, data) == 200
    answer = gateway.complete(plan["id"], {"collection": True})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["filename"] == name and body["size"] == len(data) and "share" not in body
    return body["receipt"]


def collection(gateway, files, **terms):
    """One share of `files` ((name, bytes, type) triples) through POST /api/shares; the answer's JSON."""
    receipts = [receipt(gateway, name, data, content_type) for name, data, content_type in files]
    answer = requests.post(f"{gateway.url}/api/shares", json={"files": receipts, **terms})
    assert answer.status_code == 201, answer.text
    return answer.json()
