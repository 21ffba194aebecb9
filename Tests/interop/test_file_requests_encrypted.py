"""File requests encrypted to their owner (issue 30), on two gateways of one bucket, on the embedded store and on Ceph
RGW 16: `dropgate request create --encrypt` keeps the key, a sender (Python's `cryptography`, an implementation of its
own) seals every file and wraps the key to the owner, the bucket holds only ciphertext, and `dropgate request download`
opens everything, or refuses another key in plain words."""
import json
import os
import subprocess

import pytest
import requests

import dge1
import dge1_owner
from gateway_fixtures import put_plan
from test_file_requests import stored
from test_share_races import pair, s3_client  # noqa: F401  (the pair fixture: embedded and RGW)


def cli_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DROPGATE_")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    return env


def run(dropgate_bin, env, *args):
    return subprocess.run([dropgate_bin, "request", *args], capture_output=True, text=True, env=env, timeout=120)


def owner_key_of(link):
    """The owner's public key in a request link's #pk= fragment: (alg, raw bytes)."""
    alg, key = link.split("#pk=")[1].split(".")
    return alg, dge1_owner.unb64url(key)


def send_sealed(gateway, request_id, link, files, **sender):
    """Seals (name, bytes) files under a new key, uploads them to the request, and hands them over with the key wrapped
    to the owner in the link and the sealed manifest; the submission answer."""
    alg, owner_raw = owner_key_of(link)
    key = os.urandom(32)
    receipts = []
    for number, (_, data) in enumerate(files, start=1):
        sealed = dge1.seal(key, os.urandom(7), 65536, data)
        plan = requests.post(f"{gateway.url}/api/requests/{request_id}/uploads", json={
            "filename": f"encrypted-{number}", "size": len(sealed), "contentType": "application/octet-stream",
            "encryption": {"plaintextSize": len(data), "recordSize": 65536}})
        assert plan.status_code == 201, plan.text
        assert put_plan(plan.json(), sealed) == 200
        receipts.append(gateway.complete(plan.json()["id"], {"collection": True}).json()["receipt"])
    manifest = json.dumps({"v": 1, "files": [{"name": n, "type": "application/octet-stream", "size": len(d)} for n, d in files]}).encode()
    return requests.post(f"{gateway.url}/api/requests/{request_id}/submissions", json={
        "files": receipts, "keyWrap": dge1_owner.wrap_to_owner(key, alg, owner_raw),
        "manifest": dge1_owner.b64url(dge1.seal(key, os.urandom(7), 65536, manifest)), **sender})


@pytest.mark.parametrize("alg", ["X25519", "P-256"])
def test_the_bucket_holds_only_ciphertext_and_the_cli_opens_every_file(pair, dropgate_bin, tmp_path, alg):  # noqa: F811
    first, second = pair.gateways
    env = cli_env(tmp_path)
    made = run(dropgate_bin, env, "create", "--title", "Scans", "--encrypt", *(["--p256"] if alg == "P-256" else []), "--gateway", first.url)
    assert made.returncode == 0, made.stderr
    link, fingerprint_line, token_line = made.stdout.strip().splitlines()
    assert owner_key_of(link)[0] == alg
    assert fingerprint_line.split(": ")[1].split(";")[0] == dge1_owner.fingerprint(*owner_key_of(link))
    keys = tmp_path / "data" / "dropgate" / "request-keys.json"
    assert keys.stat().st_mode & 0o777 == 0o600
    owner = token_line.rsplit(" ", 1)[1]
    request_id = link.split("#")[0].rsplit("/", 1)[1]
    # A plain file is refused at once: the gateway takes only sealed ones.
    plain = requests.post(f"{second.url}/api/requests/{request_id}/uploads", json={"filename": "a.txt", "size": 4, "contentType": "text/plain"})
    assert plain.status_code == 400 and "encrypted to its owner" in plain.json()["error"]["message"]
    files = [("passport scan.pdf", b"%PDF-1.7 passport " + os.urandom(3000)), ("notes.txt", b"the secret plaintext marker " * 50)]
    answer = send_sealed(second, request_id, link, files, name="Grace")
    assert answer.status_code == 201, answer.text
    # The bucket: the files' objects, sealed, and nowhere a byte of plaintext or a name.
    client = s3_client(pair.storage)
    everything = b""
    for listed in client.list_objects_v2(Bucket=pair.storage["bucket"]).get("Contents", []):
        everything += client.get_object(Bucket=pair.storage["bucket"], Key=listed["Key"])["Body"].read()
    assert b"secret plaintext marker" not in everything and b"passport" not in everything and b"%PDF" not in everything
    count, size = stored(pair, request_id)
    assert count == 2 and size == sum(16 + len(d) + 16 for _, d in files)
    # The owner's CLI opens every file, a folder per submission, under its real name.
    out = tmp_path / "received"
    got = run(dropgate_bin, env, "download", link, "--token", owner, "--gateway", first.url, "-o", str(out))
    assert got.returncode == 0, got.stderr
    (folder,) = list(out.iterdir())
    assert folder.name.endswith(" Grace") and {p.name: p.read_bytes() for p in folder.iterdir()} == dict(files)
    # Another key: one line in plain words, a non-zero exit, and nothing written.
    other = json.loads(keys.read_text())
    other[request_id]["privateKey"] = dge1_owner.b64url(dge1_owner.pkcs8(dge1_owner.generate(alg)))
    keys.write_text(json.dumps(other))
    # The link, not the bare id: an id may begin with "-", which the argument parser would read as an option.
    wrong = run(dropgate_bin, env, "download", link, "--token", owner, "--gateway", second.url, "-o", str(tmp_path / "wrong"))
    assert wrong.returncode != 0 and wrong.stderr.strip().endswith(": This key does not open this submission: it was encrypted to another key.")
    assert len(wrong.stderr.strip().splitlines()) == 1 and not (tmp_path / "wrong").exists()
    # No key at all on this machine: it says where the key would be.
    keys.unlink()
    missing = run(dropgate_bin, env, "download", link, "--token", owner, "--gateway", second.url)
    assert missing.returncode != 0 and "keeps no key for it" in missing.stderr and len(missing.stderr.strip().splitlines()) == 1


def test_a_submission_must_carry_a_wrapped_key_and_a_sealed_manifest(pair):  # noqa: F811
    first, _ = pair.gateways
    owner = dge1_owner.generate()
    body = {"title": "Keys", "encryption": {"publicKey": {"alg": "X25519", "key": dge1_owner.b64url(dge1_owner.public_raw(owner))}}}
    made = requests.post(f"{first.url}/api/requests", json=body)
    assert made.status_code == 201, made.text
    request_id = made.json()["request"]["id"]
    link = made.json()["request"]["url"] + "#" + dge1_owner.fragment("X25519", dge1_owner.public_raw(owner))
    # A wrap to a key of the other curve, or none: refused, and nothing handed over.
    key = os.urandom(32)
    sealed = dge1.seal(key, os.urandom(7), 65536, b"x")
    plan = requests.post(f"{first.url}/api/requests/{request_id}/uploads", json={
        "filename": "encrypted-1", "size": len(sealed), "contentType": "application/octet-stream",
        "encryption": {"plaintextSize": 1, "recordSize": 65536}}).json()
    assert put_plan(plan, sealed) == 200
    receipt = first.complete(plan["id"], {"collection": True}).json()["receipt"]
    p256 = dge1_owner.wrap_to_owner(key, "P-256", dge1_owner.public_raw(dge1_owner.generate("P-256")))
    manifest = dge1_owner.b64url(dge1.seal(key, os.urandom(7), 65536, b'{"v":1,"files":[{"name":"x","type":"t","size":1}]}'))
    for extra in [{"manifest": manifest}, {"keyWrap": p256, "manifest": manifest}, {"keyWrap": dge1_owner.wrap_to_owner(key, "X25519", dge1_owner.public_raw(owner))},
                  {"keyWrap": dge1_owner.wrap_to_owner(key, "X25519", dge1_owner.public_raw(owner)), "manifest": "A" * 100_000}]:
        refused = requests.post(f"{first.url}/api/requests/{request_id}/submissions", json={"files": [receipt], **extra})
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_encryption", refused.text
    assert send_sealed(first, request_id, link, [("x", b"y")]).status_code == 201


def test_dropgate_request_send_seals_to_the_key_in_the_link_and_refuses_any_doubt(pair, dropgate_bin, tmp_path):  # noqa: F811
    first, second = pair.gateways
    owner_env, sender_env = cli_env(tmp_path / "owner"), cli_env(tmp_path / "sender")
    made = run(dropgate_bin, owner_env, "create", "--title", "Contracts", "--encrypt", "--max-files", "3", "--gateway", second.url)
    assert made.returncode == 0, made.stderr
    link, _, token_line = made.stdout.strip().splitlines()
    owner = token_line.rsplit(" ", 1)[1]
    files = {"contract.txt": b"the secret plaintext marker, signed", "annex.bin": os.urandom(200_000)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    paths = [str(tmp_path / name) for name in files]
    # Doubt about the key: no key in the link, another key, a key the gateway does not name. Nothing is sent.
    plain_link = requests.post(f"{first.url}/api/requests", json={"title": "Plain"}).json()["request"]["url"]
    other = "#" + dge1_owner.fragment("X25519", dge1_owner.public_raw(dge1_owner.generate()))
    for bad, words in [(link.split("#")[0], "lacks its key"), (link.split("#")[0] + other, "not the key this request was made with"),
                       (plain_link + other, "not encrypted: nothing was sent"), (link[:-3], "not one dropgate reads")]:
        refused = run(dropgate_bin, sender_env, "send", bad, *paths)
        assert refused.returncode != 0 and words in refused.stderr and len(refused.stderr.strip().splitlines()) == 1, (bad, refused.stderr)
    assert stored(pair, link.split("#")[0].rsplit("/", 1)[1]) == (0, 0)
    # The whole link, at the other gateway of the bucket: sealed here, opened by the owner's CLI.
    sent = run(dropgate_bin, sender_env, "send", link, *paths, "--name", "Ada")
    assert sent.returncode == 0 and sent.stdout.strip() == "sent 2 files to Contracts, encrypted to its owner: contract.txt, annex.bin", sent.stderr
    client = s3_client(pair.storage)
    everything = b"".join(client.get_object(Bucket=pair.storage["bucket"], Key=o["Key"])["Body"].read()
                          for o in client.list_objects_v2(Bucket=pair.storage["bucket"]).get("Contents", []))
    assert b"secret plaintext marker" not in everything and b"contract.txt" not in everything
    out = tmp_path / "received"
    got = run(dropgate_bin, owner_env, "download", link, "--token", owner, "--gateway", first.url, "-o", str(out))
    assert got.returncode == 0, got.stderr
    (folder,) = list(out.iterdir())
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files
    # A plain request takes the files as they are.
    plain = run(dropgate_bin, sender_env, "send", plain_link, paths[0])
    assert plain.returncode == 0 and plain.stdout.strip() == "sent 1 file to Plain: contract.txt", plain.stderr
