"""Personal API tokens (issue 29): made, listed and revoked by a signed-in user, shown once and kept only as a hash,
used by curl with `Authorization: Bearer`, each bounded by its scopes, and refused at once when revoked."""
import subprocess

import requests

from gateway_fixtures import curl_put
from test_accounts import gateway, me, provider, sign_in  # noqa: F401  (the provider and gateway fixtures)


def make_token(visitor, gateway, name="laptop", scopes=("upload", "shares")):  # noqa: F811
    return visitor.post(f"{gateway.base}/api/me/tokens", json={"name": name, "scopes": list(scopes)},
                        headers={"X-CSRF-Token": me(visitor, gateway)["csrfToken"]})


def curl_upload(gateway, token, path):  # noqa: F811
    """The upload as a script does it: curl declares, PUTs and completes with the personal token."""
    declared = subprocess.run(["curl", "-sS", "-X", "POST", "-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json",
                               "--data", f'{{"filename":"{path.name}","size":{path.stat().st_size},"contentType":"text/plain"}}',
                               "-w", "\n%{http_code}", f"{gateway.url}/api/uploads"], capture_output=True, text=True, timeout=60)
    body, status = declared.stdout.rsplit("\n", 1)
    if status != "201":
        return int(status), body
    import json
    plan = json.loads(body)
    assert subprocess.run(curl_put(plan, path), capture_output=True, timeout=60).returncode == 0
    done = requests.post(f"{gateway.url}/api/uploads/{plan['id']}/complete", json={})
    return done.status_code, done.json()


def test_a_token_uploads_with_curl_lists_its_accounts_shares_and_dies_when_revoked(gateway, tmp_path):  # noqa: F811
    visitor, _ = sign_in(gateway)
    assert make_token(visitor, gateway, scopes=["upload"]).status_code == 201
    refused = visitor.post(f"{gateway.base}/api/me/tokens", json={"name": "no csrf"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_rejected"
    created = make_token(visitor, gateway)
    assert created.status_code == 201, created.text
    token, info = created.json()["token"], created.json()["info"]
    assert token.startswith("dgp.") and info["scopes"] == ["shares", "upload"] and info["name"] == "laptop"
    listed = visitor.get(f"{gateway.base}/api/me/tokens").json()["tokens"]
    assert info in listed and token not in str(listed)
    note = tmp_path / "from curl.txt"
    note.write_bytes(b"sent by a script")
    status, completion = curl_upload(gateway, token, note)
    assert status == 201, completion
    # The share is the account's: listed with the session, and with the token's shares scope.
    with_session = [s["id"] for s in visitor.get(f"{gateway.base}/api/me/shares").json()["shares"]]
    with_token = [s["id"] for s in requests.get(f"{gateway.url}/api/me/shares", headers={"Authorization": f"Bearer {token}"}).json()["shares"]]
    assert completion["share"]["id"] in with_session and completion["share"]["id"] in with_token
    # The token's secret is nowhere in the bucket; only its hash is.
    storage = gateway.settings["storage"]
    import boto3
    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{storage['port']}", aws_access_key_id=storage["accessKeyId"],
                      aws_secret_access_key=storage["secretAccessKey"], region_name="us-east-1")
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=storage["bucket"], Prefix=".dropgate/") for o in page.get("Contents", [])]
    secret = token.split(".")[3]
    assert not any(secret.encode() in s3.get_object(Bucket=storage["bucket"], Key=k)["Body"].read() for k in keys)
    # Revoked: refused at once.
    gone = visitor.delete(f"{gateway.base}/api/me/tokens/{info['id']}", headers={"X-CSRF-Token": me(visitor, gateway)["csrfToken"]})
    assert gone.status_code == 204 and info not in visitor.get(f"{gateway.base}/api/me/tokens").json()["tokens"]
    status, answer = curl_upload(gateway, token, note)
    assert status == 401, answer


def test_each_scope_bounds_what_a_token_does(gateway, tmp_path):  # noqa: F811
    visitor, _ = sign_in(gateway)
    uploader = make_token(visitor, gateway, name="uploads only", scopes=["upload"]).json()["token"]
    manager = make_token(visitor, gateway, name="shares only", scopes=["shares"]).json()["token"]
    note = tmp_path / "scoped.txt"
    note.write_bytes(b"scoped")
    status, answer = curl_upload(gateway, manager, note)
    assert status == 403 and '"insufficient_scope"' in answer
    status, done = curl_upload(gateway, uploader, note)
    assert status == 201
    listing = requests.get(f"{gateway.url}/api/me/shares", headers={"Authorization": f"Bearer {uploader}"})
    assert listing.status_code == 403 and listing.json()["error"]["code"] == "insufficient_scope"
    revoked = requests.delete(f"{gateway.url}/api/shares/{done['share']['id']}", headers={"Authorization": f"Bearer {manager}"})
    assert revoked.status_code == 204 and requests.get(done["share"]["url"]).status_code == 410
    # A token changed by a character, or made up, is no token.
    for forged in (uploader[:-1] + ("A" if uploader[-1] != "A" else "B"), "dgp." + ".".join(["A" * 22, "B" * 22, "C" * 43])):
        assert requests.post(f"{gateway.url}/api/uploads", json={"filename": "a.txt", "size": 1},
                             headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_bad_requests_and_the_limit_of_fifty_tokens(gateway):  # noqa: F811
    visitor, _ = sign_in(gateway, user="bob")
    token = me(visitor, gateway)["csrfToken"]
    for body, code in [({"name": ""}, "bad_request"), ({"name": "x", "scopes": ["root"]}, "bad_request"),
                       ({"name": "x", "colour": "red"}, "unknown_field"), ({"name": "x" * 101}, "bad_request")]:
        answer = visitor.post(f"{gateway.base}/api/me/tokens", json=body, headers={"X-CSRF-Token": token})
        assert answer.status_code == 400 and answer.json()["error"]["code"] == code, (body, answer.text)
    # bob is no admin: the admin scope is refused as beyond him, not as unknown.
    admin = visitor.post(f"{gateway.base}/api/me/tokens", json={"name": "x", "scopes": ["admin"]}, headers={"X-CSRF-Token": token})
    assert admin.status_code == 403 and admin.json()["error"]["code"] == "insufficient_scope"
    existing = len(visitor.get(f"{gateway.base}/api/me/tokens").json()["tokens"])
    for n in range(50 - existing):
        assert make_token(visitor, gateway, name=f"token {n}").status_code == 201
    over = make_token(visitor, gateway, name="one too many")
    assert over.status_code == 409 and over.json()["error"]["code"] == "too_many_tokens"
    assert requests.get(f"{gateway.url}/api/me/tokens").status_code == 401


def hidden_fields(html):
    import re
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


def test_dropgate_login_signs_the_cli_in_through_the_browser_and_logout_revokes(gateway, dropgate_bin, tmp_path):  # noqa: F811
    import os
    env = {k: v for k, v in os.environ.items() if not k.startswith("DROPGATE_")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), DROPGATE_URL=gateway.base)
    login = subprocess.Popen([dropgate_bin, "login", "--timeout", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        login.stdout.readline()
        address = login.stdout.readline().strip()
        assert address.startswith(f"{gateway.base}/auth/cli?port="), address
        visitor = requests.Session()
        # Signed out, the address signs in first and comes back to the consent page.
        first = visitor.get(address, allow_redirects=False)
        assert first.status_code == 303 and first.headers["Location"].startswith("/auth/login?return=%2Fauth%2Fcli")
        import test_accounts
        visitor, _ = test_accounts.sign_in(gateway)
        consent = visitor.get(address)
        assert consent.status_code == 200 and "Sign in the command line?" in consent.text
        fields = hidden_fields(consent.text)
        forged = visitor.post(f"{gateway.base}/auth/cli", data=dict(fields, csrf="not-it"))
        assert forged.status_code == 403
        finish = visitor.post(f"{gateway.base}/auth/cli", data=fields)
        assert finish.status_code == 200 and "form-action http://127.0.0.1:" in finish.headers["Content-Security-Policy"]
        handed = hidden_fields(finish.text)
        loopback = finish.text.split('action="')[1].split('"')[0]
        assert loopback.startswith("http://127.0.0.1:") and handed["token"].startswith("dgp.")
        assert requests.post(loopback, data=dict(handed, state="A" * 43)).status_code == 400  # another run's form
        assert requests.post(loopback, data=handed).status_code == 200
        assert login.wait(timeout=30) == 0, login.stderr.read()
    finally:
        if login.poll() is None:
            login.kill()
    kept = tmp_path / "data" / "dropgate" / "logins.json"
    assert oct(kept.stat().st_mode & 0o777) == "0o600" and handed["token"] in kept.read_text()
    note = tmp_path / "cli note.txt"
    note.write_bytes(b"uploaded by the signed-in cli")
    uploaded = subprocess.run([dropgate_bin, "upload", str(note)], capture_output=True, text=True, env=env, timeout=60)
    assert uploaded.returncode == 0, uploaded.stderr
    link = uploaded.stdout.split()[0]
    assert link.split("/s/")[1] in [s["id"] for s in visitor.get(f"{gateway.base}/api/me/shares").json()["shares"]]
    out = subprocess.run([dropgate_bin, "logout"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert handed["token"] not in kept.read_text()
    assert requests.post(f"{gateway.url}/api/uploads", json={"filename": "a.txt", "size": 1},
                         headers={"Authorization": f"Bearer {handed['token']}"}).status_code == 401
    again = subprocess.run([dropgate_bin, "logout"], capture_output=True, text=True, env=env, timeout=60)
    assert again.returncode != 0 and "Not signed in" in again.stderr
