"""docker-compose.yml and the Dockerfile, checked without a Docker engine (none runs on CI's machines): the compose
file through docker-compose's own parser, and the image's user and folders by laying its files out in a folder and
starting the binary there as the image's user."""
import json
import os
import re
import shutil
import subprocess
import tempfile

import requests
import yaml

from conftest import ROOT, free_port


STORE_KEYS = {"DROPGATE_STORE_ACCESS_KEY": "compose-test-key", "DROPGATE_STORE_SECRET_KEY": "compose-test-secret-0123456789abcdef"}


def compose_config(keys=STORE_KEYS):
    """docker-compose's own reading of the file, with the store's keys as `.env` would give them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DROPGATE_")}
    result = subprocess.run(["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config"], capture_output=True, text=True, cwd=ROOT,
                            env={**env, **keys})
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_needs_its_keys_from_env_and_publishes_on_loopback_only():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DROPGATE_")}
    missing = subprocess.run(["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert missing.returncode != 0 and "create .env first" in missing.stderr + missing.stdout
    text = (ROOT / "docker-compose.yml").read_text()
    assert "dropgate-dev-secret" not in text and "dropgate-dev-key" not in text
    services = compose_config()["services"]
    for name in ("minio", "dropgate"):
        for port in services[name]["ports"]:
            host = port.get("host_ip") if isinstance(port, dict) else str(port).rsplit(":", 2)[0]
            assert host == "127.0.0.1", (name, port)
    assert services["minio"]["environment"]["MINIO_ROOT_PASSWORD"] == STORE_KEYS["DROPGATE_STORE_SECRET_KEY"]
    assert services["dropgate"]["environment"]["AWS_SECRET_ACCESS_KEY"] == STORE_KEYS["DROPGATE_STORE_SECRET_KEY"]
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def image_layout(dropgate_bin, data_owner):
    """The image's files in a folder of their own: the program and /app owned by root and read-only to others, and
    the data volume owned by `data_owner`. Returns (root, the data folder)."""
    root = tempfile.mkdtemp(prefix="dropgate-image-", dir="/tmp")
    os.chmod(root, 0o755)
    os.makedirs(f"{root}/usr/local/bin")
    shutil.copy(dropgate_bin, f"{root}/usr/local/bin/dropgate")
    shutil.copytree(ROOT / "web", f"{root}/app/web")
    shutil.copy(ROOT / "settings-docker.json", f"{root}/app/")
    for folder, _, files in os.walk(root):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o755 if name == "dropgate" else 0o644)
    data = f"{root}/var/lib/dropgate"
    os.makedirs(data, mode=0o700)
    os.chown(data, data_owner, data_owner)
    return root, data


def test_the_image_runs_as_its_own_user_with_a_writable_volume_only(dropgate_bin, tmp_path):
    dockerfile = (ROOT / "Dockerfile").read_text()
    uid = int(re.search(r"useradd [^\n]*--uid (\d+)[^\n]* dropgate", dockerfile).group(1))
    assert re.search(r"^USER dropgate$", dockerfile, re.MULTILINE) and uid != 0
    assert re.search(r"^VOLUME /var/lib/dropgate$", dockerfile, re.MULTILINE)
    assert json.loads((ROOT / "settings-docker.json").read_text())["storage"]["dataDirectory"] == "/var/lib/dropgate"
    store_port = free_port()
    store = subprocess.Popen([dropgate_bin, "store", "--data", str(tmp_path / "store"), "--port", str(store_port), "--bucket", "dropgate",
                              "--access-key", "image-key", "--secret-key", "image-secret-0123456789"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert "listening" in store.stdout.readline()
    try:
        for data_owner, starts in ((uid, True), (0, False)):  # the volume as the Dockerfile makes it, and as before (root's)
            root, data = image_layout(dropgate_bin, data_owner)
            port = free_port()
            env = {"PATH": "/usr/bin:/bin", "AWS_ACCESS_KEY_ID": "image-key", "AWS_SECRET_ACCESS_KEY": "image-secret-0123456789",
                   "AWS_ENDPOINT_URL_S3": f"http://127.0.0.1:{store_port}", "DROPGATE_STORAGE_PUBLICENDPOINT": f"http://127.0.0.1:{store_port}",
                   "DROPGATE_GATEWAY_HOST": "127.0.0.1", "DROPGATE_GATEWAY_PORT": str(port), "DROPGATE_METRICS_PORT": "0",
                   "DROPGATE_STORAGE_DATADIRECTORY": data}
            gateway = subprocess.Popen(["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", f"{root}/usr/local/bin/dropgate",
                                        "serve", "--env", "docker"], cwd=f"{root}/app", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True)
            try:
                line = gateway.stdout.readline()
                if starts:
                    assert "Dropgate is running" in line, gateway.stderr.read() if gateway.poll() is not None else line
                    assert requests.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
                    assert os.stat(f"{data}/gateway-secret").st_uid == uid
                    written = [os.path.join(folder, name) for folder, _, names in os.walk(f"{root}/app") for name in names]
                    assert sorted(os.path.relpath(path, f"{root}/app") for path in written if os.stat(path).st_uid != 0) == []
                else:
                    assert gateway.wait(30) != 0
                    assert "cannot" in gateway.stderr.read()
            finally:
                gateway.terminate()
                gateway.wait(10)
                shutil.rmtree(root, ignore_errors=True)
    finally:
        store.terminate()
        store.wait(10)


def test_compose_file_is_valid_and_wired(tmp_path):
    config = compose_config()
    services = config["services"]
    assert set(services) == {"minio", "create-bucket", "dropgate"}
    environment = services["dropgate"]["environment"]
    assert environment["AWS_ENDPOINT_URL_S3"] == "http://minio:9000"
    assert environment["DROPGATE_STORAGE_PUBLICENDPOINT"] == "http://localhost:9000"
    assert any(str(port.get("published") if isinstance(port, dict) else port).split(":")[-2:][0] == "5001" for port in services["dropgate"]["ports"])
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
               DROPGATE_GATEWAY_HOST="127.0.0.1", DROPGATE_GATEWAY_PORT=str(gateway_port), DROPGATE_METRICS_PORT="0",
               DROPGATE_STORAGE_DATADIRECTORY=str(tmp_path / "volume"))
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
