"""Starting the embedded store (`dropgate store`) for tests, and clients for it."""
import os
import signal
import subprocess
import time

import boto3
from botocore.config import Config

ACCESS_KEY = "store-test-key"
SECRET_KEY = "store-test-secret/+="
BUCKET = "dropgate"


class Store:
    """A `dropgate store` process on a free port with its own data folder."""

    def __init__(self, dropgate_bin, data, port=0, buckets=(BUCKET,), extra=()):
        self.dropgate_bin = dropgate_bin
        self.extra = list(extra)
        self.data = str(data)
        self.port = port
        self.buckets = buckets
        self.process = None
        self.start()

    def start(self):
        args = [self.dropgate_bin, "store", "--data", self.data, "--port", str(self.port),
                "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY]
        for bucket in self.buckets:
            args += ["--bucket", bucket]
        args += self.extra
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        assert "store listening on http://127.0.0.1:" in line, line
        self.port = int(line.split("127.0.0.1:")[1].split()[0])
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)

    def client(self, secret=SECRET_KEY, access=ACCESS_KEY, style="path", **config):
        return boto3.client(
            "s3", endpoint_url=self.endpoint if style == "path" else f"http://localhost:{self.port}",
            aws_access_key_id=access, aws_secret_access_key=secret, region_name="us-east-1",
            config=Config(signature_version="s3v4", s3={"addressing_style": style}, retries={"max_attempts": 1}, **config),
        )

    def env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY, AWS_DEFAULT_REGION="us-east-1",
                   AWS_ENDPOINT_URL=self.endpoint)
        return env


def error_code(call):
    """Runs `call`, expecting a botocore ClientError; returns (HTTP status, S3 code)."""
    try:
        call()
    except Exception as error:  # botocore.exceptions.ClientError
        response = getattr(error, "response", {})
        return response.get("ResponseMetadata", {}).get("HTTPStatusCode"), response.get("Error", {}).get("Code")
    raise AssertionError("the call succeeded")


def wait_until(predicate, timeout=10):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False
