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


# What makes a literal a message for people (a `Wording`) where it has no value in it.
WORDING_BEFORE = re.compile(
    r"(?:Refusal\(\s*(?:description|message): (?:\w+ \? (?:\"[^\"]*\" : )?)?|SignInFailure\(status: \d+, message: |\.refused\(|"
    r"closedRefusal\(|refuse\()$")


def swift_literals(source):
    """Each one-line string literal of Swift `source`: (its text before the literal, its template), the template with
    `{name}` for each `\\(value, as: "name")` and None when the literal has an interpolation without a name."""
    i = 0
    while True:
        start = source.find('"', i)
        if start < 0:
            return
        if source.startswith('"""', start) or source[start - 1:start] == "#":
            i = source.find('"', start + 3) + 1 if source.startswith('"""', start) else start + 1
            i = (source.find('"""', start + 3) + 3) if source.startswith('"""', start) else i
            if i <= start:
                return
            continue
        template, j, named = "", start + 1, True
        while j < len(source) and source[j] not in '"\n':
            if source.startswith("\\(", j):
                depth, k = 1, j + 2
                while depth and k < len(source):
                    if source[k] == '"':  # a literal inside the interpolation
                        k += 1
                        while k < len(source) and source[k] != '"':
                            k += 2 if source[k] == "\\" else 1
                    elif source[k] == "(":
                        depth += 1
                    elif source[k] == ")":
                        depth -= 1
                    k += 1
                label = re.search(r', as: "(\w+)"$', source[j + 2:k - 1])
                template += "{%s}" % label.group(1) if label else ""
                named = named and label is not None
                j = k
            elif source[j] == "\\":
                template += {"n": "\n", "t": "\t"}.get(source[j + 1], source[j + 1])
                j += 2
            else:
                template += source[j]
                j += 1
        yield source[max(0, start - 200):start], template if named else None, ', as: "' in source[start:j]
        i = j + 1


def texts():
    found = set()
    for path in [*(ROOT / "Sources/Gateway").rglob("*.swift"), ROOT / "Sources/DropgateAPI/FolderPath.swift"]:
        source = path.read_text()
        # Messages with values (`Wording`s), and those written as one where no value is in them.
        for before, template, labeled in swift_literals(source):
            said = WORDING_BEFORE.search(before) or (path.name == "RequestService.swift" and before.endswith("return "))
            if template and (labeled or said):
                found.add(template)
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


# Words a page's script writes for people without its catalog: a literal of two words or more given to the page
# (textContent, an attribute people read, a status line) rather than through t().
UNTRANSLATED = re.compile(r"""(?:\.(?:textContent|placeholder|alt|title)\s*=\s*|\bsay\(|\btext\("\w+",\s*)([`"'])((?:(?!\1).)*)\1""")
# Literals that are not words for people (an example address).
NOT_WORDS = {"ada@example.org, grace@example.org"}


def outside_interpolations(literal):
    """A template literal's own text: each `${…}` (which may hold braces and t() calls) left out."""
    out, depth, i = "", 0, 0
    while i < len(literal):
        if literal.startswith("${", i):
            depth, i = depth + 1, i + 2
            continue
        if depth and literal[i] == "{":
            depth += 1
        elif depth and literal[i] == "}":
            depth -= 1
        elif not depth:
            out += literal[i]
        i += 1
    return out


def untranslated():
    """Each script's literals written to the page for people without t(): (file, literal)."""
    found = []
    for path in sorted((ROOT / "web").glob("*.js")):
        for match in UNTRANSLATED.finditer(path.read_text()):
            literal = match.group(2)
            if literal not in NOT_WORDS and re.search(r"[A-Za-z]{3,}", outside_interpolations(literal).replace("Dropgate", "")):
                found.append((path.name, literal))
    return found


def catalogs():
    return {language: json.loads((ROOT / "web" / f"i18n-{language}.json").read_text()) for language in ("de", "fr")}


def missing():
    keys = set(texts())
    return {language: sorted(keys - set(catalog)) for language, catalog in catalogs().items()}


if __name__ == "__main__":
    print(json.dumps(missing() if sys.argv[1:] == ["--missing"] else texts(), indent=1, ensure_ascii=False))
