"""A 5 GB collection downloads as one ZIP64 archive built in Chromium (issue 32), and the renderers' memory stays
flat while it does: the page holds no file and no archive, only the chunk passing through. The files are sparse here
(the store holds 5 GB; this machine's memory none of it). Python's zipfile checks every CRC, unzip tests it."""
import shutil
import subprocess
import zipfile

import pytest

from gateway_fixtures import Gateway
from zip_memory import sparse_collection, zip_in_chromium

pytestmark = pytest.mark.alone  # measures time, CPU or another client's latency: run with the machine to itself

GB = 1000 ** 3


@pytest.fixture()
def gateway(dropgate_bin, tmp_path):
    running = Gateway(dropgate_bin, tmp_path, uploads={"maxBytes": 2 * GB, "multipartThreshold": 2 * GB})
    yield running
    running.stop()
    shutil.rmtree(tmp_path, ignore_errors=True)  # 10 GB of store and archive: not kept for pytest's last three runs


def test_a_5_gb_collection_is_a_valid_zip64_with_the_renderers_memory_flat(gateway, tmp_path):
    link, total = sparse_collection(gateway, tmp_path, [GB] * 5)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    elapsed, memory, [saved] = zip_in_chromium(link.replace("127.0.0.1", "localhost"), downloads)
    assert saved.stat().st_size > total > 4 * 1024 ** 3
    growth_rss = memory["rss_peak"] - memory["rss_baseline"]
    growth_heap = memory["heap_peak"] - memory["heap_baseline"]
    print(f"\n5 GB ZIP in {elapsed:.1f} s ({total / elapsed / 1e6:.0f} MB/s); renderers' RSS {memory['rss_baseline'] / 1e6:.0f} MB "
          f"-> peak {memory['rss_peak'] / 1e6:.0f} MB (+{growth_rss / 1e6:.0f} MB); JS heap {memory['heap_baseline'] / 1e6:.1f} MB -> "
          f"peak {memory['heap_peak'] / 1e6:.1f} MB over {memory['samples']} samples")
    assert memory["samples"] >= 4 and memory["renderers"] >= 1 and memory["rss_baseline"] > 10e6
    # Flat: the renderers' memory swings as chunks come and go (array buffers live outside the JS heap until collected),
    # but never grows with the archive: a tenth of it at most, and no higher at the end than near the start.
    series = memory["rss_series"]
    third = max(1, len(series) // 3)
    assert growth_rss < total / 10, memory
    assert sum(series[-third:]) / third <= sum(series[1:third + 1]) / third + 150e6, series
    assert growth_heap < 50e6, memory
    with zipfile.ZipFile(saved) as archive:
        infos = archive.infolist()
        names = [f"part-0{n}.bin" for n in (1, 2, 3, 4)] + ["every fifth/part-05.bin"]
        assert sorted(info.filename for info in infos) == sorted(names)
        assert all(info.file_size == GB for info in infos)
        assert archive.start_dir > 0xFFFFFFFF  # the central directory starts past 4 GiB: ZIP64's end records say where
        with archive.open("every fifth/part-05.bin") as last:
            last.seek(GB - 9)
            assert last.read() == b"the end.\n"
    tested = subprocess.run(["unzip", "-tq", str(saved)], capture_output=True, text=True, timeout=900)
    assert tested.returncode == 0, tested.stdout + tested.stderr
