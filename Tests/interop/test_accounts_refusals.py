"""The ID tokens a gateway must refuse, each made by the real provider (django-oauth-toolkit) and handed to the gateway
by a man in the middle on the provider's address (issue 29): tampered, for another client, for another sign-in's
nonce, expired, signed by a key the provider no longer lists; and a key rotation that sign-in survives."""
import base64
import hashlib
import secrets
import time
import urllib.parse

import pytest
import requests

from conftest import free_port
from gateway_fixtures import Gateway
from oidc_provider import OpenIDProvider
from oidc_proxy import ProviderProxy
from test_accounts import PASSWORD

SECRET = "dropgate-client-secret"
OTHER = ("other-app", "other-app-secret", "http://127.0.0.1:9/cb")


class Setup:
    """A provider behind a proxy, and gateways registered with it."""

    def __init__(self, folder):
        self.folder = folder
        port, proxy_port = free_port(), free_port()
        self.proxy = ProviderProxy(proxy_port, port)
        (folder / "idp").mkdir()
        self.provider = OpenIDProvider(folder / "idp", port, public_port=proxy_port)
        self.provider.add_user("ada", PASSWORD, "ada@example.org", groups=["staff"])
        self.provider.add_client(*OTHER)
        self.provider.start()
        self.gateways = []

    def gateway(self, dropgate_bin, name):
        (self.folder / name).mkdir()
        running = Gateway(dropgate_bin, self.folder / name, auth={"uploads": "login", "oidc": {
            "issuer": self.provider.issuer, "clientId": name, "clientSecret": SECRET, "allowLoopbackHTTP": True}})
        running.base = running.settings["gateway"]["publicURL"]
        running.client = (name, SECRET, f"{running.base}/auth/callback")
        self.provider.add_client(*running.client)
        self.gateways.append(running)
        return running

    def stop(self):
        for running in self.gateways:
            running.stop()
        self.provider.stop()
        self.proxy.stop()


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    running = Setup(tmp_path_factory.mktemp("refusals"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def gateway(setup, dropgate_bin):
    return setup.gateway(dropgate_bin, "dropgate")


@pytest.fixture(autouse=True)
def honest_proxy(setup):
    setup.proxy.reset()
    yield
    setup.proxy.reset()


def begin(visitor, gateway):
    """Starts a sign-in at the gateway and signs in at the provider; the callback URL (not yet followed) and the nonce."""
    start = visitor.get(f"{gateway.base}/auth/login", allow_redirects=False)
    nonce = urllib.parse.parse_qs(urllib.parse.urlsplit(start.headers["Location"]).query)["nonce"][0]
    page = visitor.get(start.headers["Location"], allow_redirects=False)
    if page.status_code == 302 and "/login/" in page.headers["Location"]:
        login = visitor.get(urllib.parse.urljoin(start.headers["Location"], page.headers["Location"]))
        token = login.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        posted = visitor.post(login.url, data={"csrfmiddlewaretoken": token, "username": "ada", "password": PASSWORD},
                              headers={"Referer": login.url}, allow_redirects=False)
        page = visitor.get(urllib.parse.urljoin(login.url, posted.headers["Location"]), allow_redirects=False)
    assert page.status_code == 302 and "/auth/callback?" in page.headers["Location"], page.text[-300:]
    return page.headers["Location"], nonce


def own_token(visitor, setup, client, nonce):
    """An ID token the provider mints for `client` (id, secret, redirect URI) with `nonce`, by a flow run here."""
    client_id, client_secret, redirect = client
    verifier = secrets.token_urlsafe(32)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect, "scope": "openid email profile",
             "state": "s", "nonce": nonce, "code_challenge": challenge, "code_challenge_method": "S256"}
    answer = visitor.get(f"{setup.provider.issuer}/authorize/?{urllib.parse.urlencode(query)}", allow_redirects=False)
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(answer.headers["Location"]).query)["code"][0]
    token = requests.post(f"{setup.provider.issuer}/token/", auth=(client_id, client_secret), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect, "code_verifier": verifier})
    return token.json()["id_token"]


def refused(visitor, callback, gateway, reason):
    """The callback is refused with a page that says so, and the gateway's log names the check that failed."""
    before = gateway.log.read_text()
    answer = visitor.get(callback, allow_redirects=False)
    assert answer.status_code == 401 and "did not check out" in answer.text, answer.text[-400:]
    assert "dg_session" not in answer.headers.get("Set-Cookie", "")
    logged = gateway.log.read_text()[len(before):]
    assert f"sign-in refused: {reason}" in logged, logged


def test_a_tampered_id_token_is_refused(setup, gateway):
    visitor = requests.Session()
    callback, _ = begin(visitor, gateway)

    def flip(answer):
        head, body, signature = answer["id_token"].split(".")
        return dict(answer, id_token=".".join([head, body, ("B" if signature[5] == "A" else "A").join([signature[:5], signature[6:]])]))
    setup.proxy.token_answer = flip
    refused(visitor, callback, gateway, "badSignature")


def test_an_id_token_for_another_client_is_refused(setup, gateway):
    visitor = requests.Session()
    callback, nonce = begin(visitor, gateway)
    theirs = own_token(visitor, setup, OTHER, nonce)  # the same user and nonce, minted for another application
    setup.proxy.token_answer = lambda answer: dict(answer, id_token=theirs)
    refused(visitor, callback, gateway, "badClaims: The ID token is not for this client")


def test_an_id_token_with_another_nonce_is_refused(setup, gateway):
    visitor = requests.Session()
    setup.proxy.authorize_query = lambda query: dict(query, nonce="a-nonce-of-another-sign-in")
    callback, _ = begin(visitor, gateway)
    refused(visitor, callback, gateway, "badClaims: The ID token's nonce")


def test_an_expired_id_token_is_refused(setup, gateway):
    visitor = requests.Session()
    setup.provider.restart(id_token_seconds=-300)  # expired five minutes before it is made: past any skew
    try:
        callback, _ = begin(visitor, gateway)
        refused(visitor, callback, gateway, "badClaims: The ID token has expired")
    finally:
        setup.provider.restart(id_token_seconds=300)
    callback, _ = begin(visitor, gateway)
    assert visitor.get(callback, allow_redirects=False).status_code == 303


def test_a_key_the_provider_no_longer_lists_is_refused_and_its_new_key_works(setup, dropgate_bin):
    fresh = setup.gateway(dropgate_bin, "dropgate-rotated")
    visitor = requests.Session()
    callback, nonce = begin(visitor, fresh)
    old = own_token(visitor, setup, fresh.client, nonce)  # signed with the key about to be retired
    setup.provider.rotate_key(keep_old_listed=False)
    setup.proxy.token_answer = lambda answer: dict(answer, id_token=old)
    refused(visitor, callback, fresh, "unknownKey")
    setup.proxy.reset()
    callback, _ = begin(visitor, fresh)
    assert visitor.get(callback, allow_redirects=False).status_code == 303


def test_sign_in_survives_a_key_rotation_at_the_provider(setup, dropgate_bin):
    steady = setup.gateway(dropgate_bin, "dropgate-steady")
    visitor = requests.Session()
    callback, _ = begin(visitor, steady)
    assert visitor.get(callback, allow_redirects=False).status_code == 303  # the gateway now holds the provider's keys
    setup.provider.rotate_key(keep_old_listed=True)
    time.sleep(61)  # an unknown key id refetches the keys at most once a minute
    other = requests.Session()
    callback, _ = begin(other, steady)
    assert other.get(callback, allow_redirects=False).status_code == 303
    assert other.get(f"{steady.base}/api/me").json()["signedIn"] is True
