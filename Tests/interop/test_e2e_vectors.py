"""The DGE1 test vectors through the page's own JavaScript (web/e2e.js) in Node's WebCrypto (issue 17)."""
import shutil
import subprocess

import pytest

from conftest import ROOT


def test_the_javascript_passes_the_vectors():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run web/e2e.js against the vectors (Debian package nodejs)")
    result = subprocess.run([node, str(ROOT / "Tests" / "interop" / "e2e_vectors.mjs")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.count("\nok ") + result.stdout.startswith("ok ") >= 60, result.stdout
