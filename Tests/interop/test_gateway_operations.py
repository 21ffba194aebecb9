"""Operations: Prometheus metrics, request logs without secrets, graceful SIGTERM."""
import http.client
import os
import shlex
import signal
import subprocess
import threading
import time
import urllib.parse

import requests

from gateway_fixtures import Gateway, curl_put


def upload(gateway, tmp_path, name="m.txt", data=b"metrics"):
    source = tmp_path / name
    source.write_bytes(data)
    plan = gateway.create(filename=name, size=len(data), contentType="text/plain").json()
    subprocess.run([*curl_put(plan, source), "-o", "/dev/null"], check=True)  # the test completes through the API itself
    return plan, gateway.complete(plan["id"])


def test_metrics_count_requests_presigns_and_checks(dropgate_bin, tmp_path):
    gateway = Gateway(dropgate_bin, tmp_path)
    try:
        _, done = upload(gateway, tmp_path)
        assert done.status_code == 201
        bad = gateway.create(filename="x.txt", size=5, contentType="text/plain").json()
        assert gateway.complete(bad["id"]).status_code == 422
        text = requests.get(gateway.metrics_url).text
        assert 'dropgate_http_requests_total{route="/api/uploads",status="201"} 2' in text
        assert 'dropgate_http_requests_total{route="/api/uploads/{id}/complete",status="422"} 1' in text
        assert 'dropgate_upload_checks_total{result="passed"} 1' in text and 'dropgate_upload_checks_total{result="failed"} 1' in text
        assert "dropgate_presigned_urls_total" in text and 'dropgate_http_request_duration_seconds_bucket{route="/api/uploads"' in text
    finally:
        gateway.stop()


def test_logs_name_routes_and_never_secrets(dropgate_bin, tmp_path):
    gateway = Gateway(dropgate_bin, tmp_path)
    try:
        plan, done = upload(gateway, tmp_path)
        requests.get(done.json()["share"]["url"] + "/raw", allow_redirects=False)
    finally:
        gateway.stop()
    log = gateway.log.read_text()
    assert "POST /api/uploads 201" in log and "GET /s/{id}/raw 302" in log
    signature = plan["url"].split("X-Amz-Signature=")[1]
    assert signature not in log
    assert "gateway-test-secret" not in log
    assert "X-Amz-Signature=REDACTED" in log  # the store's access log line for the presigned PUT


def test_sigterm_lets_in_flight_requests_finish(dropgate_bin, tmp_path):
    gateway = Gateway(dropgate_bin, tmp_path)
    data = os.urandom(20 * 1024 * 1024)
    plan = gateway.create(filename="slow.bin", size=len(data), contentType="application/octet-stream").json()
    part = plan["multipart"]["parts"][0]
    result = {}

    def slow_upload():
        url = urllib.parse.urlsplit(part["url"])
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        connection.putrequest("PUT", f"{url.path}?{url.query}", skip_host=True)
        connection.putheader("Host", url.netloc)
        connection.putheader("Content-Length", str(5 * 1024 * 1024))
        connection.endheaders()
        for offset in range(0, 5 * 1024 * 1024, 256 * 1024):
            time.sleep(0.02)
            connection.send(data[offset:offset + 256 * 1024])
        result["status"] = connection.getresponse().status

    thread = threading.Thread(target=slow_upload)
    thread.start()
    time.sleep(0.3)
    gateway.process.send_signal(signal.SIGTERM)
    thread.join(30)
    assert result.get("status") == 200
    assert gateway.process.wait(timeout=30) == 0
