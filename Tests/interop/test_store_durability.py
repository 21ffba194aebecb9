"""The store's durability claims, proven with kill -9."""
import os
import signal
import socket
import threading
import time

from store_fixtures import BUCKET, Store


def test_acknowledged_puts_survive_kill_9(dropgate_bin, tmp_path):
    store = Store(dropgate_bin, tmp_path / "data")
    s3 = store.client()
    written = {}
    for index in range(40):
        body = os.urandom(64 * 1024 + index)
        s3.put_object(Bucket=BUCKET, Key=f"durable/{index}", Body=body)
        written[f"durable/{index}"] = body
    store.stop(signal.SIGKILL)
    restarted = Store(dropgate_bin, tmp_path / "data")
    try:
        s3 = restarted.client()
        for key, body in written.items():
            assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == body
    finally:
        restarted.stop()


def test_a_crash_mid_upload_leaves_no_object_and_no_temporary_file(dropgate_bin, tmp_path):
    store = Store(dropgate_bin, tmp_path / "data")
    s3 = store.client()
    s3.put_object(Bucket=BUCKET, Key="partial", Body=b"old version")
    url = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "partial"}, ExpiresIn=60)
    path_and_query = url.split(f":{store.port}", 1)[1]
    total = 50 * 1024 * 1024
    sent = threading.Event()

    def slow_upload():
        with socket.create_connection(("127.0.0.1", store.port)) as client:
            client.sendall(f"PUT {path_and_query} HTTP/1.1\r\nHost: 127.0.0.1:{store.port}\r\nContent-Length: {total}\r\n\r\n".encode())
            client.sendall(os.urandom(8 * 1024 * 1024))
            sent.set()
            try:
                time.sleep(5)
            except Exception:
                pass

    thread = threading.Thread(target=slow_upload, daemon=True)
    thread.start()
    assert sent.wait(10)
    tmp = tmp_path / "data" / "tmp"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any(tmp.iterdir()):
        time.sleep(0.05)
    assert any(tmp.iterdir()), "the upload should be in a temporary file while it streams"
    store.stop(signal.SIGKILL)
    restarted = Store(dropgate_bin, tmp_path / "data")
    try:
        assert restarted.client().get_object(Bucket=BUCKET, Key="partial")["Body"].read() == b"old version"
        assert list(tmp.iterdir()) == []
    finally:
        restarted.stop()


def test_a_full_disk_is_an_s3_error_and_leaves_no_partial_object(dropgate_bin, tmp_path):
    """The store's data folder on a 4 MiB tmpfs: an 8 MiB upload fails cleanly, and the store keeps working."""
    import subprocess
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)], capture_output=True, text=True)
    assert mounted.returncode == 0, f"this test needs root to mount a tmpfs: {mounted.stderr}"
    try:
        store = Store(dropgate_bin, mount_point / "data")
        s3 = store.client()
        s3.put_object(Bucket=BUCKET, Key="before", Body=b"kept")
        from store_fixtures import error_code
        status, code = error_code(lambda: s3.put_object(Bucket=BUCKET, Key="huge", Body=os.urandom(8 * 1024 * 1024)))
        assert (status, code) == (507, "InsufficientStorage")
        assert error_code(lambda: s3.head_object(Bucket=BUCKET, Key="huge"))[0] == 404
        assert list((mount_point / "data" / "tmp").iterdir()) == []
        assert s3.get_object(Bucket=BUCKET, Key="before")["Body"].read() == b"kept"
        s3.put_object(Bucket=BUCKET, Key="after", Body=b"still works")
        # Fill the disk to the last byte: starting a multipart upload is a 507 as well, not a 500.
        with open(mount_point / "filler", "wb") as filler:
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError:
                pass
        assert error_code(lambda: s3.create_multipart_upload(Bucket=BUCKET, Key="mp")) == (507, "InsufficientStorage")
        (mount_point / "filler").unlink()
        assert s3.create_multipart_upload(Bucket=BUCKET, Key="mp")["UploadId"]
        store.stop()
    finally:
        subprocess.run(["umount", str(mount_point)])
