"""Code previews (issue 33): source and structured text shows with line numbers and highlighting drawn as text nodes,
bounded, in Chromium on the embedded store and on Ceph RGW 16. A hostile source file (markup in comments,
`</script>`, direction overrides, a 5 MB single line) renders inert and bounded, and the pages' Content-Security-
Policy reports (to gateway.cspReportURL, a server in this test) count no violation while a deliberate one is counted."""
import http.server
import json
import threading

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import free_port
from gateway_fixtures import gateway_on, put_plan
from test_accessibility import audit
from test_accounts import chromium

HOSTILE = ('// </script><script>window.pwned = 1</script>\n'
           '/* <img src=x onerror="window.pwned = 2"> */\n'
           'const access = "user";\n'
           'if (access !== "user\u202e \u2066// admin\u2069 \u2066") { grant(); }\n'
           'let n = 0x2A + 3.5; // "quoted" in a comment\n'
           "const t = `template ${n}`;\n")


class Reports:
    """A CSP report endpoint: counts what browsers POST to it."""

    def __init__(self):
        self.received = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.received.append(json.loads(body or b"{}"))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/csp"


@pytest.fixture(params=["embedded", "rgw"])
def reported(request, dropgate_bin, tmp_path):
    reports = Reports()
    running = gateway_on(request, dropgate_bin, tmp_path, for_browsers=True, gateway={"cspReportURL": reports.url})
    yield running, reports
    running.stop()
    reports.server.shutdown()


def share(gateway, name, data, content_type, **terms):
    plan = gateway.create(filename=name, size=len(data), contentType=content_type, **terms).json()
    assert put_plan(plan, data) == 200, plan
    done = gateway.complete(plan["id"])
    assert done.status_code == 201, done.text
    return done.json()["share"]["url"].replace("http://127.0.0.1", "http://localhost")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_hostile_code_renders_inert_and_bounded(reported, scheme):
    gateway, reports = reported
    browser = chromium(scheme)
    try:
        browser.get(share(gateway, "evil.swift", HOSTILE.encode(), "application/octet-stream"))
        code = WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".code .code-lines code"))[0]
        assert "</script><script>window.pwned = 1</script>" in code.text
        assert not code.find_elements(By.CSS_SELECTOR, "script, img, iframe, svg")
        assert browser.execute_script("return window.pwned") is None
        kinds = {span.get_attribute("class") for span in code.find_elements(By.TAG_NAME, "span")}
        assert {"tok-comment", "tok-string", "tok-keyword", "tok-number", "tok-bidi"} <= kinds, kinds
        marks = [span.text for span in code.find_elements(By.CSS_SELECTOR, ".tok-bidi")]
        assert marks == ["⟪U+202E⟫", "⟪U+2066⟫", "⟪U+2069⟫", "⟪U+2066⟫"], marks
        numbers = browser.find_element(By.CSS_SELECTOR, ".code .line-numbers")
        assert numbers.get_attribute("aria-hidden") == "true" and numbers.text.split() == [str(n) for n in range(1, 7)]
        for width in (1200, 375):
            audit(browser, width)
        # A 5 MB file of one line: 1 MB read, its line cut at 5,000 characters, and said so.
        browser.get(share(gateway, "huge.log", b"x" * (5 * 1024 * 1024), "text/plain"))
        hint = WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".code-preview .hint"))[0]
        assert hint.text == "This is the start of the file: download to see all."
        assert len(browser.find_element(By.CSS_SELECTOR, ".code-lines").text) == 5001
        # JSON, with its line numbers.
        browser.get(share(gateway, "data.json", b'{\n  "a": [1, 2.5, true, null],\n  "b": "</script>"\n}\n', "application/json"))
        lines = WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".code .line-numbers"))[0]
        assert lines.text.split() == ["1", "2", "3", "4"]
        assert reports.received == [], reports.received
        # The endpoint is live: a deliberate violation (an image from elsewhere) is reported.
        browser.execute_script("const i = document.createElement('img'); i.src = 'http://192.0.2.1/x.png'; i.alt = ''; document.body.append(i);")
        WebDriverWait(browser, 30).until(lambda _: reports.received)
        assert "img-src" in json.dumps(reports.received)
    finally:
        browser.quit()


def test_a_limited_share_shows_no_code_preview(reported):
    gateway, _ = reported
    page = requests.get(share(gateway, "main.swift", b"let x = 1\n", "application/octet-stream", maxDownloads=1).replace("localhost", "127.0.0.1"))
    assert "code-preview" not in page.text and "shows no preview" in page.text


def wav(seconds=1.0, rate=8000):
    """A sine tone as a WAV file, made here."""
    import io
    import math
    import struct
    import wave
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * n / rate))) for n in range(int(seconds * rate))))
    return out.getvalue()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_audio_shows_a_waveform_and_plays_from_one_read(reported, scheme):
    gateway, reports = reported
    link = share(gateway, "tone.wav", wav(), "audio/wav")
    browser = chromium(scheme)
    try:
        browser.get(link)
        canvas = WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".audio-preview canvas.waveform"))[0]
        assert canvas.get_attribute("role") == "img" and canvas.get_attribute("aria-label") == "Waveform of tone.wav, 0:01 long"
        assert browser.find_element(By.CSS_SELECTOR, ".audio-preview audio").get_attribute("src").startswith("blob:")
        drawn = browser.execute_script(
            "const c = arguments[0]; const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n;", canvas)
        assert drawn > 600 * 20  # a tone's peaks fill a band across the canvas
        for width in (1200, 375):
            audit(browser, width)
        browser.find_element(By.TAG_NAME, "h1").click()  # a person's gesture, which the browser's autoplay rule asks for
        browser.execute_script("arguments[0].muted = true; return arguments[0].play()", browser.find_element(By.TAG_NAME, "audio"))
        WebDriverWait(browser, 10).until(lambda d: d.execute_script("return arguments[0].currentTime > 0.2", d.find_element(By.TAG_NAME, "audio")))
        direct = link.replace("localhost", "127.0.0.1")
        assert requests.get(direct.replace("/s/", "/api/shares/")).json()["downloads"] == 1  # the page's one read; playing reads nothing more
        assert reports.received == []
    finally:
        browser.quit()
