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
    assert result.stdout.count("\nok ") + result.stdout.startswith("ok ") >= 80, result.stdout


def test_python_opens_the_owner_wraps():
    """The vectors' owner wraps open with Python's `cryptography` as files of their own (the generator's bytes are
    read back, not recomputed), and a wrap to one key never opens with another."""
    import json

    import dge1_owner
    from cryptography.exceptions import InvalidTag

    vectors = json.loads((ROOT / "Tests" / "Fixtures" / "e2e-vectors.json").read_text())
    for vector in vectors["ownerWraps"]:
        owner = dge1_owner.private_from_pkcs8(bytes.fromhex(vector["ownerPrivate"]))
        assert dge1_owner.unwrap(vector["wrap"], owner).hex() == vector["key"]
        assert dge1_owner.fingerprint(vector["alg"], bytes.fromhex(vector["ownerPublic"])) == vector["fingerprint"]
        with pytest.raises(InvalidTag):
            dge1_owner.unwrap(vector["wrap"], dge1_owner.generate(vector["alg"]))
    sealed = vectors["ownerKeyWrap"]
    assert dge1_owner.pkcs8(dge1_owner.open_private_key(sealed["wrap"], sealed["passphrase"])).hex() == sealed["ownerPrivate"]
