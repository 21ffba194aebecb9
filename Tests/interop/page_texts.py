"""The English texts of the pages (issue 33): every `t("…")` of the gateway's Swift and of the pages' scripts, every
page title and message literal, every error message of the API that is one literal, the reasons a share is unavailable, and every `{{=…}}` marker of the static pages. Each is a key of the
German and French catalogs (`web/i18n-de.json`, `web/i18n-fr.json`), gettext's way: the English is the key.

    python3 page_texts.py            # lists the texts
    python3 page_texts.py --missing  # lists each catalog's missing keys
"""
import html
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
STRING = r'"((?:[^"\\]|\\.)*)"'


def texts():
    found = set()
    for path in (ROOT / "Sources/Gateway").rglob("*.swift"):
        source = path.read_text()
        literals = re.findall(r"\bt\(\s*" + STRING, source)
        if "ViewPage.unavailable(" in source or "passwordForm(" in source or "unavailable(status:" in source or "/Accounts/" in str(path):
            literals += re.findall(r"\b(?:title|message): " + STRING, source)
        for title, message in re.findall(r"Self\.page\([^,()]+,\s*" + STRING + r"\s*,\s*" + STRING, source):
            literals += [title, message]
        literals += re.findall(r"Self\.page\([^,()]+,\s*" + STRING + r"\s*,\s*failure\.message", source)
        # The API's error messages, said to people in their language (a message built from values stays English).
        literals += [m[0] for m in re.findall(r"GatewayError(?:\.badRequest)?\(\s*(?:\d+\s*,\s*)?\.\w+\s*,\s*" + STRING + r"\s*(\)|,)", source)]
        if path.name == "ShareRecord.swift":
            literals += re.findall(r"return " + STRING, source)
        found.update(literal.replace('\\"', '"') for literal in literals if "\\(" not in literal)
    for path in (ROOT / "web").glob("*.js"):  # the pages' scripts: t("…") of web/i18n.js
        source = path.read_text()
        literals = re.findall(r"(?<![\w.])t\(" + STRING, source)
        # Errors the crypto code throws in English (Node loads it too), said in the page's language where they are shown.
        literals += re.findall(r"new (?:OwnerKeyError|SealedError)\((?:\"\w+\", )?" + STRING, source)
        found.update(literal.replace('\\"', '"') for literal in literals)
    for path in (ROOT / "web").glob("*.html"):
        found.update(html.unescape(text) for text in re.findall(r"\{\{=([^|}]*)", path.read_text()))
    return sorted(found)


def catalogs():
    return {language: json.loads((ROOT / "web" / f"i18n-{language}.json").read_text()) for language in ("de", "fr")}


def missing():
    keys = set(texts())
    return {language: sorted(keys - set(catalog)) for language, catalog in catalogs().items()}


if __name__ == "__main__":
    print(json.dumps(missing() if sys.argv[1:] == ["--missing"] else texts(), indent=1, ensure_ascii=False))
