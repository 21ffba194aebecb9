"""make bench-zip: a 2 GB collection of 20 files downloaded in headless Chromium as one ZIP built in the page, against
the same files downloaded one by one, in the same run, on a release gateway over its embedded store: MB/s of each,
and the page's JS heap and the renderers' resident memory while the ZIP is made. The archive is then checked with
Python's zipfile (every CRC) and unzip -t."""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "interop"))

from gateway_fixtures import Gateway  # noqa: E402
from zip_memory import ONE_BY_ONE, sparse_collection, zip_in_chromium  # noqa: E402

MB = 1000 ** 2


def main():
    binary = sys.argv[1]
    work = pathlib.Path(tempfile.mkdtemp(prefix="dropgate-bench-zip-"))
    gateway = Gateway(binary, work, uploads={"maxBytes": 2 * 1000 * MB, "multipartThreshold": 2 * 1000 * MB})
    try:
        link, total = sparse_collection(gateway, work, [100 * MB] * 20)
        link = link.replace("127.0.0.1", "localhost")
        rows = []
        for round_number in (1, 2):
            for kind, script, count in [("ZIP built in the page", None, 1), ("one by one", ONE_BY_ONE, 20)]:
                folder = work / f"{kind[:3]}-{round_number}"
                folder.mkdir()
                kwargs = {"script": script} if script else {}
                elapsed, memory, saved = zip_in_chromium(link, folder, expect_files=count, **kwargs)
                rows.append((kind, round_number, total / elapsed / MB, memory))
                if count == 1:
                    with zipfile.ZipFile(saved[0]) as archive:
                        assert archive.testzip() is None and len(archive.infolist()) == 20
                    subprocess.run(["unzip", "-tq", str(saved[0])], check=True, capture_output=True)
                shutil.rmtree(folder)
        print(f"{total / MB:.0f} MB in 20 files, headless Chromium, release gateway, embedded store; rounds interleaved")
        print(f"{'':24} {'round':>5} {'MB/s':>7} {'JS heap MB (start -> peak)':>28} {'renderers RSS MB (start -> peak)':>34}")
        for kind, round_number, rate, memory in rows:
            heap = f"{memory['heap_baseline'] / MB:.1f} -> {memory['heap_peak'] / MB:.1f}"
            rss = f"{memory['rss_baseline'] / MB:.0f} -> {memory['rss_peak'] / MB:.0f}"
            print(f"{kind:24} {round_number:>5} {rate:>7.0f} {heap:>28} {rss:>34}")
    finally:
        gateway.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
