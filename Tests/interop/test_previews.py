"""Previews drawn by the page (issue 33): a CSV file as a table of text, on the embedded store and on Ceph RGW 16. A
hostile file renders inert (its cells are text, never HTML) and a huge one is bounded; axe in light and dark."""
import pytest
import requests

from gateway_fixtures import put_plan
from test_accessibility import audit
from test_accounts import chromium
from test_browser_sharing import gateway  # noqa: F401  (embedded and RGW, for browsers)

HOSTILE = ('name,note\n"Ada, Countess","<script>document.title=\'pwned\'</script>"\n'
           'Zoë,"two\nlines"\nRTL,\u202egnp.exe\n<img src=x onerror=alert(1)>,"say ""hi"""\n')


def share(gateway, name, data, content_type="text/csv"):  # noqa: F811
    plan = gateway.create(filename=name, size=len(data), contentType=content_type).json()
    assert put_plan(plan, data) == 200, plan
    return gateway.complete(plan["id"]).json()["share"]["url"].replace("http://127.0.0.1", "http://localhost")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_csv_file_shows_as_a_table_of_text_and_a_hostile_one_stays_inert(gateway, scheme):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    link = share(gateway, "people.csv", HOSTILE.encode())
    browser = chromium(scheme)
    try:
        browser.get(link.replace(f"127.0.0.1:{gateway.port}", f"localhost:{gateway.port}"))
        table = WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "table.csv"))[0]
        cells = [[c.text for c in row.find_elements(By.CSS_SELECTOR, "th, td")] for row in table.find_elements(By.TAG_NAME, "tr")]
        assert cells[0] == ["name", "note"] and cells[1] == ["Ada, Countess", "<script>document.title='pwned'</script>"]
        assert cells[2] == ["Zoë", "two\nlines"] and cells[4] == ["<img src=x onerror=alert(1)>", 'say "hi"']
        assert "pwned" not in browser.title and not browser.find_elements(By.CSS_SELECTOR, "table.csv img, table.csv script")
        assert "people.csv: 5 rows." in table.text
        for width in (1200, 375):
            audit(browser, width)
        # A 5 MB file of one line is bounded: the page reads at most 1 MB of it and says so.
        huge = share(gateway, "one-line.csv", b"x" * (5 * 1024 * 1024))
        browser.get(huge.replace(f"127.0.0.1:{gateway.port}", f"localhost:{gateway.port}"))
        caption = WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "table.csv caption"))[0].text
        assert caption == "The first 1 rows of one-line.csv: download to see all."
        cell = browser.find_element(By.CSS_SELECTOR, "table.csv th").text
        assert len(cell) == 501 and cell.endswith("…")
    finally:
        browser.quit()
    # A limited share shows no preview at all: the page's one fetch would spend a download.
    limited = gateway.create(filename="limited.csv", size=3, contentType="text/csv", maxDownloads=1).json()
    assert put_plan(limited, b"a,b") == 200
    page = requests.get(gateway.complete(limited["id"]).json()["share"]["url"].replace("localhost", "127.0.0.1")).text
    assert "csv-preview" not in page and "shows no preview" in page
