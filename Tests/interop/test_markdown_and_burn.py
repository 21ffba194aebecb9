"""Markdown drawn from a safe subset, and text burned after reading (issue 32), in Chromium on the embedded store and
on Ceph RGW 16: hostile Markdown renders inert with no CSP violation, a huge line is bounded, and a burn-after-reading
share survives every fetch of its page (bots included) until one read; axe in light and dark at both widths."""
import re
import subprocess

import pytest
import requests

from conftest import ROOT
from test_accessibility import audit
from test_accounts import chromium
from test_browser_sharing import gateway  # noqa: F401  (embedded and RGW, for browsers)
from test_cli_upload import cli_env
from test_previews import share

HOSTILE = """# Release notes

Some *emphasis*, **strong words**, `code <b>` and a [good link](https://example.org/docs "t").

### Skipped a level

<script>window.pwned = 1</script>
<img src=x onerror="window.pwned = 2">
[click me](javascript:window.pwned=3) [data](data:text/html,<script>alert(1)</script>) [vb](vbscript:x)
![tracker](https://tracker.example.net/pixel.gif) <https://example.org/auto>
[spans lines](https://example.org/
x)

- one item with snake_case_words
- two <iframe src="https://example.org"></iframe>

1. first
2. second

> quoted <svg onload="window.pwned=4">

```html
<script>window.pwned = 5</script>
```

---
\u202egnp.exe and `unclosed
"""

# Counts CSP violations from the first byte of every page (the page's own scripts cannot remove the listener).
COUNT_VIOLATIONS = ("window.__violations = []; document.addEventListener('securitypolicyviolation', "
                    "(e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI), true);")


def browser_for(scheme):
    browser = chromium(scheme)
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT_VIOLATIONS})
    return browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_hostile_markdown_renders_inert_and_bounded(gateway, scheme):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    link = share(gateway, "notes.md", HOSTILE.encode(), "text/markdown")
    browser = browser_for(scheme)
    try:
        browser.get(link)
        shown = WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".markdown"))[0]
        assert [h.tag_name for h in shown.find_elements(By.CSS_SELECTOR, "h2, h3, h4, h5, h6")] == ["h2", "h3"]  # no level skipped
        assert shown.find_element(By.TAG_NAME, "em").text == "emphasis" and shown.find_element(By.TAG_NAME, "strong").text == "strong words"
        assert "<script>window.pwned = 1</script>" in shown.text and '<img src=x onerror="window.pwned = 2">' in shown.text
        assert "snake_case_words" in shown.text
        assert not shown.find_elements(By.CSS_SELECTOR, "script, img, iframe, svg, object, embed, style")
        hrefs = [a.get_attribute("href") for a in shown.find_elements(By.TAG_NAME, "a")]
        assert hrefs == ["https://example.org/docs", "https://tracker.example.net/pixel.gif", "https://example.org/auto"], hrefs
        assert shown.find_element(By.LINK_TEXT, "Image: tracker").get_attribute("rel") == "nofollow noopener noreferrer"
        attributes = browser.execute_script(
            "return [...arguments[0].querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name))", shown)
        assert set(attributes) <= {"href", "rel", "tabindex", "role", "aria-label", "class", "start"}, set(attributes)
        assert shown.find_element(By.CSS_SELECTOR, "pre code").text == "<script>window.pwned = 5</script>"
        assert [li.text for li in shown.find_elements(By.CSS_SELECTOR, "ol li")] == ["first", "second"]
        assert browser.execute_script("return window.pwned") is None
        assert browser.execute_script("return window.__violations") == []
        for width in (1200, 375):
            audit(browser, width)
        # A 5 MB line of delimiters is read up to 1 MB, drawn in bounded time, and said to be cut.
        huge = share(gateway, "huge.md", b"*[`_" * (5 * 1024 * 1024 // 4), "text/markdown")
        browser.get(huge)
        hint = WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".markdown-preview .hint"))[0]
        assert hint.text == "This is the start of the file: download to see all."
        assert browser.execute_script("return window.__violations") == []
    finally:
        browser.quit()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_burned_after_reading_survives_bots_until_one_read(gateway, scheme):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    browser = browser_for(scheme)
    try:
        browser.get(f"http://localhost:{gateway.port}/")
        wait = WebDriverWait(browser, 30)
        browser.find_element(By.ID, "burn").click()
        browser.find_element(By.CSS_SELECTOR, "#text-share summary").click()
        browser.find_element(By.ID, "markdown").click()
        for width in (1200, 375):
            audit(browser, width)
        browser.set_window_size(1200, 900)
        browser.find_element(By.ID, "text").send_keys("# The code\n\nIt is **4711**.")
        browser.find_element(By.CSS_SELECTOR, "#text-form button[type=submit]").click()
        link = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".upload.done .share-link"))[0].get_attribute("href")
        direct = link.replace("http://localhost", "http://127.0.0.1")
        for agent in ["Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "Mozilla/5.0 (compatible; Discordbot/2.0)",
                      "Twitterbot/1.0", "curl/8.5"]:
            page = requests.get(direct, headers={"User-Agent": agent})
            assert page.status_code == 200 and "Show the text" in page.text and "4711" not in page.text
        assert requests.head(f"{direct}/raw").status_code == 200  # asking costs nothing
        browser.get(link)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "button.reveal"))
        for width in (1200, 375):
            audit(browser, width)
        browser.set_window_size(1200, 900)
        browser.find_element(By.CSS_SELECTOR, "button.reveal").click()
        shown = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".burn-reveal .markdown"))[0]
        assert shown.find_element(By.TAG_NAME, "h2").text == "The code" and shown.find_element(By.TAG_NAME, "strong").text == "4711"
        for width in (1200, 375):
            audit(browser, width)
        shots = ROOT / ".build" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(shots / f"text-share-{scheme}-375.png"))
        browser.set_window_size(1200, 900)
        origin = f"http://localhost:{gateway.port}"
        browser.execute_cdp_cmd("Browser.grantPermissions", {"origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
        browser.find_element(By.XPATH, "//button[text()='Copy the text']").click()
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".burn-reveal .copy-status").text == "Copied.")
        copied = browser.execute_async_script("navigator.clipboard.readText().then(arguments[0], (e) => arguments[0]('failed: ' + e))")
        assert copied == "# The code\n\nIt is **4711**."
        assert requests.get(direct).status_code == 410 and requests.get(f"{direct}/raw").status_code == 410
        browser.get(link)
        assert "no longer available" in browser.find_element(By.TAG_NAME, "h1").text
        assert browser.execute_script("return window.__violations") == []
    finally:
        browser.quit()


def test_the_cli_shares_markdown_burned_after_reading(dropgate_bin, gateway, tmp_path):  # noqa: F811
    env = cli_env(tmp_path)
    done = subprocess.run([dropgate_bin, "upload", "--text", "--markdown", "--burn", "--gateway", gateway.url], input=b"# Once\n",
                          capture_output=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    link, name = re.match(r"(\S+)  (.+)", done.stdout.decode().strip()).groups()
    assert name == "text.md"
    direct = link.replace("http://localhost", "http://127.0.0.1")
    assert "Burns" in requests.get(direct).text
    assert requests.get(f"{direct}/raw").text == "# Once\n"
    assert requests.get(f"{direct}/raw").status_code == 410
    for bad, words in [(["--markdown"], "--markdown goes with --text"), (["--text", "--burn", "--max-downloads", "2"], "--burn allows one")]:
        refused = subprocess.run([dropgate_bin, "upload", *bad, "--gateway", gateway.url], input=b"x", capture_output=True, env=env, timeout=60)
        assert refused.returncode != 0 and words in refused.stderr.decode(), refused.stderr
