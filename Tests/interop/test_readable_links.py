"""Links people can read (issue 32): a custom link (`/s/quarterly-report`) or one of random words is an alias of its
share's record, given create-only in the bucket, so two gateways racing for one name give it to one share; revoking,
limits and expiry apply through it. On the embedded store and on Ceph RGW 16, with two gateways on one bucket."""
import concurrent.futures
import math
import re
import subprocess

import requests

from conftest import ROOT
from gateway_fixtures import receipt
from test_cli_upload import cli_env
from test_share_races import pair  # noqa: F401  (two gateways on one bucket, embedded and RGW)

WORDS = re.findall(r'"([a-z]+)"', (ROOT / "Sources" / "Gateway" / "Shares" / "LinkWords.swift").read_text())


def make(gateway, name, data=b"readable", **terms):
    return requests.post(f"{gateway.url}/api/shares", json={"files": [receipt(gateway, name, data)], **terms})


def test_two_gateways_racing_for_one_custom_link_give_it_to_one_share(pair):  # noqa: F811
    receipts = [receipt(pair.gateways[n % 2], f"report-{n}.txt", f"report {n}".encode()) for n in range(8)]

    def claim(n):
        return requests.post(f"{pair.gateways[n % 2].url}/api/shares", json={"files": [receipts[n]], "link": "Quarterly-Report"})
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(claim, range(8)))
    won = [n for n, answer in enumerate(answers) if answer.status_code == 201]
    assert len(won) == 1, [answer.status_code for answer in answers]
    for n, answer in enumerate(answers):
        if n != won[0]:
            assert answer.status_code == 409 and answer.json()["error"]["code"] == "link_taken", answer.text
            assert "/s/quarterly-report is taken" in answer.json()["error"]["message"]
    share = answers[won[0]].json()
    assert share["share"]["url"].endswith("/s/quarterly-report")  # kept lowercase, the link handed out
    for gateway in pair.gateways:
        for path in ["quarterly-report", "Quarterly-Report"]:
            page = requests.get(f"{gateway.url}/s/{path}")
            assert page.status_code == 200 and f"report-{won[0]}.txt" in page.text
        assert requests.get(f"{gateway.url}/s/quarterly-report/raw").content == f"report {won[0]}".encode()
    # The same share asked again with the same name is the same share (a retry), not a conflict.
    again = requests.post(f"{pair.first.url}/api/shares", json={"files": [receipts[won[0]]], "link": "quarterly-report"})
    assert again.status_code == 200 and again.json()["share"]["id"] == share["share"]["id"]
    # Revoked through its alias on one gateway: the alias and the id answer 410 on both.
    revoked = requests.delete(f"{pair.second.url}/api/shares/quarterly-report", headers={"Authorization": f"Bearer {share['deleteToken']}"})
    assert revoked.status_code == 204, revoked.text
    for gateway in pair.gateways:
        for path in ["quarterly-report", share["share"]["id"]]:
            assert requests.get(f"{gateway.url}/s/{path}").status_code == 410
            assert requests.get(f"{gateway.url}/s/{path}/raw", allow_redirects=False).status_code == 410
    # A wrong token through the alias is refused like through the id.
    other = make(pair.first, "x.txt", link="other-report").json()
    wrong = requests.delete(f"{pair.first.url}/api/shares/other-report", headers={"Authorization": f"Bearer {share['deleteToken']}"})
    assert wrong.status_code == 401 and requests.get(f"{pair.first.url}/s/other-report").status_code == 200
    assert other["share"]["url"].endswith("/s/other-report")


def test_an_alias_spends_its_shares_downloads(pair):  # noqa: F811
    made = make(pair.first, "once.txt", b"only once", link="just-once", maxDownloads=1)
    assert made.status_code == 201, made.text
    share_id = made.json()["share"]["id"]
    assert requests.get(f"{pair.second.url}/s/just-once/raw").content == b"only once"
    assert requests.get(f"{pair.first.url}/s/{share_id}/raw").status_code == 410
    assert requests.get(f"{pair.first.url}/s/just-once").status_code == 410
    facts = requests.get(f"{pair.second.url}/api/shares/just-once")
    assert facts.status_code == 410


def test_bad_custom_links_are_refused_in_plain_words(pair):  # noqa: F811
    gateway = pair.first
    cases = {"ab": "3 to 64", "x" * 65: "3 to 64", "-report": "hyphen", "report-": "hyphen", "two--hyphens": "hyphen",
             "zoë-report": "letters", "a/b": "letters", "a b": "letters", "admin": "keeps for itself", "raw": "keeps for itself",
             "../etc": "letters"}
    for name, words in cases.items():
        answer = make(gateway, "bad.txt", link=name)
        assert answer.status_code == 400, (name, answer.text)
        assert answer.json()["error"]["code"] == "invalid_link" and words in answer.json()["error"]["message"], (name, answer.text)
    both = make(gateway, "both.txt", link="fine-name", wordLink=True)
    assert both.status_code == 400 and "not both" in both.json()["error"]["message"]
    # A refused name leaves nothing behind: the name is free, and the files were not shared.
    assert make(gateway, "fine.txt", link="fine-name").status_code == 201
    # Names that are not links are never looked up as shares.
    for path in ["UPPER_case", "a--b", "x" * 200]:
        assert requests.get(f"{gateway.url}/s/{path}").status_code == 404


def test_a_word_link_has_the_entropy_the_readme_states(pair):  # noqa: F811
    assert len(WORDS) == len(set(WORDS)) == 2048 and all(3 <= len(word) <= 8 for word in WORDS)
    readme = (ROOT / "README.md").read_text()
    stated = re.search(r"word link is (\d+) words \((\d+) bits\)[^.]*; with a password, (\d+) words \((\d+) bits\)", readme)
    assert stated, "the README states a word link's entropy"
    words, bits, protected_words, protected_bits = map(int, stated.groups())
    assert words * math.log2(len(WORDS)) >= bits >= 128  # at least a random id's 128 bits
    assert protected_words * math.log2(len(WORDS)) >= protected_bits
    seen = set()
    for n in range(6):
        gateway = pair.gateways[n % 2]
        made = make(gateway, f"w{n}.txt", f"words {n}".encode(), wordLink=True)
        assert made.status_code == 201, made.text
        name = made.json()["share"]["url"].rsplit("/s/", 1)[1]
        parts = name.split("-")
        assert len(parts) == words and all(part in WORDS for part in parts), name
        seen.add(name)
        assert requests.get(f"{pair.gateways[1 - n % 2].url}/s/{name}/raw").content == f"words {n}".encode()
    assert len(seen) == 6
    locked = make(pair.first, "locked.txt", b"behind a password", wordLink=True, password="correct horse")
    name = locked.json()["share"]["url"].rsplit("/s/", 1)[1]
    assert len(name.split("-")) == protected_words
    page = requests.get(f"{pair.second.url}/s/{name}")
    assert page.status_code == 200 and "locked.txt" not in page.text and 'type="password"' in page.text


def test_the_cli_makes_and_revokes_a_custom_link(dropgate_bin, pair, tmp_path):  # noqa: F811
    env = cli_env(tmp_path)
    note = tmp_path / "minutes.txt"
    note.write_text("the minutes")
    made = subprocess.run([dropgate_bin, "upload", str(note), "--link", "team-minutes", "--gateway", pair.first.url], capture_output=True,
                          env=env, timeout=60)
    assert made.returncode == 0, made.stderr
    link = made.stdout.decode().split()[0]
    assert link == f"{pair.first.url}/s/team-minutes".replace("127.0.0.1", "localhost") or link.endswith("/s/team-minutes"), link
    fetched = tmp_path / "fetched"
    fetched.mkdir()
    got = subprocess.run([dropgate_bin, "download", link, "-o", str(fetched)], capture_output=True, env=env, timeout=60)
    assert got.returncode == 0 and (fetched / "minutes.txt").read_text() == "the minutes", got.stderr
    taken = subprocess.run([dropgate_bin, "upload", str(note), "--link", "team-minutes", "--gateway", pair.second.url], capture_output=True,
                           env=env, timeout=60)
    assert taken.returncode != 0 and "/s/team-minutes is taken" in taken.stderr.decode(), taken.stderr
    refused = subprocess.run([dropgate_bin, "upload", str(note), "--link", "x", "--word-link", "--gateway", pair.first.url],
                             capture_output=True, env=env, timeout=60)
    assert refused.returncode != 0 and "choose one" in refused.stderr.decode()
    revoked = subprocess.run([dropgate_bin, "revoke", link], capture_output=True, env=env, timeout=60)
    assert revoked.returncode == 0, revoked.stderr
    assert requests.get(f"{pair.second.url}/s/team-minutes").status_code == 410
    hostile = subprocess.run([dropgate_bin, "revoke", "file:///s/team-minutes"], capture_output=True, env=env, timeout=60)
    assert hostile.returncode != 0 and "not a share link" in hostile.stderr.decode()


def test_a_burned_share_is_read_once_through_its_alias_and_its_id_racing_on_two_gateways(pair):  # noqa: F811
    """The worst timing for an alias: 40 reads at once from 40 addresses, alternating gateways and names; the claim goes
    to the share's id whatever the name, so exactly one read gets the bytes."""
    from test_share_races import assert_whole, fetch
    made = make(pair.first, "secret.txt", b"read me once", link="read-once", burnAfterReading=True)
    assert made.status_code == 201, made.text
    share_id = made.json()["share"]["id"]
    urls = [f"{pair.gateways[n % 2].url}/s/{'read-once' if n % 4 < 2 else share_id}/raw" for n in range(40)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(lambda job: fetch(job[1], source=f"127.0.{job[0] % 7}.{2 + job[0]}"), enumerate(urls)))
    statuses = [result[0] for result in results]
    assert statuses.count(200) == 1 and statuses.count(410) == 39, sorted(statuses)
    assert_whole(results, b"read me once")
