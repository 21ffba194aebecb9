"""A share cannot attack its viewer (issue 12), checked in headless Chromium on the embedded store and Ceph RGW:
no stored script runs from any URL the gateway hands out (a PDF's own JavaScript included), and UTF-8 text previews as
it should."""
import base64
import hashlib
import pathlib
import time

import pytest
import requests
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from gateway_fixtures import Gateway, put_plan, rgw_storage
from test_browser import browser, png  # noqa: F401  (the Chromium fixture)

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="document.title=\'pwned\'"><script>document.title=\'pwned\'</script><rect width="9" height="9"/></svg>'
HTML = b"<!doctype html><html><head><title>x</title></head><body><script>document.title='pwned';window.name='pwned'</script></body></html>"
TEXT = "ünïcødé ✓ — 日本語\n"


def pdf_document(open_action=False):
    """A one-page PDF with a line of text, written here (offsets computed, so viewers accept it); with `open_action`,
    its catalog runs JavaScript (app.alert) when a viewer opens it."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\('pwned'\\);) >> >>" if open_action \
        else b"<< /Type /Catalog /Pages 2 0 R >>"
    objects = [catalog, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
               None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    stream = b"BT /F1 24 Tf 30 70 Td (Dropgate PDF) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def share(gateway, name, data, content_type):
    """Declares, PUTs and completes; the completion's answer (a requests.Response)."""
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    plan = gateway.create(filename=name, size=len(data), contentType=content_type, sha256=digest).json()
    assert put_plan(plan, data) == 200
    return gateway.complete(plan["id"])


@pytest.fixture(params=["embedded", "rgw"])
def gateway(request, dropgate_bin, tmp_path):
    storage = None
    if request.param == "rgw":
        storage = rgw_storage(request.getfixturevalue("rgw"))
    running = Gateway(dropgate_bin, tmp_path, storage=storage, uploads={"allowedTypes": ["*/*"]})
    if request.param == "rgw":
        # RGW needs the gateway's origin in the bucket's CORS for the browser (doctor --fix does the same).
        import boto3
        from botocore.config import Config
        s3 = boto3.client("s3", endpoint_url=storage["endpoint"], aws_access_key_id=storage["accessKeyId"],
                          aws_secret_access_key=storage["secretAccessKey"], region_name=storage["region"],
                          config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
        s3.put_bucket_cors(Bucket=storage["bucket"], CORSConfiguration={"CORSRules": [
            {"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "PUT", "POST", "HEAD"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"]}]})
    yield running
    running.stop()


def no_script_ran(browser):
    return browser.execute_script("return document.title") != "pwned" and browser.execute_script("return window.name") != "pwned"


def test_an_svg_with_script_never_runs_from_any_url(browser, gateway):
    done = share(gateway, "drawing.svg", SVG, "image/svg+xml")
    assert done.status_code == 201, done.text
    share_id = done.json()["share"]["id"]
    page_url = f"http://localhost:{gateway.port}/s/{share_id}"
    browser.get(page_url)
    assert no_script_ran(browser) and "No preview" in browser.page_source
    raw = requests.get(page_url + "/raw", allow_redirects=False)
    presigned = raw.headers["Location"]
    served = requests.get(presigned)
    assert served.headers["Content-Disposition"].startswith("attachment")
    if gateway.settings["storage"]["mode"] == "embedded":  # the embedded store adds these; RGW has the pinned disposition only
        assert served.headers["X-Content-Type-Options"] == "nosniff" and served.headers["Content-Security-Policy"] == "sandbox"
    for url in [page_url + "/raw", presigned]:
        browser.get(url)  # served as an attachment: Chromium downloads it instead of rendering it
        assert no_script_ran(browser), url


@pytest.mark.parametrize("declared", ["image/png", "text/plain"])
def test_html_declared_as_something_else_is_refused_before_it_can_be_shared(browser, gateway, declared):
    done = share(gateway, "trap.png" if declared == "image/png" else "trap.txt", HTML, declared)
    assert done.status_code == 422 and done.json()["error"]["code"] == "type_mismatch", done.text
    assert "text/html" in done.json()["error"]["message"] and declared in done.json()["error"]["message"]


def test_markdown_holding_html_is_shared_and_never_runs(browser, gateway):
    """Markdown may hold HTML (READMEs do), so bytes libmagic calls HTML pass as text/markdown: its page draws them as
    text, and every URL serves them as an attachment, so no script of theirs runs anywhere."""
    done = share(gateway, "readme.md", HTML, "text/markdown")
    assert done.status_code == 201, done.text
    page_url = f"http://localhost:{gateway.port}/s/{done.json()['share']['id']}"
    browser.get(page_url)
    shown = WebDriverWait(browser, 20).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".markdown"))[0]
    assert "<script>document.title='pwned'" in shown.text and no_script_ran(browser)
    presigned = requests.get(page_url + "/raw", allow_redirects=False).headers["Location"]
    assert requests.get(presigned).headers["Content-Disposition"].startswith("attachment")
    for url in [page_url + "/raw", presigned]:
        browser.get(url)
        assert no_script_ran(browser), url
    # Only HTML: SVG or JavaScript declared as Markdown is still refused.
    refused = share(gateway, "icon.md", SVG, "text/markdown")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "type_mismatch", refused.text


def test_a_pdfs_own_script_never_runs(browser, gateway):
    """Issue 27, item 6: a PDF whose /OpenAction runs app.alert is not previewed on the page, and its link serves it as
    an attachment (with a sandbox CSP from the embedded store), so Chromium's viewer never opens it and no dialog shows."""
    done = share(gateway, "report.pdf", pdf_document(open_action=True), "application/pdf")
    assert done.status_code == 201, done.text
    share_url = done.json()["share"]["url"]
    browser.get(share_url)
    WebDriverWait(browser, 20).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".no-preview"))
    assert "PDFs are not previewed here" in browser.find_element(By.CSS_SELECTOR, ".no-preview").text
    assert not browser.find_elements(By.CSS_SELECTOR, "iframe, embed, object")
    location = requests.get(share_url + "/raw", allow_redirects=False).headers["Location"]
    served = requests.get(location)
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert served.headers["Content-Type"] == "application/pdf"
    browser.get(share_url + "/raw")
    time.sleep(1)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    assert no_script_ran(browser)


def test_utf8_text_previews_with_its_exact_characters(browser, gateway):
    done = share(gateway, "unicode.txt", TEXT.encode(), "text/plain")
    assert done.status_code == 201, done.text
    browser.get(done.json()["share"]["url"])
    frame = WebDriverWait(browser, 20).until(lambda driver: driver.find_element(By.ID, "preview"))
    browser.switch_to.frame(frame)
    text = WebDriverWait(browser, 20).until(lambda driver: driver.find_element(By.TAG_NAME, "body").text)
    assert text == TEXT.strip()
