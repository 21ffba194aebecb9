"""Folders (issue 32): a folder dropped on the upload page (a real DataTransfer of a folder, dispatched through
Chromium's DevTools as a drag), picked with the folder picker, or given to `dropgate upload DIR` keeps its tree in the
share; a hostile path (`..`, absolute, NUL, a control character, 300 levels deep) is refused in plain words by the
page, the CLI and the API, and nothing is uploaded. On the embedded store and on Ceph RGW 16."""
import os
import subprocess

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from gateway_fixtures import receipt
from test_accessibility import audit
from test_browser_sharing import browser, chromium, gateway, share_link  # noqa: F401  (embedded and RGW, for browsers)
from test_cli_upload import cli_env


def tree(root):
    (root / "day 1").mkdir(parents=True)
    (root / "day 1" / "sunrise.txt").write_bytes(b"orange")
    (root / "day 1" / "deeper" / "still").mkdir(parents=True)
    (root / "day 1" / "deeper" / "still" / "note.txt").write_bytes(b"deep")
    (root / "top.txt").write_bytes(b"top")
    return {"trip/day 1/sunrise.txt": b"orange", "trip/day 1/deeper/still/note.txt": b"deep", "trip/top.txt": b"top"}


def deep(root, levels):
    path = root
    for _ in range(levels):
        path = path / "d"
    path.mkdir(parents=True)
    (path / "bottom.txt").write_bytes(b"bottom")


def drag_folder(browser, folder):
    """Drops `folder` on the drop zone as a person would: DevTools builds the drag's DataTransfer from the real folder."""
    drop = browser.find_element(By.ID, "drop")
    x, y = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]", drop)
    data = {"items": [], "files": [str(folder)], "dragOperationsMask": 1}
    for kind in ["dragEnter", "dragOver", "drop"]:
        browser.execute_cdp_cmd("Input.dispatchDragEvent", {"type": kind, "x": x, "y": y, "data": data})


def shared_tree(link):
    facts = requests.get(link.replace("localhost", "127.0.0.1").replace("/s/", "/api/shares/")).json()
    return {(f"{f['folder']}/" if f.get("folder") else "") + f["filename"]: requests.get(f["url"].replace("localhost", "127.0.0.1") + "/raw").content
            for f in facts["files"]}


@pytest.mark.parametrize("how", ["drop", "picker"])
def test_a_folder_keeps_its_tree(browser, gateway, tmp_path, how):  # noqa: F811
    expected = tree(tmp_path / "trip")
    browser.get(f"http://localhost:{gateway.port}/")
    if how == "drop":
        drag_folder(browser, tmp_path / "trip")
    else:
        browser.find_element(By.ID, "folder").send_keys(str(tmp_path / "trip"))
    link = share_link(browser, WebDriverWait(browser, 60))
    assert shared_tree(link) == expected
    browser.get(link)
    summaries = [" ".join(s.get_attribute("textContent").split()) for s in browser.find_elements(By.CSS_SELECTOR, "li.folder > details > summary")]
    assert summaries[0].startswith("trip 3 files") and any(s.startswith("day 1 2 files") for s in summaries), summaries


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_hostile_folders_are_refused_on_the_page(gateway, tmp_path, scheme):  # noqa: F811
    deep(tmp_path / "deep", 300)
    odd = tmp_path / "odd" / "bad\x01name"
    odd.mkdir(parents=True)
    (odd / "x.txt").write_bytes(b"x")
    browser = chromium(tmp_path)
    try:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        browser.get(f"http://localhost:{gateway.port}/")
        for folder, words in [(tmp_path / "deep", "folders may be at most 32 levels deep"), (tmp_path / "odd", "x.txt: a folder name holds")]:
            drag_folder(browser, folder)
            said = WebDriverWait(browser, 30).until(lambda d: [e.text for e in d.find_elements(By.CSS_SELECTOR, ".upload.failed")
                                                               if words in e.text])
            assert said[0].startswith("Nothing was uploaded."), said
        assert not browser.find_elements(By.CSS_SELECTOR, ".upload.done, progress")
        for width in (1200, 375):
            audit(browser, width)
    finally:
        browser.quit()


def test_dropgate_upload_dir_keeps_the_tree_and_refuses_hostile_ones(dropgate_bin, gateway, tmp_path):  # noqa: F811
    env = cli_env(tmp_path)
    expected = tree(tmp_path / "trip")
    os.symlink("/etc/passwd", tmp_path / "trip" / "link-to-passwd")
    done = subprocess.run([dropgate_bin, "upload", str(tmp_path / "trip"), "--gateway", gateway.url], capture_output=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "skipped" in done.stderr.decode() and "link-to-passwd" in done.stderr.decode()
    assert shared_tree(done.stdout.decode().split()[0]) == expected
    deep(tmp_path / "deep", 300)
    odd = tmp_path / "odd" / "bad\u202ename"
    odd.mkdir(parents=True)
    (odd / "y.txt").write_bytes(b"y")
    for folder, words in [("deep", "at most 32 levels deep"), ("odd", "y.txt: a folder name holds U+202E")]:
        refused = subprocess.run([dropgate_bin, "upload", str(tmp_path / folder), "--gateway", gateway.url], capture_output=True, env=env,
                                 timeout=120)
        assert refused.returncode != 0 and words in refused.stderr.decode() and "Nothing was uploaded" in refused.stderr.decode(), refused.stderr
        assert len(refused.stderr.decode().strip().splitlines()) == 1


def test_the_api_refuses_hostile_folders_naming_the_file(gateway):  # noqa: F811
    cases = {"../x": "may not be named '..'", "/etc": "absolute path", "a/\u0000b": "U+0", "/".join(["d"] * 300): "32 levels",
             "a//b": "empty", "x" * 300: "255 bytes", "a\\b": "backslash"}
    for folder, words in cases.items():
        answer = requests.post(f"{gateway.url}/api/shares", json={"files": [receipt(gateway, "passwd", b"x")], "folders": [folder]})
        assert answer.status_code == 400, (folder, answer.text)
        error = answer.json()["error"]
        assert error["code"] == "invalid_folder" and words in error["message"] and "passwd" in error["message"], (folder, error)
    counted = requests.post(f"{gateway.url}/api/shares", json={"files": [receipt(gateway, "a.txt", b"a")], "folders": ["", "b"]})
    assert counted.status_code == 400 and "one folder" in counted.json()["error"]["message"]
    fine = requests.post(f"{gateway.url}/api/shares", json={"files": [receipt(gateway, "a.txt", b"a")], "folders": ["Zoë/été 2026"]})
    assert fine.status_code == 201 and fine.json()["files"][0]["folder"] == "Zoë/été 2026"
