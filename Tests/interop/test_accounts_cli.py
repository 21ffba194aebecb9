"""`dropgate shares` and `dropgate edit` (issue 29): the command line lists a user's shares and changes one, with a
personal token; what it may not do is refused in one line with a non-zero exit."""
import os
import re
import subprocess

import requests

from test_accounts import gateway, provider, sign_in  # noqa: F401  (the provider and gateway fixtures)
from terminal import typed_at_prompt
from test_accounts_tokens import make_token


def cli(dropgate_bin, tmp_path, *arguments, token=None, lang="C.UTF-8"):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DROPGATE_") and k not in ("LC_ALL", "LC_MESSAGES")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), LANG=lang)
    if token:
        env["DROPGATE_TOKEN"] = token
    return subprocess.run([dropgate_bin, *arguments], capture_output=True, text=True, env=env, timeout=60)


def test_the_cli_lists_your_shares_and_edits_one(gateway, dropgate_bin, tmp_path):  # noqa: F811
    bob, _ = sign_in(gateway, user="bob")
    token = make_token(bob, gateway, scopes=("upload", "shares")).json()["token"]
    note = tmp_path / "listed.txt"
    note.write_bytes(b"listed by the cli")
    made = cli(dropgate_bin, tmp_path, "upload", str(note), "--gateway", gateway.base, token=token)
    assert made.returncode == 0, made.stderr
    link = made.stdout.split()[0]
    listed = cli(dropgate_bin, tmp_path, "shares", "--gateway", gateway.base, token=token)
    assert listed.returncode == 0, listed.stderr
    line = next(row for row in listed.stdout.splitlines() if row.startswith(link))
    assert "listed.txt" in line and "17 bytes" in line and "0 downloads" in line
    # For people, in the environment's language: sizes and dates as German and French write them (issue 33).
    for lang, size, date in [("de_DE.UTF-8", "17 Bytes", r"expires \d+\. \w+\.? \d{4}, \d\d:\d\d UTC"),
                             ("fr_FR.UTF-8", "17 octets", r"expires \d+ \w+\.? \d{4}, \d\d:\d\d UTC")]:
        said = next(row for row in cli(dropgate_bin, tmp_path, "shares", "--gateway", gateway.base, token=token, lang=lang).stdout.splitlines()
                    if row.startswith(link))
        assert size in said and re.search(date, said), said
    assert requests.get(f"{link}/raw", allow_redirects=True).content == b"listed by the cli"
    # Counted at once, limited or not.
    assert "1 downloads" in next(r for r in cli(dropgate_bin, tmp_path, "shares", "--gateway", gateway.base, token=token).stdout.splitlines()
                                 if r.startswith(link))
    # Counts too: grouped as German groups them, plain digits in English (as scripts read them).
    assert cli(dropgate_bin, tmp_path, "edit", link, "--max-downloads", "12345", token=token).returncode == 0
    for lang, words in [("de_DE.UTF-8", "1/12.345 downloads"), ("C.UTF-8", "1/12345 downloads")]:
        said = cli(dropgate_bin, tmp_path, "shares", "--gateway", gateway.base, token=token, lang=lang).stdout
        assert words in next(row for row in said.splitlines() if row.startswith(link)), said
    edited = cli(dropgate_bin, tmp_path, "edit", link, "--expires", "30d", "--max-downloads", "3", token=token)
    assert edited.returncode == 0, edited.stderr
    assert "1/3 downloads" in edited.stdout
    env = {k: v for k, v in os.environ.items() if not k.startswith("DROPGATE_")}
    env.update(HOME=str(tmp_path), DROPGATE_TOKEN=token)
    code, said = typed_at_prompt([dropgate_bin, "edit", link, "--password-prompt"], env, b"typed at the prompt")
    assert code == 0 and b"password" in said.split(b"\n")[-2] and b"typed at the prompt" not in said, said
    session = requests.Session()
    assert session.post(f"{link}/unlock", data={"password": "typed at the prompt"}, allow_redirects=False).status_code == 303
    assert cli(dropgate_bin, tmp_path, "edit", link, "--clear-password", token=token).returncode == 0
    assert 'type="password"' not in requests.get(link).text
    as_json = cli(dropgate_bin, tmp_path, "shares", "--json", "--gateway", gateway.base, token=token)
    import json
    assert json.loads(as_json.stdout)["shares"][0]["maxDownloads"] == 3
    # Files added from this machine, and one taken out.
    more = tmp_path / "more.txt"
    more.write_bytes(b"added by the cli")
    grown = cli(dropgate_bin, tmp_path, "edit", link, "--add", str(more), token=token)
    assert grown.returncode == 0 and "listed.txt and 1 more file" in grown.stdout, grown.stderr
    assert requests.get(f"{link}/2/raw").content == b"added by the cli"
    shrunk = cli(dropgate_bin, tmp_path, "edit", link, "--remove", "1", token=token)
    assert shrunk.returncode == 0 and "more.txt" in shrunk.stdout and "listed.txt" not in shrunk.stdout, shrunk.stderr
    assert requests.get(f"{link}/raw").content == b"added by the cli"


def test_the_cli_refuses_in_one_line(gateway, dropgate_bin, tmp_path):  # noqa: F811
    ada, _ = sign_in(gateway)
    bob, _ = sign_in(gateway, user="bob")
    ada_token = make_token(ada, gateway, scopes=("upload", "shares")).json()["token"]
    bob_upload_only = make_token(bob, gateway, scopes=("upload",)).json()["token"]
    bob_shares = make_token(bob, gateway, scopes=("shares",)).json()["token"]
    note = tmp_path / "ada.txt"
    note.write_bytes(b"ada's")
    link = cli(dropgate_bin, tmp_path, "upload", str(note), "--gateway", gateway.base, token=ada_token).stdout.split()[0]
    cases = [
        (["edit", link, "--expires", "1d"], bob_shares, "not yours"),  # another user's share
        (["shares", "--gateway", gateway.base], bob_upload_only, "shares scope"),  # a token without the scope
        (["edit", link], ada_token, "Say what to change"),
        (["edit", link, "--expires", "99999999999999999w"], ada_token, "far too long"),
        (["edit", link, "--max-downloads", "2", "--unlimited"], ada_token, "choose one"),
        (["edit", link, "--remove", "0"], ada_token, "from 1"),
        (["edit", link, "--remove", "1"], ada_token, "at least one file"),
        (["edit", link, "--add", str(tmp_path / "missing.txt")], ada_token, "Cannot read"),
        (["edit", "file:///etc/passwd", "--expires", "1d"], ada_token, "not a share link"),
        (["shares", "--gateway", gateway.base], None, "Not signed in"),
        (["shares", "--gateway", gateway.base], "dgp.not-a-token", "not valid here"),
    ]
    for arguments, token, words in cases:
        done = cli(dropgate_bin, tmp_path, *arguments, token=token)
        assert done.returncode != 0 and words in done.stderr and len(done.stderr.strip().splitlines()) == 1, (arguments, done.stderr)


def test_dropgate_login_listens_on_the_port_it_is_given_for_an_ssh_forward(gateway, dropgate_bin, tmp_path):  # noqa: F811
    from gateway_fixtures import free_port
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DROPGATE_")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), DROPGATE_URL=gateway.base)
    first = subprocess.Popen([dropgate_bin, "login", "--port", str(port), "--timeout", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
    try:
        first.stdout.readline()
        address = first.stdout.readline().strip()
        assert f"/auth/cli?port={port}&" in address, address
        taken = subprocess.run([dropgate_bin, "login", "--port", str(port), "--timeout", "10"], capture_output=True, text=True, env=env, timeout=30)
        assert taken.returncode != 0 and f"Cannot listen on 127.0.0.1:{port}" in taken.stderr and len(taken.stderr.strip().splitlines()) == 1
    finally:
        first.kill()
        first.wait()
    low = subprocess.run([dropgate_bin, "login", "--port", "80"], capture_output=True, text=True, env=env, timeout=30)
    assert low.returncode != 0 and "--port must be from 1024" in low.stderr
