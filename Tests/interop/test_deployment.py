"""docker-compose.yml and the Dockerfile, checked without a Docker engine (none runs on CI's machines)."""
import json
import os
import re
import subprocess

import requests
import yaml

from conftest import ROOT, free_port


def compose_config():
    result = subprocess.run(["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_file_is_valid_and_wired(tmp_path):
    config = compose_config()
    services = config["services"]
    assert set(services) == {"minio", "create-bucket", "dropgate"}
    environment = services["dropgate"]["environment"]
    assert environment["AWS_ENDPOINT_URL_S3"] == "http://minio:9000"
    assert environment["DROPGATE_STORAGE_PUBLICENDPOINT"] == "http://localhost:9000"
    assert any(str(port.get("published", port) if isinstance(port, dict) else port).startswith("5001") for port in services["dropgate"]["ports"])
    assert "create-bucket" in services["dropgate"]["depends_on"]
    assert any("/readyz" in word for word in services["dropgate"]["healthcheck"]["test"])


def test_dockerfile_builds_the_way_make_does():
    dockerfile = (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    built = re.search(r"^RUN (swift build .*)$", dockerfile, re.MULTILINE).group(1)
    release = re.search(r"^release:\n\t(.*)$", makefile, re.MULTILINE).group(1).replace("$(SWIFT)", "swift")
    assert built == release
    assert re.search(r"^FROM swift:[0-9.]+-bookworm AS build", dockerfile, re.MULTILINE)
    assert re.search(r"^FROM swift:[0-9.]+-bookworm-slim", dockerfile, re.MULTILINE) and "libcurl4" in dockerfile
    for copied in ["web", "settings-docker.json"]:
        assert re.search(rf"^COPY {re.escape(copied)} ", dockerfile, re.MULTILINE)


def test_the_container_settings_work_with_the_compose_environment(dropgate_bin, tmp_path):
    """Runs the container's command line with compose's environment, MinIO replaced by the embedded store."""
    compose = compose_config()["services"]["dropgate"]["environment"]
    store_port, gateway_port = free_port(), free_port()
    store = subprocess.Popen([dropgate_bin, "store", "--data", str(tmp_path / "data"), "--port", str(store_port), "--bucket", "dropgate",
                              "--access-key", compose["AWS_ACCESS_KEY_ID"], "--secret-key", compose["AWS_SECRET_ACCESS_KEY"]],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert "listening" in store.stdout.readline()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DROPGATE_"))}
    env.update({k: str(v) for k, v in compose.items()})
    env.update(AWS_ENDPOINT_URL_S3=f"http://127.0.0.1:{store_port}", DROPGATE_STORAGE_PUBLICENDPOINT=f"http://127.0.0.1:{store_port}",
               DROPGATE_GATEWAY_HOST="127.0.0.1", DROPGATE_GATEWAY_PORT=str(gateway_port), DROPGATE_METRICS_PORT="0")
    gateway = subprocess.Popen([dropgate_bin, "serve", "--env", "docker"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert "Dropgate is running" in gateway.stdout.readline()
        plan = requests.post(f"http://127.0.0.1:{gateway_port}/api/uploads", json={"filename": "c.txt", "size": 4, "contentType": "text/plain"}).json()
        headers = {name: value for name, value in plan["headers"].items() if name != "Content-Length"}
        assert requests.put(plan["url"], data=b"data", headers=headers).status_code == 200
        assert requests.post(f"http://127.0.0.1:{gateway_port}/api/uploads/{plan['id']}/complete").status_code == 201
    finally:
        gateway.terminate()
        store.terminate()
        gateway.wait(10)
        store.wait(10)
