"""File requests (issue 30): a link that lets anyone upload to its owner, bounded at the store and exact across two
gateways of one bucket, on the embedded store and on Ceph RGW 16."""
import concurrent.futures
import os

import requests

from gateway_fixtures import put_plan
from test_share_races import pair, s3_client  # noqa: F401  (the pair fixture: embedded and RGW)


def create(gateway, **terms):
    answer = requests.post(f"{gateway.url}/api/requests", json={"title": "Tax papers for 2026", **terms})
    assert answer.status_code == 201, answer.text
    made = answer.json()
    return made["request"]["id"], {"Authorization": f"Bearer {made['ownerToken']}"}


def declare(gateway, request_id, name, size, content_type="text/plain"):
    return requests.post(f"{gateway.url}/api/requests/{request_id}/uploads", json={"filename": name, "size": size, "contentType": content_type})


def send(gateway, request_id, files, **sender):
    """Uploads (name, bytes) files to the request and hands them over; the submission answer."""
    receipts = []
    for name, data in files:
        plan = declare(gateway, request_id, name, len(data))
        assert plan.status_code == 201, plan.text
        assert put_plan(plan.json(), data) == 200
        receipts.append(gateway.complete(plan.json()["id"], {"collection": True}).json()["receipt"])
    return requests.post(f"{gateway.url}/api/requests/{request_id}/submissions", json={"files": receipts, **sender})


def stored(pair, request_id):  # noqa: F811
    """The request's files in the bucket: (count, bytes) of the published objects its submissions name."""
    client = s3_client(pair.storage)
    objects = client.list_objects_v2(Bucket=pair.storage["bucket"], Prefix="shared/").get("Contents", [])
    return len(objects), sum(o["Size"] for o in objects)


def test_senders_on_two_gateways_never_pass_the_caps(pair):  # noqa: F811
    first, second = pair.gateways
    by_files, _ = create(first, maxFiles=3, maxBytes=1000)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda n: declare((first, second)[n % 2], by_files, f"f{n}.txt", 5), range(8)))
    codes = [a.status_code for a in answers]
    assert sorted(codes) == [201] * 3 + [409] * 5, codes
    # Every granted plan sent and handed over, at both gateways: the bucket holds exactly the caps.
    receipts = []
    for n, plan in enumerate(a.json() for a in answers if a.status_code == 201):
        assert put_plan(plan, b"%05d" % n) == 200
        receipts.append((first, second)[n % 2].complete(plan["id"], {"collection": True}).json()["receipt"])
    assert requests.post(f"{second.url}/api/requests/{by_files}/submissions", json={"files": receipts}).status_code == 201
    assert stored(pair, by_files) == (3, 15)
    by_bytes, _ = create(second, maxFiles=50, maxBytes=12)
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda n: declare((first, second)[n % 2], by_bytes, f"b{n}.txt", 5), range(6)))
    assert sorted(a.status_code for a in answers) == [201, 201, 409, 409, 409, 409]
    refused = next(a for a in answers if a.status_code == 409).json()["error"]
    assert refused["code"] == "request_full" and "takes 2 bytes more" in refused["message"]
    left = requests.get(f"{first.url}/api/requests/{by_bytes}").json()
    assert (left["filesLeft"], left["bytesLeft"]) == (48, 2)


def test_the_store_itself_refuses_a_byte_more_and_a_multipart_plan_past_the_total(pair):  # noqa: F811
    first, second = pair.gateways
    request_id, _ = create(first, maxFiles=5, maxBytes=12 * 1024 * 1024, maxFileBytes=10 * 1024 * 1024)
    plan = declare(first, request_id, "exact.txt", 5).json()
    headers = {k: v for k, v in plan["headers"].items() if k != "Content-Length"}
    assert requests.put(plan["url"], data=b"123456", headers=headers).status_code in (400, 403)  # one byte more
    big = declare(second, request_id, "big.bin", 8 * 1024 * 1024, "application/octet-stream")
    assert big.status_code == 201 and len(big.json()["multipart"]["parts"]) == 2
    past = declare(first, request_id, "past.bin", 7 * 1024 * 1024, "application/octet-stream")
    assert past.status_code == 409 and "multipart" not in past.text and "url" not in past.json()
    over = declare(first, request_id, "over.bin", 11 * 1024 * 1024, "application/octet-stream")
    assert over.status_code == 413 and over.json()["error"]["code"] == "request_full"


def test_the_owner_gets_every_file_whole_and_a_sender_sees_only_theirs(pair):  # noqa: F811
    first, second = pair.gateways
    request_id, owner = create(first, maxFiles=4, note="Scans are fine.", allowedTypes=["text/*", "image/png"])
    files = [("a.txt", b"first sender's file"), ("b.txt", os.urandom(64).hex().encode())]
    receipt = send(second, request_id, files, name="Ada Sender", email="ada@example.org")
    assert receipt.status_code == 201, receipt.text
    assert [f["name"] for f in receipt.json()["files"]] == ["a.txt", "b.txt"] and all("url" not in f for f in receipt.json()["files"])
    again = send(first, request_id, [("c.txt", b"second sender")])
    assert again.status_code == 201
    assert requests.get(f"{second.url}/api/requests/{request_id}/submissions").status_code == 401
    wrong = {"Authorization": "Bearer dgr." + request_id + "." + "A" * 43}
    assert requests.get(f"{second.url}/api/requests/{request_id}/submissions", headers=wrong).status_code == 401
    detail = requests.get(f"{second.url}/api/requests/{request_id}/submissions", headers=owner).json()
    assert [s.get("name") for s in detail["submissions"]] == ["Ada Sender", None]
    got = {}
    for submission in detail["submissions"]:
        for file in submission["files"]:
            link = requests.get(f"{first.url}{file['url']}", headers=owner).json()["url"]
            got[file["name"]] = requests.get(link).content
    assert got == {"a.txt": files[0][1], "b.txt": files[1][1], "c.txt": b"second sender"}
    assert stored(pair, request_id) == (3, sum(len(d) for d in got.values()))
    # The owner deletes the first submission: its files leave the bucket and the request may take as much again.
    first_id = detail["submissions"][0]["id"]
    assert requests.delete(f"{first.url}/api/requests/{request_id}/submissions/{first_id}").status_code == 401
    assert requests.delete(f"{first.url}/api/requests/{request_id}/submissions/{first_id}", headers=owner).status_code == 204
    assert stored(pair, request_id) == (1, len(b"second sender"))
    assert requests.get(f"{second.url}/api/requests/{request_id}").json()["filesLeft"] == 3
    assert requests.delete(f"{second.url}/api/requests/{request_id}/submissions/{first_id}", headers=owner).status_code == 404
    refused = declare(first, request_id, "page.html", 5, "application/pdf")
    assert refused.status_code == 415 and "text/*, image/png" in refused.json()["error"]["message"]
    # A request's upload makes no share, and a plain upload is no request's.
    plan = declare(first, request_id, "d.txt", 4).json()
    assert put_plan(plan, b"dddd") == 200
    kept = first.complete(plan["id"], {"collection": True}).json()["receipt"]
    assert requests.post(f"{first.url}/api/shares", json={"files": [kept]}).json()["error"]["code"] == "not_your_upload"
    alone = declare(second, request_id, "alone.txt", 5).json()
    assert put_plan(alone, b"alone") == 200
    published = second.complete(alone["id"])  # as a share of its own: never
    assert published.status_code == 403 and published.json()["error"]["code"] == "not_your_upload"
    plain = first.create(filename="e.txt", size=4, contentType="text/plain").json()
    assert put_plan(plain, b"eeee") == 200
    other = first.complete(plain["id"], {"collection": True}).json()["receipt"]
    wrong_receipt = requests.post(f"{second.url}/api/requests/{request_id}/submissions", json={"files": [other]})
    assert wrong_receipt.status_code == 403 and wrong_receipt.json()["error"]["code"] == "not_your_upload"


def test_a_closed_or_answered_request_refuses_at_once_at_every_gateway(pair):  # noqa: F811
    first, second = pair.gateways
    request_id, owner = create(first, maxFiles=5)
    waiting = declare(first, request_id, "late.txt", 4).json()
    assert put_plan(waiting, b"late") == 200
    late = first.complete(waiting["id"], {"collection": True}).json()["receipt"]
    assert requests.post(f"{second.url}/api/requests/{request_id}/close").status_code == 401
    closed = requests.post(f"{second.url}/api/requests/{request_id}/close", headers=owner)
    assert closed.status_code == 200 and closed.json()["closed"] == "Its owner closed it."
    for gateway in (first, second):
        answer = declare(gateway, request_id, "x.txt", 1)
        assert answer.status_code == 410 and answer.json()["error"]["code"] == "request_closed"
    assert requests.post(f"{first.url}/api/requests/{request_id}/submissions", json={"files": [late]}).status_code == 410
    once, _ = create(second, multiple=False)
    assert send(first, once, [("only.txt", b"the one")]).status_code == 201
    assert declare(second, once, "more.txt", 1).json()["error"]["code"] == "request_closed"
    for bad, words in [({"title": ""}, "title"), ({"maxFiles": 0}, "maxFiles"), ({"allowedTypes": ["nonsense"]}, "allowedTypes"),
                       ({"maxFileBytes": 10 ** 15}, "maxFileBytes"), ({"expiresIn": 0}, "expiresIn")]:
        answer = requests.post(f"{first.url}/api/requests", json={"title": "t", **bad})
        assert answer.status_code == 400 and words in answer.json()["error"]["message"], (bad, answer.text)
    assert requests.get(f"{first.url}/api/requests/AAAAAAAAAAAAAAAAAAAAAA").json()["error"]["code"] == "unknown_request"


def test_dropgate_request_makes_shows_and_closes_a_request(pair, dropgate_bin, tmp_path):  # noqa: F811
    import subprocess
    first, second = pair.gateways
    env = {k: v for k, v in os.environ.items() if not k.startswith("DROPGATE_")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    run = lambda *args: subprocess.run([dropgate_bin, "request", *args], capture_output=True, text=True, env=env, timeout=60)  # noqa: E731
    made = run("create", "--title", "Logs, please", "--max-files", "2", "--max-bytes", "1K", "--types", "text/*", "--once",
               "--gateway", first.url)
    assert made.returncode == 0, made.stderr
    link, token_line = made.stdout.strip().splitlines()
    owner = token_line.rsplit(" ", 1)[1]
    request_id = link.rsplit("/", 1)[1]
    info = requests.get(f"{second.url}/api/requests/{request_id}").json()
    assert (info["maxFiles"], info["maxBytes"], info["allowedTypes"], info["multiple"]) == (2, 1000, ["text/*"], False)
    assert send(second, request_id, [("app.log", b"line one\n")], name="Ops").status_code == 201
    shown = run("show", link, "--token", owner, "--gateway", second.url)
    assert shown.returncode == 0 and "app.log  9 bytes  from Ops" in shown.stdout and "closed: It took its one submission." in shown.stdout
    closed = run("close", link, "--token", owner, "--gateway", first.url)
    assert closed.returncode == 0 and closed.stdout.startswith("closed ")
    for args, words in [(("create", "--title", "x", "--max-bytes", "lots", "--gateway", first.url), "--max-bytes"),
                        (("show", "file:///etc/passwd", "--token", owner, "--gateway", first.url), "not a file request"),
                        (("show", link, "--token", "dgr.wrong", "--gateway", first.url), "owner token"),
                        (("create", "--title", "", "--gateway", first.url), "title")]:
        refused = run(*args)
        assert refused.returncode != 0 and words in refused.stderr and len(refused.stderr.strip().splitlines()) == 1, (args, refused.stderr)


def test_a_request_with_a_password_takes_files_only_with_its_pass(pair):  # noqa: F811
    first, second = pair.gateways
    request_id, owner = create(first, maxFiles=5, password="open sesame")
    assert requests.get(f"{second.url}/api/requests/{request_id}").json()["passwordRequired"] is True
    refused = declare(second, request_id, "a.txt", 4)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "password_required"
    wrong = requests.post(f"{second.url}/api/requests/{request_id}/unlock", json={"password": "guess"})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "password_required"
    given = requests.post(f"{first.url}/api/requests/{request_id}/unlock", json={"password": "open sesame"})
    assert given.status_code == 200
    carried = {"X-Request-Pass": given.json()["pass"]}
    plan = requests.post(f"{second.url}/api/requests/{request_id}/uploads", json={"filename": "a.txt", "size": 4, "contentType": "text/plain"},
                         headers=carried)
    assert plan.status_code == 201, plan.text
    assert put_plan(plan.json(), b"aaaa") == 200
    receipt = second.complete(plan.json()["id"], {"collection": True}).json()["receipt"]
    assert requests.post(f"{first.url}/api/requests/{request_id}/submissions", json={"files": [receipt]}).status_code == 401
    assert requests.post(f"{first.url}/api/requests/{request_id}/submissions", json={"files": [receipt]}, headers=carried).status_code == 201
    other, _ = create(second, password="another")
    assert declare(first, other, "b.txt", 1).status_code == 401
    assert requests.post(f"{first.url}/api/requests/{other}/uploads", json={"filename": "b.txt", "size": 1, "contentType": "text/plain"},
                         headers=carried).status_code == 401  # a pass opens only its own request
    # Guesses are bounded: past ten a minute from one client, 429 with Retry-After, the right password included.
    codes = [requests.post(f"{second.url}/api/requests/{other}/unlock", json={"password": f"guess {n}"}).status_code for n in range(12)]
    assert codes[:10] == [403] * 10 and codes[10:] == [429, 429]
