"""Languages (issue 33): every page of a share and the upload page in English, German and French, negotiated from
`Accept-Language` and overridden by the switcher in every page's header (kept in the `dg_lang` cookie); dates and sizes
written as each language writes them; each page in each language passes axe-core (its `lang` attributes included) at
desktop and phone widths in light and dark; every English text of the pages is in both catalogs."""
import re

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import page_texts
from conftest import ROOT
from gateway_fixtures import Gateway, put_plan, receipt
from test_accessibility import audit
from test_browser_sharing import browser, chromium  # noqa: F401

WORDS = {"en": ("Share a file", "Total size", "This share has a password"),
         "de": ("Datei teilen", "Gesamtgröße", "Diese Freigabe hat ein Passwort"),
         "fr": ("Partager un fichier", "Taille totale", "Ce partage a un mot de passe")}


def shares(gateway):
    """A one-file share, a collection with a folder, and a share with a password; their ids."""
    def upload(name, data, kind="text/plain"):
        plan = gateway.create(filename=name, size=len(data), contentType=kind).json()
        assert put_plan(plan, data) == 200
        return requests.post(f"{gateway.url}/api/uploads/{plan['id']}/complete", json={"collection": True}).json()["receipt"]
    one = requests.post(f"{gateway.url}/api/shares", json={"files": [upload("notes.txt", b"hello\n")]}).json()["share"]["id"]
    many = requests.post(f"{gateway.url}/api/shares", json={
        "files": [upload("a.txt", b"a" * 1500), upload("b.txt", b"b" * 2500)], "folders": ["", "trip"], "maxDownloads": 3}).json()["share"]["id"]
    locked = requests.post(f"{gateway.url}/api/shares", json={"files": [upload("c.txt", b"c")], "password": "p4ssw0rd!"}).json()["share"]["id"]
    asked = requests.post(f"{gateway.url}/api/requests", json={"title": "Tax papers", "maxFiles": 3})
    assert asked.status_code == 201, asked.text
    gateway.request_id = asked.json()["request"]["id"]
    return one, many, locked


@pytest.fixture(scope="module")
def gateway(dropgate_bin, tmp_path_factory):
    running = Gateway(dropgate_bin, tmp_path_factory.mktemp("languages"))
    running.ids = shares(running)
    yield running
    running.stop()


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_accept_language_chooses_the_pages_language_and_the_answer_varies_with_it(gateway, language):  # noqa: F811
    header = {"en": "en-GB,en;q=0.9", "de": "de-CH, de;q=0.9, en;q=0.1", "fr": "es, fr-FR;q=0.8, de;q=0.1"}[language]
    one, many, locked = gateway.ids
    home = requests.get(gateway.url + "/", headers={"Accept-Language": header})
    assert f'<html lang="{language}">' in home.text and WORDS[language][0] in home.text and "{{" not in home.text
    assert home.headers["Vary"] == "Accept-Language, Cookie"
    collection = requests.get(f"{gateway.url}/s/{many}", headers={"Accept-Language": header}).text
    assert WORDS[language][1] in collection and "{{" not in collection
    size = {"en": "4.0 KB", "de": "4,0 KB", "fr": "4,0 Ko"}[language]
    assert f'<span class="fact-value">{size}</span>' in collection, collection
    month = {"en": " Dec ", "de": ". Dez. ", "fr": " déc. "}[language]
    assert re.search(r'<span class="fact-value">\d+' + re.escape(month) + r"\d{4}, \d\d:\d\d UTC</span>", collection), collection
    assert WORDS[language][2] in requests.get(f"{gateway.url}/s/{locked}", headers={"Accept-Language": header}).text
    # The cookie the switcher sets wins over the header.
    chosen = "fr" if language != "fr" else "de"
    overridden = requests.get(gateway.url + "/", headers={"Accept-Language": header, "Cookie": f"dg_lang={chosen}"})
    assert f'<html lang="{chosen}">' in overridden.text


def test_the_apis_messages_for_people_speak_the_language_and_codes_stay(gateway):  # noqa: F811
    """Programs match the code; the message, which the pages show, is in the request's language where the catalog has it."""
    for header, words in [(None, "Sign in first (GET /auth/login); a delete token revokes a share without signing in."),
                          ("de", "Melden Sie sich zuerst an (GET /auth/login); ein Lösch-Token widerruft eine Freigabe ohne Anmeldung."),
                          ("fr-FR,fr;q=0.9", "Connectez-vous d’abord (GET /auth/login) ; un jeton de suppression révoque un partage sans connexion.")]:
        answer = requests.delete(f"{gateway.url}/api/shares/AAAAAAAAAAAAAAAAAAAAAA", headers={"Accept-Language": header} if header else {})
        assert answer.status_code == 401 and answer.json()["error"] == {"code": "unauthorized", "message": words}, answer.text
    refused = requests.post(f"{gateway.url}/api/uploads", json={"filename": "", "size": 1, "contentType": "text/plain"},
                            headers={"Cookie": "dg_lang=fr"})
    assert refused.status_code == 400 and refused.json()["error"]["message"] == "filename ne doit pas être vide.", refused.text


def test_messages_built_from_values_speak_the_language_with_the_values_as_sent(gateway):  # noqa: F811
    """A message that names a value is a template in the catalogs: the value goes in as it was, in every language, and
    a sentence inside a sentence (a folder's refusal naming the file) is written in the same language."""
    missing = "Zz9" + "a" * 19
    for language, words in [("en", f"There is no file request {missing}."), ("de", f"Es gibt keine Dateianfrage {missing}."),
                            ("fr", f"Il n’y a pas de demande de fichiers {missing}.")]:
        answer = requests.get(f"{gateway.url}/api/requests/{missing}", headers={"Accept-Language": language})
        assert answer.status_code == 404 and answer.json()["error"] == {"code": "unknown_request", "message": words}, answer.text
    huge = requests.post(f"{gateway.url}/api/uploads", json={"filename": "a.bin", "size": 1 << 50, "contentType": "text/plain"},
                         headers={"Cookie": "dg_lang=de"})
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "upload_too_large", huge.text
    assert re.fullmatch(r"Die Datei hat 1125899906842624 Bytes; dieses Gateway nimmt höchstens \d+ an\.", huge.json()["error"]["message"])
    sent = receipt(gateway, "{id}.txt", b"x\n")
    for language, words in [("de", "trip/../x/{id}.txt: ein Ordner darf nicht „..“ heißen."),
                            ("fr", "trip/../x/{id}.txt : un dossier ne peut pas s’appeler « .. ».")]:
        refused = requests.post(f"{gateway.url}/api/shares", json={"files": [sent], "folders": ["trip/../x"]},
                                headers={"Accept-Language": language})
        assert refused.status_code == 400 and refused.json()["error"] == {"code": "invalid_folder", "message": words}, refused.text


def test_after_a_wrong_password_the_switcher_returns_to_the_share(gateway):  # noqa: F811
    """The page a wrong password gets answers a POST; its switcher goes back to the share's page, which a GET opens."""
    one, many, locked = gateway.ids
    wrong = requests.post(f"{gateway.url}/s/{locked}/unlock", data={"password": "wrong"}, headers={"Cookie": "dg_lang=de"})
    assert wrong.status_code in (401, 403) and '<html lang="de">' in wrong.text, wrong.status_code
    assert f'name="back" value="/s/{locked}"' in wrong.text, wrong.text
    back = requests.get(f"{gateway.url}/language", params={"to": "fr", "back": f"/s/{locked}"}, allow_redirects=False)
    assert back.status_code == 303 and back.headers["Location"] == f"/s/{locked}"
    assert requests.get(gateway.url + back.headers["Location"], cookies={"dg_lang": "fr"}).status_code == 200


def test_counts_are_grouped_as_each_language_groups_them(gateway):  # noqa: F811
    """A count in a page is written as the page's language writes numbers: 12,345, 12.345, 12 345 (a narrow no-break
    space, as browsers' Intl.NumberFormat writes it, so the page's scripts agree)."""
    receipts = [receipt(gateway, name, b"x\n") for name in ("a.txt", "b.txt")]
    share = requests.post(f"{gateway.url}/api/shares", json={"files": receipts, "maxDownloads": 12345}).json()["share"]["id"]
    for language, words in [("en", "12,345 of each file"), ("de", "12.345 je Datei"), ("fr", "12\u202f345 de chaque fichier")]:
        page = requests.get(f"{gateway.url}/s/{share}", headers={"Accept-Language": language}).text
        assert words in page, (language, re.findall(r'<span class="fact-value">[^<]*</span>', page))


def test_a_files_reason_names_it_in_the_pages_language(gateway):  # noqa: F811
    """The page of a collection's file past its limit says which file, in the page's language, its name escaped."""
    receipts = [receipt(gateway, name, b"x\n") for name in ("<b>{x}</b>.txt", "b.txt")]
    share = requests.post(f"{gateway.url}/api/shares", json={"files": receipts, "maxDownloads": 1}).json()["share"]["id"]
    assert requests.get(f"{gateway.url}/s/{share}/1/raw", allow_redirects=False).status_code in (200, 302)
    for language, words in [("de", "&lt;b&gt;&#123;x&#125;&lt;/b&gt;.txt hat sein Download-Limit erreicht."),
                            ("fr", "&lt;b&gt;&#123;x&#125;&lt;/b&gt;.txt a atteint sa limite de téléchargements.")]:
        gone = requests.get(f"{gateway.url}/s/{share}/1/raw", headers={"Cookie": f"dg_lang={language}"}, allow_redirects=False)
        assert gone.status_code == 410 and f"<p>{words}</p>" in gone.text, gone.text


def test_the_switcher_changes_the_language_keeps_it_and_returns_only_here(browser, gateway):  # noqa: F811
    one, many, locked = gateway.ids
    browser.get(f"{gateway.url}/s/{many}")
    assert browser.execute_script("return document.documentElement.lang") == "en"
    browser.find_element(By.CSS_SELECTOR, "#language-choice option[value='de']").click()
    browser.find_element(By.CSS_SELECTOR, "form.language button").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.execute_script("return document.documentElement.lang") == "de")
    assert browser.current_url == f"{gateway.url}/s/{many}" and "Alle 2 Dateien als ZIP herunterladen" in browser.page_source
    browser.get(gateway.url + "/")
    assert browser.find_element(By.ID, "page-title").text == "Datei teilen"
    assert requests.get(f"{gateway.url}/language?to=fr&back=//evil.example/", allow_redirects=False).headers["Location"] == "/"
    assert requests.get(f"{gateway.url}/language?to=xx").status_code == 400


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_each_page_in_each_language_passes_axe(browser, gateway, language):  # noqa: F811
    one, many, locked = gateway.ids
    browser.get(f"{gateway.url}/language?to={language}&back=/")
    shots = ROOT / ".build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for path in ["/", f"/s/{one}", f"/s/{many}", f"/s/{locked}", "/s/no-such-share-here-at-all", "/me", f"/r/{gateway.request_id}"]:
        browser.get(gateway.url + path)
        assert browser.execute_script("return document.documentElement.lang") == language, path
        # Each language's own name in the switcher says which language it is in.
        assert browser.execute_script("return [...document.querySelectorAll('#language-choice option')].map((o) => o.lang)") == ["en", "de", "fr"]
        for scheme in ("light", "dark"):
            browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
            for width in (1280, 375):
                audit(browser, width)
                if (language, path, width) in (("de", f"/s/{many}", 375), ("fr", "/", 375), ("de", f"/s/{many}", 1280), ("fr", "/", 1280)):
                    kind = "share" if path != "/" else "upload"
                    browser.save_screenshot(str(shots / f"{kind}-{language}-{width}-{scheme}.png"))


def test_the_pages_scripts_speak_the_pages_language(browser, gateway, tmp_path):  # noqa: F811
    """The words the upload page's script writes as it works come from the catalog the gateway put in the page."""
    (tmp_path / "hallo.txt").write_bytes(b"hallo\n")
    browser.get(f"{gateway.url}/language?to=de&back=/")
    browser.find_element(By.ID, "files").send_keys(str(tmp_path / "hallo.txt"))
    link = WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".upload.done .share-link"))[0]
    row = link.find_element(By.XPATH, "ancestor::li")
    assert row.find_element(By.CSS_SELECTOR, ".status button").text == "Link kopieren"
    assert row.find_element(By.CSS_SELECTOR, "img.qr").get_attribute("alt") == "QR-Code des Links zu hallo.txt"
    assert row.find_element(By.TAG_NAME, "progress").get_attribute("aria-label") == "Upload-Fortschritt von hallo.txt"
    # A count the script writes is grouped as the gateway groups one in a page.
    counted = browser.execute_async_script(
        "const done = arguments[0]; import('/static/i18n.js').then(m => done(m.t('{count} files', { count: 12345 })));")
    assert counted == "12.345 Dateien", counted
    # The page names its catalog, which the browser fetched once, by its version, and may keep a year.
    address = browser.execute_script("return document.querySelector('meta[name=\"dg-catalog\"]').content")
    assert re.fullmatch(r"/static/i18n-de\.json\?v=[0-9a-f]{16}", address), address
    fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('i18n-'))")
    assert fetched == [gateway.url + address], fetched


def test_scripts_and_catalogs_are_validated_and_a_versioned_one_is_kept(gateway):  # noqa: F811
    """A script, style or catalog carries its version as its ETag (a 304 with no bytes when the browser has it); asked
    for by its version it may be kept a year; a page, written per language, carries neither; pages carry no catalog."""
    script = requests.get(gateway.url + "/static/app.js")
    tag = script.headers["ETag"]
    assert script.status_code == 200 and re.fullmatch(r'"[0-9a-f]{16}"', tag) and script.headers["Cache-Control"] == "no-cache"
    again = requests.get(gateway.url + "/static/app.js", headers={"If-None-Match": f'"0000000000000000", {tag}'})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == tag
    assert requests.get(gateway.url + "/static/app.js", headers={"If-None-Match": '"0000000000000000"'}).status_code == 200
    page = requests.get(gateway.url + "/", headers={"Accept-Language": "de"})
    address = re.search(r'<meta name="dg-catalog" content="([^"]+)">', page.text).group(1)
    assert "ETag" not in page.headers and len(page.content) < 20_000, len(page.content)
    catalog = requests.get(gateway.url + address)
    assert catalog.headers["Cache-Control"] == "public, max-age=31536000, immutable" and catalog.json()["Share a file"] == "Datei teilen"
    stale = requests.get(gateway.url + address.split("?v=")[0] + "?v=0000000000000000")
    assert stale.headers["Cache-Control"] == "no-cache"
    assert '<meta name="dg-catalog" content="">' in requests.get(gateway.url + "/", headers={"Accept-Language": "en"}).text


def test_every_english_text_of_the_pages_is_in_each_catalog():
    """Lists every text missing from each catalog (and any a catalog has that no page uses); none may be."""
    texts = set(page_texts.texts())
    assert len(texts) > 100
    missing = page_texts.missing()
    print({language: len(keys) for language, keys in missing.items()}, missing)
    assert page_texts.untranslated() == [], "the pages' scripts write these for people without t()"
    assert missing == {"de": [], "fr": []}
    for language, catalog in page_texts.catalogs().items():
        assert sorted(set(catalog) - texts) == [], language
        for english, written in catalog.items():  # every placeholder survives translation
            assert sorted(re.findall(r"\{\w+\}", english)) == sorted(re.findall(r"\{\w+\}", written)), (language, english, written)
