"""Link cards that never spend a download (issue 33), on two gateways of one bucket, on the embedded store and on
Ceph RGW 16: a chat bot's fetch of a share's page, or anyone's, counts nothing and burns nothing; a share behind a
password or encrypted gives away no name or size; share pages stay out of search engines."""
import html
import re

import requests

from dge1 import encrypted_share
from gateway_fixtures import put_plan
from test_share_races import pair  # noqa: F401  (the pair fixture: embedded and RGW)

BOTS = ["Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "Twitterbot/1.0", "python-requests/2"]


def tags(page):
    return {name: html.unescape(value) for name, value in re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', page)}


def share(gateway, data, name="holiday notes.txt", **terms):
    plan = gateway.create(filename=name, size=len(data), contentType="text/plain", **terms).json()
    assert put_plan(plan, data) == 200
    return gateway.complete(plan["id"]).json()["share"]["url"].replace("http://localhost", "http://127.0.0.1")


def test_a_card_fetch_by_any_bot_counts_nothing_and_a_burn_after_reading_share_survives_it(pair):  # noqa: F811
    first, second = pair.gateways
    link = share(first, b"read me once", maxDownloads=1)  # burned by its one download
    for gateway in (first, second):
        for bot in BOTS:
            page = requests.get(link.replace(first.url, gateway.url), headers={"User-Agent": bot})
            assert page.status_code == 200 and page.headers["X-Robots-Tag"] == "noindex, nofollow"
            card = tags(page.text)
            assert card["og:title"] == "holiday notes.txt" and card["twitter:card"] == "summary"
            assert card["og:description"].startswith("12 bytes") and card["og:url"].endswith(link.split("/s/")[1])
    # Each gateway of the pair has its own public URL here (behind one load balancer they would share one).
    public = lambda gateway, url: gateway.settings["gateway"]["publicURL"] + "/s/" + url.split("/s/")[1]  # noqa: E731
    oembed = requests.get(f"{second.url}/oembed", params={"url": public(second, link), "format": "json"})
    assert oembed.status_code == 200 and oembed.json()["title"] == "holiday notes.txt" and oembed.json()["type"] == "link"
    assert "0 of 1" in requests.get(link).text  # after eight card fetches and an oEmbed, nothing was counted
    assert requests.get(f"{link}/raw", allow_redirects=True).content == b"read me once"
    assert requests.get(f"{link.replace(first.url, second.url)}/raw").status_code == 410  # burned, at the other gateway too
    assert requests.get(link).status_code == 410


def test_a_password_or_encrypted_share_gives_away_no_name_or_size(pair):  # noqa: F811
    first, second = pair.gateways
    data = b"secret plans, 26 bytes...."
    plan = first.create(filename="merger-plan.pdf.txt", size=len(data), contentType="text/plain").json()
    assert put_plan(plan, data) == 200
    receipt = first.complete(plan["id"], {"collection": True}).json()["receipt"]
    made = requests.post(f"{first.url}/api/shares", json={"files": [receipt], "password": "correct horse"})
    guarded = made.json()["share"]["url"].replace("http://localhost", "http://127.0.0.1")
    sealed = encrypted_share(second, [("payroll.csv", b"name,salary\n", "text/csv")]).replace("http://localhost", "http://127.0.0.1")
    for link in (guarded, sealed.split("#")[0]):
        page = requests.get(link, headers={"User-Agent": BOTS[0]})
        card = tags(page.text)
        assert card["og:title"] == "Shared files" and card["og:description"] == "Shared with Dropgate."
        head = page.text.split("</head>")[0]
        for leaked in ("merger", "payroll", "26 bytes", "12 bytes"):
            assert leaked not in head
        owner = first if link.startswith(first.url) else second
        embed = requests.get(f"{owner.url}/oembed", params={"url": link.replace("http://127.0.0.1", "http://localhost")})
        assert embed.json()["title"] == "Shared files"


def test_robots_oembed_refusals_and_noindex(pair):  # noqa: F811
    first, _ = pair.gateways
    robots = requests.get(f"{first.url}/robots.txt")
    assert robots.status_code == 200 and "Disallow: /s/*/raw" in robots.text and "Disallow: /api/" in robots.text
    assert "X-Robots-Tag" not in requests.get(f"{first.url}/").headers  # the upload page may be found
    assert requests.get(f"{first.url}/s/AAAAAAAAAAAAAAAAAAAAAA").headers["X-Robots-Tag"] == "noindex, nofollow"
    for params, status in [({"url": "http://localhost/s/AAAAAAAAAAAAAAAAAAAAAA"}, 404), ({"url": "https://elsewhere.test/s/x"}, 404),
                           ({}, 400), ({"url": "x", "format": "xml"}, 501), ({"url": "a" * 5000}, 400)]:
        answer = requests.get(f"{first.url}/oembed", params=params)
        assert answer.status_code == status and answer.json()["error"]["message"], (params, answer.text)
