"""A share's download log (issue 31): each download with its time, file, user-agent family and a visitor mark, never an
address (the bucket is searched for one); on the embedded store, the store says when every byte went, so a download
cut short, or a range that covers part of the file, is not a completed one until the ranges cover it all. The owner
exports the log as JSON and CSV. On two gateways of one bucket, embedded and RGW."""
import http.client
import os
import time
import urllib.parse

import pytest
import requests

from gateway_fixtures import Gateway, put_plan
from test_share_races import pair, s3_client  # noqa: F401  (the pair fixture: embedded and RGW)

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def get(url, source="127.0.0.1", headers=None, read=None):
    """A GET from a loopback address; (status, headers, body read). With `read`, only that many bytes, then it hangs up."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, source_address=(source, 0), timeout=30)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {})
        response = connection.getresponse()
        body = response.read(read) if read else response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def log(gateway, share_id, token, **params):
    return requests.get(f"{gateway.url}/api/shares/{share_id}/log", params=params, headers={"Authorization": f"Bearer {token}"})


def everything_in(storage):
    client = s3_client(storage)
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=storage["bucket"], Prefix=".dropgate/").get("Contents", [])]
    return b"".join(client.get_object(Bucket=storage["bucket"], Key=k)["Body"].read() for k in keys)


def test_downloads_are_logged_with_visitor_marks_and_no_address(pair):  # noqa: F811
    first, second = pair.gateways
    share_id, token = pair.share(b"logged bytes")
    for gateway, source in [(first, "127.0.0.2"), (second, "127.0.0.3"), (first, "127.0.0.2")]:
        status, headers, _ = get(f"{gateway.url}/s/{share_id}/raw", source=source, headers={"User-Agent": FIREFOX})
        assert status == 302
        assert requests.get(headers["Location"]).content == b"logged bytes"
    deadline = time.monotonic() + 10  # each gateway writes its log lines off the download's path: a moment later
    while len(log(second, share_id, token).json()["entries"]) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    answer = log(second, share_id, token)
    assert answer.status_code == 200, answer.text
    entries = answer.json()["entries"]
    assert [e["agent"] for e in entries] == ["Firefox"] * 3 and [e["fileName"] for e in entries] == ["race.txt"] * 3
    marks = [e["visitor"] for e in entries]
    assert marks[0] == marks[2] != marks[1]  # one address, one mark, within the day
    assert answer.json()["days"] == [{"day": time.strftime("%Y-%m-%d", time.gmtime()), "downloads": 3, "visitors": 2}]
    embedded = pair.storage["bucket"] == "dropgate"
    # Only the gateway whose process holds the embedded store hears from it; the other says what it knows.
    assert [e["receipt"] for e in entries] == (["store_link", "link_followed", "store_link"] if embedded else ["link_followed"] * 3)
    # No address anywhere in the bucket, in any form the gateway saw.
    assert not any(address in everything_in(pair.storage) for address in [b"127.0.0.2", b"127.0.0.3"])
    csv = log(first, share_id, token, format="csv")
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv") and "attachment" in csv.headers["Content-Disposition"]
    rows = csv.text.strip().split("\r\n")
    assert rows[0] == "time,file,file_name,agent,visitor,receipt,completed" and len(rows) == 4 and "127.0.0" not in csv.text
    # Only the owner, or the holder of the delete token.
    assert log(first, share_id, "not-the-token").status_code == 401


def test_the_embedded_store_tells_a_completed_download_from_a_cut_one(dropgate_bin, tmp_path):
    gateway = Gateway(dropgate_bin, tmp_path, uploads={"multipartThreshold": 64 * 1024 * 1024})
    try:
        data = os.urandom(40 * 1024 * 1024)
        plan = gateway.create(filename="big.bin", size=len(data), contentType="application/octet-stream").json()
        assert put_plan(plan, data) == 200
        made = gateway.complete(plan["id"]).json()
        share_id, token = made["share"]["id"], made["deleteToken"]
        raw = f"{gateway.url}/s/{share_id}/raw"
        # 1: whole. 2: half by a range. 3: hung up after 64 KB.
        whole = requests.get(raw)
        assert whole.content == data
        _, headers, _ = get(raw)
        ranged = headers["Location"]
        status, _, part = get(ranged, headers={"Range": "bytes=0-999"})
        assert status == 206 and part == data[:1000]
        _, headers, _ = get(raw)
        get(headers["Location"], read=64 * 1024)

        def completed():
            return [e["completed"] for e in log(gateway, share_id, token).json()["entries"]]
        deadline = time.monotonic() + 20
        while completed() != [True, False, False] and time.monotonic() < deadline:
            time.sleep(0.3)
        assert completed() == [True, False, False]
        # The rest of download 2's bytes, by another range of the same link: now it covers the file, so it completed.
        status, _, rest = get(ranged, headers={"Range": "bytes=1000-"})
        assert status == 206 and part + rest == data
        deadline = time.monotonic() + 20
        while completed() != [True, True, False] and time.monotonic() < deadline:
            time.sleep(0.3)
        assert completed() == [True, True, False]
    finally:
        gateway.stop()


@pytest.mark.parametrize("agent,family", [("curl/8.5.0", "curl"), ("Slackbot-LinkExpanding 1.0", "bot"), ("", "none"),
                                          ("Mozilla/5.0 Chrome/131.0 Safari/537.36", "Chrome")])
def test_only_a_coarse_family_of_the_agent_is_kept(pair, agent, family):  # noqa: F811
    first, _ = pair.gateways
    share_id, token = pair.share(b"agents")
    get(f"{first.url}/s/{share_id}/raw", headers={"User-Agent": agent} if agent else {})
    (entry,) = log(first, share_id, token).json()["entries"]
    assert entry["agent"] == family
    if agent:
        assert agent.encode() not in everything_in(pair.storage)
