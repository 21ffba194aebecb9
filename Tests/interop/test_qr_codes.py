"""QR codes of share links (issue 16): the gateway draws /s/{id}/qr.svg with libqrencode; headless Chromium renders
it, and zbar reads the screenshot back."""
import subprocess

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from gateway_fixtures import Gateway, put_plan


@pytest.fixture()
def gateway(dropgate_bin, tmp_path):
    running = Gateway(dropgate_bin, tmp_path)
    yield running
    running.stop()


def share(gateway, data=b"qr me", **declared):
    plan = gateway.create(filename="qr.txt", size=len(data), contentType="text/plain", **declared).json()
    assert put_plan(plan, data) == 200
    return gateway.complete(plan["id"]).json()


def decode(url, tmp_path):
    """Renders the SVG in headless Chromium, as a screen shows it to a phone, and reads the screenshot with zbarimg."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=600,600"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(url)
        png = tmp_path / "qr.png"
        driver.get_screenshot_as_file(str(png))
    finally:
        driver.quit()
    result = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_qr_code_decodes_to_the_share_link(gateway, tmp_path):
    done = share(gateway)
    link = done["share"]["url"]
    answer = requests.get(f"{gateway.url}/s/{done['share']['id']}/qr.svg")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "image/svg+xml"
    assert "<title id=\"t\">QR code of " + link in answer.text and "<script" not in answer.text
    assert decode(f"{gateway.url}/s/{done['share']['id']}/qr.svg", tmp_path) == link


def test_no_qr_code_for_an_unknown_or_revoked_share(gateway):
    assert requests.get(f"{gateway.url}/s/{'A' * 22}/qr.svg").status_code == 404
    done = share(gateway)
    requests.delete(f"{gateway.url}/api/shares/{done['share']['id']}", headers={"Authorization": f"Bearer {done['deleteToken']}"})
    gone = requests.get(f"{gateway.url}/s/{done['share']['id']}/qr.svg")
    assert gone.status_code == 410 and gone.json()["error"]["code"] == "share_unavailable"
