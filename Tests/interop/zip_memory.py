"""Big collections for the ZIP the page builds: made from sparse files (so a test of gigabytes costs the store's disk
and no memory here), and downloaded in Chromium while the page's JavaScript heap and every renderer's resident memory
are sampled. Used by test_zip64_large.py and scripts/bench_zip.py."""
import os
import threading
import time

import requests
from selenium.webdriver.common.by import By

from conftest import finished_downloads
from test_browser_sharing import chromium

NO_PICKER = "delete window.showSaveFilePicker;"
ONE_BY_ONE = NO_PICKER + " Object.defineProperty(Navigator.prototype, 'serviceWorker', {get: () => undefined});"


def sparse_collection(gateway, folder, sizes):
    """A collection of sparse files of `sizes` bytes (every fifth in a folder), PUT from disk; its link and total."""
    receipts, folders = [], []
    for number, size in enumerate(sizes, start=1):
        path = folder / f"part-{number:02}.bin"
        with open(path, "wb") as out:
            out.truncate(size)  # a hole: zeros that take no disk here
            out.seek(max(0, size - 9))
            out.write(b"the end.\n"[: min(9, size)])
        plan = gateway.create(filename=path.name, size=size, contentType="application/octet-stream").json()
        headers = {key: value for key, value in plan["headers"].items() if key != "Content-Length"}
        with open(path, "rb") as body:
            assert requests.put(plan["url"], data=body, headers=headers).status_code == 200
        path.unlink()
        done = gateway.complete(plan["id"], {"collection": True})
        assert done.status_code == 200, done.text
        receipts.append(done.json()["receipt"])
        folders.append("every fifth" if number % 5 == 0 else "")
    made = requests.post(f"{gateway.url}/api/shares", json={"files": receipts, "folders": folders})
    assert made.status_code == 201, made.text
    return made.json()["share"]["url"], sum(sizes)


class MemorySampler:
    """Samples the page's JS heap (CDP Runtime.getHeapUsage) and the summed resident memory of this Chromium's renderers
    (the page's and its service worker's; /proc status) every `every` seconds, in a thread, until stopped."""

    def __init__(self, browser, every=0.5):
        self.browser, self.every = browser, every
        self.heap, self.rss = [], []
        self.running = False

    @staticmethod
    def processes():
        """Every process: pid -> (parent pid, command line)."""
        found = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
                with open(f"/proc/{name}/cmdline", "rb") as cmdline:
                    found[int(name)] = (parent, cmdline.read().replace(b"\0", b" ").decode(errors="replace"))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
        return found

    def renderers(self):
        """This browser's renderer processes: descendants of the process started with its profile folder."""
        folder = self.browser.capabilities["chrome"]["userDataDir"]
        table = self.processes()
        roots = {pid for pid, (_, line) in table.items() if f"--user-data-dir={folder}" in line and "--type=" not in line}
        family, grew = set(roots), True
        while grew:
            grew = False
            for pid, (parent, _) in table.items():
                if parent in family and pid not in family:
                    family.add(pid)
                    grew = True
        return [pid for pid in family if "--type=renderer" in table[pid][1]]

    def renderer_rss(self):
        total = 0
        for pid in self.renderers():
            try:
                with open(f"/proc/{pid}/status") as status:
                    total += next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
            except (FileNotFoundError, StopIteration):
                pass
        return total

    def sample(self):
        self.heap.append(self.browser.execute_cdp_cmd("Runtime.getHeapUsage", {})["usedSize"])
        self.rss.append(self.renderer_rss())

    def start(self):
        self.sample()
        self.baseline = (self.heap[-1], self.rss[-1])
        self.running = True
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while self.running:
            time.sleep(self.every)
            try:
                self.sample()
            except Exception:  # the driver is busy for a moment; the next sample counts
                pass

    def stop(self):
        self.running = False
        self.thread.join()
        return {"heap_baseline": self.baseline[0], "heap_peak": max(self.heap), "rss_baseline": self.baseline[1], "rss_peak": max(self.rss),
                "samples": len(self.heap), "renderers": len(self.renderers()), "rss_series": list(self.rss)}


def zip_in_chromium(link, downloads, script=NO_PICKER, expect_files=1, timeout=1800):
    """Opens `link` in Chromium, clicks "Download all", and waits for `expect_files` finished downloads; the seconds it
    took, the memory samples, and the files saved."""
    browser = chromium(downloads)
    try:
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": script})
        browser.get(link)
        sampler = MemorySampler(browser)
        sampler.start()
        started = time.monotonic()
        browser.find_element(By.ID, "download-all").click()
        deadline = started + timeout
        while time.monotonic() < deadline:
            names = finished_downloads(downloads)
            status = browser.find_element(By.ID, "download-all-status").text
            if "not finished" in status:
                raise AssertionError(status)
            if len(names) >= expect_files and not any(name.endswith(".crdownload") for name in os.listdir(downloads)):
                break
            time.sleep(0.25)
        elapsed = time.monotonic() - started
        memory = sampler.stop()
        return elapsed, memory, sorted(downloads / name for name in os.listdir(downloads))
    finally:
        browser.quit()
