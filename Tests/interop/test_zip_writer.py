"""The ZIP the share page builds (web/zip.js, run here in Node as the page runs it) is one Python's zipfile and
unzip accept: every CRC right, every byte the same, UTF-8 names and folders, ZIP64 records where sizes, offsets or
the count of entries pass the classic limits (forced low here, so no test writes 4 GiB), and the size it announces
before the first byte is the size it writes. Hostile folder paths never reach an archive."""
import json
import shutil
import subprocess
import zipfile

import pytest

from conftest import ROOT

SCRIPT = ROOT / "Tests" / "interop" / "zip_writer.mjs"


def expected_bytes(size, seed):
    out = bytearray()
    state = seed or 1
    while len(out) < size:
        length = min(size - len(out), 1 + state % 70000)
        for _ in range(length):
            state = (state * 1103515245 + 12345) & 0xFFFFFFFF
            out.append(state >> 24)
    return bytes(out)


def write(tmp_path, spec):
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    out = tmp_path / "out.zip"
    done = subprocess.run([shutil.which("node"), str(SCRIPT), str(out), str(tmp_path / "spec.json")], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    return out, json.loads(done.stdout)


def check(out, said, entries, contents=True):
    assert said["size"] == said["expected"] == out.stat().st_size
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None  # every CRC
        infos = archive.infolist()
        assert [info.filename for info in infos] == [entry["path"] for entry in entries]
        assert all(info.compress_type == zipfile.ZIP_STORED and info.flag_bits & 0x800 for info in infos)
        if contents:
            for entry in entries:
                assert archive.read(entry["path"]) == expected_bytes(entry["size"], entry["seed"]), entry["path"]
    tested = subprocess.run(["unzip", "-tq", str(out)], capture_output=True, text=True, timeout=600)
    assert tested.returncode == 0 and "No errors detected" in tested.stdout, tested.stdout + tested.stderr


ENTRIES = [{"path": "readme.txt", "size": 1000, "seed": 1}, {"path": "photos/2026/Zoë – été.jpg", "size": 300_000, "seed": 2},
           {"path": "photos/empty.bin", "size": 0, "seed": 3}, {"path": "日本語/ファイル.txt", "size": 70_001, "seed": 4}]


def test_a_small_archive_is_classic_and_exact(tmp_path):
    out, said = write(tmp_path, {"entries": ENTRIES})
    check(out, said, ENTRIES)
    assert b"PK\x06\x06" not in out.read_bytes()  # no ZIP64 record where none is needed


@pytest.mark.parametrize("zip64_at", [0, 5_000, 300_500])
def test_zip64_records_where_sizes_or_offsets_pass_the_limit(tmp_path, zip64_at):
    out, said = write(tmp_path, {"zip64At": zip64_at, "entries": ENTRIES})
    check(out, said, ENTRIES)
    data = out.read_bytes()
    assert b"PK\x06\x06" in data and b"PK\x06\x07" in data  # the ZIP64 end record and its locator


def test_more_than_65535_entries(tmp_path):
    entries = [{"path": f"many/{n:05}.txt", "size": 1, "seed": n + 1} for n in range(65_537)]
    out, said = write(tmp_path, {"entries": entries})
    check(out, said, entries, contents=False)
    with zipfile.ZipFile(out) as archive:
        assert len(archive.infolist()) == 65_537


@pytest.mark.parametrize("folder, words", [("../x", "may not be named '..'"), ("/etc", "absolute path"), ("a/\u0000b", "control"),
                                           ("/".join(["d"] * 300), "32 levels"), ("a//b", "empty"), ("a\\b", "backslash"),
                                           ("x/\u202egnp", "direction")])
def test_hostile_folders_are_refused_naming_the_file(tmp_path, folder, words):
    (tmp_path / "spec.json").write_text(json.dumps({"paths": [{"folder": folder, "name": "passwd"}]}))
    done = subprocess.run([shutil.which("node"), str(SCRIPT), "-", str(tmp_path / "spec.json")], capture_output=True, text=True, timeout=60)
    said = json.loads(done.stdout)
    assert "error" in said and words in said["error"], said
    assert said["error"].startswith(f"{folder}/passwd: "), said


def test_names_are_made_safe_and_unique(tmp_path):
    paths = [{"folder": "", "name": "a.txt"}, {"folder": "", "name": "A.txt"}, {"folder": "", "name": "../../etc/passwd"},
             {"folder": "docs", "name": ".hidden"}, {"folder": "", "name": "\u0007"}]
    (tmp_path / "spec.json").write_text(json.dumps({"paths": paths}))
    done = subprocess.run([shutil.which("node"), str(SCRIPT), "-", str(tmp_path / "spec.json")], capture_output=True, text=True, timeout=60)
    assert json.loads(done.stdout)["paths"] == ["a.txt", "A (2).txt", "passwd", "docs/hidden", "file-5"]
