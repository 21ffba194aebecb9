"""Thumbnails and poster frames (issue 33), drawn by the uploader's browser: an image and a WebM video dropped on the
upload page get a small WebP or JPEG each, sent to the store through presigned PUTs of their own; the gateway checks
their size and first 16 bytes and never carries them; the collection page shows a gallery of them, loaded lazily, with
a type icon for a file without one; an encrypted collection's thumbnails are ciphertext in the bucket, shown only once
the page has decrypted them; fetching a thumbnail counts no download. A hostile thumbnail (too large, the wrong type,
HTML declared as WebP) is refused in plain words. On the embedded store and on Ceph RGW 16."""
import concurrent.futures
import random
import struct
import zlib

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from gateway_fixtures import Gateway, put_plan
from conftest import ROOT
from test_accessibility import audit
from test_browser_sharing import browser, chromium, gateway, share_link  # noqa: F401  (embedded and RGW, for browsers)
from test_share_races import pair  # noqa: F401  (two gateways on one bucket, embedded and RGW)

# A WebM clip recorded in the page itself (Chromium's MediaRecorder over a canvas: the machine has no encoder besides).
RECORD_WEBM = """
const done = arguments[arguments.length - 1];
const canvas = document.createElement("canvas");
canvas.width = 240; canvas.height = 160;
document.body.append(canvas);
const context = canvas.getContext("2d");
const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm" });
const chunks = [];
recorder.ondataavailable = (event) => chunks.push(event.data);
recorder.onstop = async () => {
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  canvas.remove();
  done(btoa(text));
};
recorder.start(100);
let frame = 0;
const timer = setInterval(() => {
  context.fillStyle = `hsl(${frame * 12}, 80%, 50%)`;
  context.fillRect(0, 0, 240, 160);
  context.fillStyle = "#fff";
  context.fillRect(frame * 6, 60, 40, 40);
  if (++frame > 40) { clearInterval(timer); recorder.stop(); }
}, 40);
"""


def noisy_png(width, height, seed=7):
    """A real PNG of random pixels (so it stays large: about width x height x 3 bytes)."""
    rng = random.Random(seed)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + rng.randbytes(3 * width) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b"")


def image_kind(head):
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


# The page's own log of what it sends: each XMLHttpRequest and fetch with its method, URL and body size, recorded before
# any of the page's scripts runs.
RECORD_REQUESTS = """
window.sentRequests = [];
const size = (body) => body == null ? 0 : body.size ?? body.byteLength ?? String(body).length;
const open = XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.open = function (method, url) { this.seen = [method, new URL(url, location.href).href]; return open.apply(this, arguments); };
const send = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (body) { window.sentRequests.push([...this.seen, size(body)]); return send.apply(this, arguments); };
const fetched = window.fetch;
window.fetch = function (input, init) {
  window.sentRequests.push([(init && init.method) || "GET", new URL(input.url || input, location.href).href, size(init && init.body)]);
  return fetched.apply(this, arguments);
};
"""


def bucket_objects(gateway, prefix):
    s3 = gateway.store_client()
    bucket = gateway.settings["storage"]["bucket"]
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return {item["Key"]: s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read() for item in listed}


def receipt_with_thumbnail(dropgate, name, thumbnail, kind, seed):
    """A picture uploaded with `thumbnail` (sent as `kind`) and completed for a collection: its receipt."""
    data = noisy_png(40, 30, seed=seed)
    plan = dropgate.create(filename=name, size=len(data), contentType="image/png").json()
    assert put_plan(plan, data) == 200
    thumb = requests.post(f"{dropgate.url}/api/uploads/{plan['id']}/thumbnail", json={"size": len(thumbnail), "contentType": kind}).json()
    headers = {name: value for name, value in thumb["headers"].items() if name.lower() != "content-length"}
    assert requests.put(thumb["url"], data=thumbnail, headers=headers).status_code == 200
    return dropgate.complete(plan["id"], {"collection": True}).json()["receipt"]


def share_facts(gateway, link):
    share_id = link.split("/s/", 1)[1].split("#", 1)[0]
    return share_id, requests.get(f"http://127.0.0.1:{gateway.port}/api/shares/{share_id}").json()


def drop_files(browser, gateway, tmp_path, encrypt=False):
    """A 600 x 400 photo of noise (about 700 KB), a WebM clip and a text file, dropped together; the share's link."""
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_REQUESTS})
    browser.get(f"http://localhost:{gateway.port}/")
    clip = __import__("base64").b64decode(browser.execute_async_script(RECORD_WEBM))
    assert clip[:4] == b"\x1a\x45\xdf\xa3", clip[:16]  # an EBML (WebM) header
    files = {"photo.png": noisy_png(600, 400), "clip.webm": clip, "notes.txt": b"no picture here\n"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    if encrypt:
        browser.find_element(By.ID, "encrypt").click()
    earlier = set(bucket_objects(gateway, "thumbs/"))  # RGW's bucket is shared with other tests
    browser.find_element(By.ID, "files").send_keys("\n".join(str(tmp_path / name) for name in files))
    link = share_link(browser, WebDriverWait(browser, 90))
    sent = browser.execute_script("return window.sentRequests")
    kept = {key: data for key, data in bucket_objects(gateway, "thumbs/").items() if key not in earlier}
    return link, files, sent, kept


def test_an_image_and_a_video_get_thumbnails_the_gallery_shows(browser, gateway, tmp_path):  # noqa: F811
    browser.set_script_timeout(30)
    link, files, sent, kept = drop_files(browser, gateway, tmp_path)
    assert len(kept) == 2 and not any(key.startswith("thumbs/staging/") for key in kept), sorted(kept)
    for key, data in kept.items():
        assert image_kind(data) in ("webp", "jpeg") and len(data) <= 64 * 1024, (key, data[:16], len(data))
    # No image byte went through the gateway: the page sent each thumbnail (and each file) to the store's origin, in one
    # PUT of exactly its size, and nothing it sent the gateway had a body over 4 KiB (JSON: plans, completions, the share).
    gateway_origin = f"http://localhost:{gateway.port}/"
    thumbnail_puts = sorted(size for method, url, size in sent if method == "PUT" and "/thumbs/staging/" in url and not url.startswith(gateway_origin))
    assert thumbnail_puts == sorted(len(data) for data in kept.values()), (sent, {key: len(data) for key, data in kept.items()})
    to_gateway = [(method, url, size) for method, url, size in sent if url.startswith(gateway_origin)]
    assert to_gateway and all(method != "PUT" and size < 4096 for method, url, size in to_gateway), to_gateway
    assert any(method == "PUT" and size == len(files["photo.png"]) and not url.startswith(gateway_origin) for method, url, size in sent), sent
    share_id, facts = share_facts(gateway, link)
    browser.get(link)
    wait = WebDriverWait(browser, 30)
    assert browser.find_elements(By.CSS_SELECTOR, "ol.files.gallery")
    loaded = wait.until(lambda driver: driver.execute_script(
        "const images = [...document.querySelectorAll('.thumb img')];"
        "return images.length === 2 && images.every((i) => i.complete && i.naturalWidth > 0)"
        " && images.map((i) => [i.alt, i.naturalWidth, i.naturalHeight, i.loading]);"))
    assert [entry[0] for entry in loaded] == ["Open photo.png", "Open clip.webm"], loaded
    assert loaded[0][1:3] == [320, 213] and max(loaded[1][1:3]) <= 320 and all(entry[3] == "lazy" for entry in loaded), loaded
    # The text file keeps its preview; nothing of the photo itself was fetched, and no download was counted.
    assert browser.find_elements(By.CSS_SELECTOR, "#file-3 .preview pre, #file-3 .preview iframe, #file-3 .preview .code"), \
        browser.find_element(By.ID, "file-3").get_attribute("outerHTML")
    # The one download counted is the text's: its preview reads it through its counted link. The thumbnails spent none.
    after = requests.get(f"http://127.0.0.1:{gateway.port}/api/shares/{share_id}").json()
    assert after["downloads"] == 1, after
    # A click opens the full view, on the file's own page.
    browser.find_element(By.CSS_SELECTOR, "#file-1 .thumb").click()
    assert WebDriverWait(browser, 10).until(lambda driver: driver.find_element(By.ID, "filename").text) == "photo.png"
    browser.get(link)
    for scheme in ("light", "dark"):
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        for width in (1280, 375):
            audit(browser, width)
            shots = ROOT / ".build" / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            browser.save_screenshot(str(shots / f"gallery-{scheme}-{width}.png"))


def test_an_encrypted_collection_keeps_its_thumbnails_sealed(browser, gateway, tmp_path):  # noqa: F811
    browser.set_script_timeout(30)
    link, files, sent, kept = drop_files(browser, gateway, tmp_path, encrypt=True)
    assert len(kept) == 2, sorted(kept)
    assert sorted(size for method, url, size in sent if method == "PUT" and "/thumbs/staging/" in url) == sorted(len(d) for d in kept.values())
    for key, data in kept.items():
        assert data[:4] == b"DGE1" and image_kind(data) is None and b"WEBP" not in data and b"JFIF" not in data, (key, data[:16])
    # The page shows them only once it has the key and has decrypted them.
    other = chromium(tmp_path / "other-downloads")
    try:
        other.get(link.split("#", 1)[0])
        assert not other.find_elements(By.CSS_SELECTOR, "img.thumbnail")
        other.get("about:blank")  # else the link with its key is only a change of fragment: the page would not load again
        other.get(link)
        try:
            WebDriverWait(other, 30).until(lambda driver: driver.execute_script("return document.querySelectorAll('img.thumbnail').length === 2"))
        except Exception:
            raise AssertionError((other.get_log("browser"), other.find_element(By.ID, "e2e").get_attribute("outerHTML")[:3000]))
        shown = WebDriverWait(other, 30).until(lambda driver: driver.execute_script(
            "const images = [...document.querySelectorAll('img.thumbnail')];"
            "return images.length === 2 && images.every((i) => i.complete && i.naturalWidth > 0) && images.map((i) => [i.alt, i.src.slice(0, 5)]);"))
        assert shown == [["Thumbnail of photo.png", "blob:"], ["Thumbnail of clip.webm", "blob:"]], shown
    finally:
        other.quit()


def test_hostile_thumbnails_are_refused_and_fetching_one_counts_nothing(dropgate_bin, tmp_path):
    dropgate = Gateway(dropgate_bin, tmp_path)
    try:
        data = noisy_png(40, 30)
        plan = dropgate.create(filename="pic.png", size=len(data), contentType="image/png").json()
        assert put_plan(plan, data) == 200
        ask = lambda body: requests.post(f"{dropgate.url}/api/uploads/{plan['id']}/thumbnail", json=body)  # noqa: E731
        for body, words in [({"size": 10 << 20, "contentType": "image/webp"}, "1 to 65536 bytes"),
                            ({"size": 100, "contentType": "text/html"}, "image/webp or image/jpeg"),
                            ({"size": 100, "contentType": "image/svg+xml"}, "image/webp or image/jpeg"),
                            ({"size": 0, "contentType": "image/jpeg"}, "1 to 65536 bytes"),
                            ({"size": 100}, "declared as")]:
            answer = ask(body)
            assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_thumbnail", (body, answer.text)
            assert words in answer.json()["error"]["message"], answer.text
        assert ask({"size": 100, "contentType": "image/jpeg", "url": "x"}).json()["error"]["code"] == "unknown_field"
        assert requests.post(f"{dropgate.url}/api/uploads/not-an-upload/thumbnail", json={"size": 1, "contentType": "image/jpeg"}).status_code == 404
        # HTML declared as a WebP: sent to the store (which checks only the signed size and type), refused at completion.
        html = b"<html><script>alert(1)</script></html>"
        thumb = ask({"size": len(html), "contentType": "image/webp"}).json()
        headers = {name: value for name, value in thumb["headers"].items() if name.lower() != "content-length"}
        assert requests.put(thumb["url"], data=html, headers=headers).status_code == 200
        refused = dropgate.complete(plan["id"], {"collection": True})
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_thumbnail", refused.text
        assert "deleted" in refused.json()["error"]["message"]
        # The upload is still pending: completing again, without a thumbnail, shares it.
        receipt = dropgate.complete(plan["id"], {"collection": True}).json()["receipt"]
        created = requests.post(f"{dropgate.url}/api/shares", json={"files": [receipt], "maxDownloads": 1, "cardImage": True})
        share = created.json()["share"]
        assert requests.get(f"{dropgate.url}/s/{share['id']}/1/thumb", allow_redirects=False).status_code == 404
        assert "og:image" not in requests.get(f"{dropgate.url}/s/{share['id']}").text  # no thumbnail: no image in the card
        # A real JPEG's first bytes pass; fetching its thumbnail (3 times) spends none of a one-download share.
        jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 200
        receipt2 = receipt_with_thumbnail(dropgate, "pic2.png", jpeg, "image/jpeg", seed=8)
        second = requests.post(f"{dropgate.url}/api/shares", json={"files": [receipt2], "maxDownloads": 1, "cardImage": True}).json()["share"]
        page = requests.get(f"{dropgate.url}/s/{second['id']}").text
        image = f'<meta property="og:image" content="{dropgate.url.replace("127.0.0.1", "localhost")}/s/{second["id"]}/1/thumb">'
        assert image in page and "summary_large_image" in page, page[:2000]
        for _ in range(3):
            moved = requests.get(f"{dropgate.url}/s/{second['id']}/1/thumb", allow_redirects=False)
            assert moved.status_code == 302, moved.text
            served = requests.get(moved.headers["Location"])
            assert served.content == jpeg and served.headers["Content-Type"] == "image/jpeg", (served.text, moved.headers["Location"])
        assert requests.get(f"{dropgate.url}/api/shares/{second['id']}").json()["downloads"] == 0
        assert requests.get(f"{dropgate.url}/s/{second['id']}/raw").status_code == 200  # the one download
        assert requests.get(f"{dropgate.url}/s/{second['id']}/raw", allow_redirects=False).status_code == 410
    finally:
        dropgate.stop()


def test_a_password_shares_thumbnail_needs_the_password_and_its_card_shows_none(dropgate_bin, tmp_path):
    dropgate = Gateway(dropgate_bin, tmp_path)
    try:
        webp = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 64
        receipt = receipt_with_thumbnail(dropgate, "secret.png", webp, "image/webp", seed=9)
        created = requests.post(f"{dropgate.url}/api/shares", json={"files": [receipt], "password": "p4ssw0rd!", "cardImage": True}).json()
        share = created["share"]
        page = requests.get(f"{dropgate.url}/s/{share['id']}").text
        assert "og:image" not in page and "secret" not in page
        assert requests.get(f"{dropgate.url}/s/{share['id']}/1/thumb", allow_redirects=False).status_code == 403
        session = requests.Session()
        assert session.post(f"{dropgate.url}/s/{share['id']}/unlock", data={"password": "p4ssw0rd!"}).status_code == 200
        moved = session.get(f"{dropgate.url}/s/{share['id']}/1/thumb", allow_redirects=False)
        assert moved.status_code == 302 and requests.get(moved.headers["Location"]).content == webp
        # Revoked, its thumbnail is gone with it.
        revoked = requests.delete(f"{dropgate.url}/api/shares/{share['id']}", headers={"Authorization": f"Bearer {created['deleteToken']}"})
        assert revoked.status_code in (200, 204), revoked.text
        assert session.get(f"{dropgate.url}/s/{share['id']}/1/thumb", allow_redirects=False).status_code == 410
    finally:
        dropgate.stop()


def test_thumbnails_spend_nothing_and_die_with_a_revocation_across_two_gateways(pair):  # noqa: F811
    """The worst timing for the promises a thumbnail touches, on two gateways of one bucket (embedded store and RGW):
    40 requests at once from 40 addresses, alternating gateways, 30 for the thumbnail and 10 for the file of a
    one-download share: every thumbnail is a redirect and exactly one download gets the file. Then a
    revocation on one gateway: the other answers 410 for the thumbnail at once, and a thumbnail URL handed out before
    the revocation no longer serves (its object went with the share's)."""
    from test_share_races import assert_whole, fetch
    jpeg = b"\xff\xd8\xff\xe0" + b"\x01" * 300
    receipt = receipt_with_thumbnail(pair.first, "raced.png", jpeg, "image/jpeg", seed=11)
    made = requests.post(f"{pair.first.url}/api/shares", json={"files": [receipt], "maxDownloads": 1})
    assert made.status_code == 201, made.text
    share_id, token = made.json()["share"]["id"], made.json()["deleteToken"]
    data = requests.get(f"{pair.second.url}/s/{share_id}/1/thumb")  # followed to the store: the thumbnail's bytes
    assert data.status_code == 200 and data.content == jpeg
    paths = ["/raw" if n % 4 == 0 else "/1/thumb" for n in range(40)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(lambda job: fetch(f"{pair.gateways[job[0] % 2].url}/s/{share_id}{job[1]}", source=f"127.0.8.{2 + job[0]}"),
                                enumerate(paths)))
    thumbnails = [status for (status, *_), path in zip(results, paths) if path == "/1/thumb"]
    downloads = [result for result, path in zip(results, paths) if path == "/raw"]
    assert thumbnails == [302] * 30, thumbnails
    assert sorted(status for status, *_ in downloads) == [200] + [410] * 9, [status for status, *_ in downloads]
    assert_whole(downloads, noisy_png(40, 30, seed=11))  # the one download is the whole file
    for each in pair.gateways:  # its one download spent (had a thumbnail counted, no download would have had the file)
        assert requests.get(f"{each.url}/s/{share_id}/raw", allow_redirects=False).status_code == 410
    # Revoked on one gateway with a thumbnail URL already handed out by the other.
    receipt = receipt_with_thumbnail(pair.second, "revoked.png", jpeg, "image/jpeg", seed=12)
    made = requests.post(f"{pair.second.url}/api/shares", json={"files": [receipt]}).json()
    share_id, token = made["share"]["id"], made["deleteToken"]
    handed_out = requests.get(f"{pair.first.url}/s/{share_id}/1/thumb", allow_redirects=False).headers["Location"]
    assert requests.get(handed_out).content == jpeg
    revoked = requests.delete(f"{pair.second.url}/api/shares/{share_id}", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 204, revoked.text
    for each in pair.gateways:
        assert requests.get(f"{each.url}/s/{share_id}/1/thumb", allow_redirects=False).status_code == 410
    assert requests.get(handed_out).status_code == 404
