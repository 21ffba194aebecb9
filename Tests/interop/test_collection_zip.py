"""Collections with folders, downloaded as one ZIP (issue 32), in headless Chromium and the CLI, on the embedded store
and on Ceph RGW 16: the page builds the archive from each file's counted link and streams it through its service
worker or to a file (the File System Access API, here over the origin's private file system, since a headless browser
shows no picker); Python's zipfile checks every CRC and byte and unzip tests it; the CLI writes the same entries and
the same tree. Encrypted collections are decrypted record by record into the archive, and a manifest that names a
hostile folder gets nothing written anywhere."""
import base64
import io
import subprocess
import time
import zipfile

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import dge1
from conftest import ROOT
from gateway_fixtures import receipt
from test_accessibility import audit
from test_browser import png
from test_browser_sharing import chromium, gateway  # noqa: F401  (embedded and RGW, for browsers)
from test_cli_upload import cli_env

FILES = [("read me.txt", b"hello\n" * 100, "text/plain", ""), ("photo.png", png(30, 20), "image/png", "docs"),
         ("Zoë notes.md", b"# Notes\n\n*done*\n", "text/markdown", "docs/2026"), ("data.csv", b"a,b\n1,2\n", "text/csv", ""),
         ("big.bin", bytes(range(256)) * 4096, "application/octet-stream", "docs")]
EXPECTED = {(f"{folder}/{name}" if folder else name): data for name, data, _, folder in FILES}
NO_PICKER = "delete Window.prototype.showSaveFilePicker; delete window.showSaveFilePicker;"
# The File System Access API's writable, over the origin's private file system: everything the page does but the picker.
PRIVATE_PICKER = ("window.showSaveFilePicker = async (options) => (await navigator.storage.getDirectory())"
                  ".getFileHandle(options.suggestedName, { create: true });")


def make_collection(gateway, **terms):  # noqa: F811
    receipts = [receipt(gateway, name, data, kind) for name, data, kind, _ in FILES]
    answer = requests.post(f"{gateway.url}/api/shares", json={"files": receipts, "folders": [f[3] for f in FILES], **terms})
    assert answer.status_code == 201, answer.text
    return answer.json()


def browser_with(tmp_path, script, name="downloads"):
    folder = tmp_path / name
    folder.mkdir()
    driver = chromium(folder)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": script})
    return driver


def zip_saved(folder, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [path for path in folder.iterdir() if path.suffix == ".zip"]
        if done:
            return done
        time.sleep(0.2)
    raise AssertionError(f"no ZIP in {sorted(p.name for p in folder.iterdir())}")


def check_archive(data, expected=EXPECTED):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {info.filename: archive.read(info) for info in archive.infolist()} == expected


def unzip_test(path):
    tested = subprocess.run(["unzip", "-tq", str(path)], capture_output=True, text=True, timeout=120)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def click_and_wait(browser, words="Saved 5 files"):
    """Clicks "Download all" and waits for the page to say how it ended (the status says "Preparing" first)."""
    browser.find_element(By.ID, "download-all").click()
    status = lambda: browser.find_element(By.ID, "download-all-status").text  # noqa: E731
    WebDriverWait(browser, 120).until(lambda _: not status().startswith("Saved") or "Preparing" in status())
    WebDriverWait(browser, 120).until(lambda _: words in status() or "not finished" in status())
    return status()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_collection_with_folders_is_one_zip_from_the_page_and_the_cli(dropgate_bin, gateway, tmp_path, scheme):  # noqa: F811
    made = make_collection(gateway)
    link = made["share"]["url"]
    browser = browser_with(tmp_path, NO_PICKER)
    try:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        browser.get(link)
        folders = browser.find_elements(By.CSS_SELECTOR, "li.folder > details")
        assert [f.find_element(By.CSS_SELECTOR, "summary").text for f in folders][0].startswith("docs 3 files")
        assert all(f.get_attribute("open") is None for f in folders)  # folded
        for width in (1200, 375):
            audit(browser, width)
        browser.set_window_size(1200, 900)
        browser.find_element(By.CSS_SELECTOR, "li.folder > details > summary").click()
        shots = ROOT / ".build" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(shots / f"collection-tree-{scheme}.png"))
        said = click_and_wait(browser)
        assert said.startswith("Saved 5 files"), said
        [saved] = zip_saved(browser.downloads)
        check_archive(saved.read_bytes())
        unzip_test(saved)
    finally:
        browser.quit()
    # The CLI writes the same entries, and the same tree.
    env = cli_env(tmp_path)
    out = tmp_path / "cli.zip"
    done = subprocess.run([dropgate_bin, "download", link, "--zip", str(out)], capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    check_archive(out.read_bytes())
    unzip_test(out)
    assert not (tmp_path / "cli.zip.partial").exists()
    again = subprocess.run([dropgate_bin, "download", link, "--zip", str(out)], capture_output=True, env=env, timeout=120)
    assert again.returncode != 0 and "exists already" in again.stderr.decode()
    tree = tmp_path / "tree"
    done = subprocess.run([dropgate_bin, "download", link, "-o", str(tree)], capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert {str(p.relative_to(tree)): p.read_bytes() for p in tree.rglob("*") if p.is_file()} == EXPECTED


def test_the_zip_goes_to_a_file_through_the_file_system_access_api(gateway, tmp_path):  # noqa: F811
    link = make_collection(gateway)["share"]["url"]
    browser = browser_with(tmp_path, PRIVATE_PICKER)
    try:
        browser.get(link)
        said = click_and_wait(browser)
        assert said.startswith("Saved 5 files"), said
        name = browser.find_element(By.ID, "download-all").get_attribute("data-name")
        data = browser.execute_async_script("""
            const [name, done] = arguments;
            navigator.storage.getDirectory().then((root) => root.getFileHandle(name)).then((handle) => handle.getFile())
              .then((file) => { const reader = new FileReader(); reader.onload = () => done(reader.result); reader.readAsDataURL(file); })
              .catch((error) => done("failed: " + error));""", name)
        assert data.startswith("data:"), data
        check_archive(base64.b64decode(data.split(",", 1)[1]))
        assert list(browser.downloads.iterdir()) == []  # nothing went through the downloads folder
    finally:
        browser.quit()


def test_a_zip_counts_one_download_of_each_file_and_never_passes_a_limit(gateway, tmp_path):  # noqa: F811
    made = make_collection(gateway, maxDownloads=1)
    browser = browser_with(tmp_path, NO_PICKER)
    try:
        browser.get(made["share"]["url"])
        assert click_and_wait(browser).startswith("Saved 5 files")
        [first] = zip_saved(browser.downloads)
        check_archive(first.read_bytes())
        said = click_and_wait(browser, words="Saved")
        assert "can no longer be downloaded" in said, said
        time.sleep(2)
        finished = [p for p in browser.downloads.iterdir() if p.suffix == ".zip"]
        assert finished == [first], finished  # the second archive was abandoned, never finished under a name
    finally:
        browser.quit()
    direct = made["share"]["url"].replace("localhost", "127.0.0.1")
    assert requests.get(direct).status_code == 410  # every file's one download was spent


def test_an_encrypted_collection_is_decrypted_into_the_zip(dropgate_bin, gateway, tmp_path):  # noqa: F811
    link = dge1.encrypted_share(gateway, [(name, data, kind, folder) for name, data, kind, folder in FILES if folder or True])
    browser = browser_with(tmp_path, NO_PICKER)
    try:
        browser.get(link)
        WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.ID, "download-all"))
        for width in (1200, 375):
            audit(browser, width)
        browser.set_window_size(1200, 900)
        assert click_and_wait(browser).startswith("Saved 5 files")
        [saved] = zip_saved(browser.downloads)
        check_archive(saved.read_bytes())
        unzip_test(saved)
    finally:
        browser.quit()
    out = tmp_path / "sealed.zip"
    done = subprocess.run([dropgate_bin, "download", link, "--zip", str(out)], capture_output=True, env=cli_env(tmp_path), timeout=120)
    assert done.returncode == 0, done.stderr
    check_archive(out.read_bytes())


@pytest.mark.parametrize("folder", ["../outside", "/etc", "a/\u0000b", "/".join(["deep"] * 300)])
def test_a_manifest_naming_a_hostile_folder_gets_nothing_written(dropgate_bin, gateway, tmp_path, folder):  # noqa: F811
    link = dge1.encrypted_share(gateway, [("passwd", b"root:x:0:0", "text/plain", folder), ("ok.txt", b"fine", "text/plain")])
    browser = browser_with(tmp_path, NO_PICKER)
    try:
        browser.get(link)
        status = WebDriverWait(browser, 30).until(lambda d: "cannot be used" in d.find_element(By.ID, "e2e-status").text and
                                                   d.find_element(By.ID, "e2e-status").text)
        assert "passwd" in status and not browser.find_elements(By.ID, "download-all")
    finally:
        browser.quit()
    target = tmp_path / "target"
    for extra in (["-o", str(target)], ["--zip", str(tmp_path / "x.zip")]):
        done = subprocess.run([dropgate_bin, "download", link, *extra], capture_output=True, env=cli_env(tmp_path), timeout=120)
        assert done.returncode != 0 and "cannot be used" in done.stderr.decode() and "passwd" in done.stderr.decode(), done.stderr
    assert not target.exists() and not (tmp_path / "x.zip").exists() and not (tmp_path / "outside").exists()
