"""A real OpenID provider for the tests: django-oauth-toolkit with OIDC on, RS256 keys and PKCE required, run by
Django's own server on loopback. Users sign in on its login form; the clients it knows skip the consent page."""
import os
import pathlib
import subprocess
import sys
import textwrap
import time

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SETTINGS = '''
import os
SECRET_KEY = "idp-test-only-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "oauth2_provider"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.csrf.CsrfViewMiddleware",
              "django.contrib.auth.middleware.AuthenticationMiddleware"]
ROOT_URLCONF = "idp_urls"
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {db!r}}}}}
TEMPLATES = [{{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [{templates!r}], "APP_DIRS": True,
              "OPTIONS": {{"context_processors": ["django.template.context_processors.request"]}}}}]
USE_TZ = True
LOGIN_URL = "/login/"
OAUTH2_PROVIDER = {{
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": {issuer!r},
    "OIDC_RSA_PRIVATE_KEY": open({key!r}).read(),
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [open(p).read() for p in {inactive!r}],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "PKCE_REQUIRED": True,
    "ID_TOKEN_EXPIRE_SECONDS": {id_token_seconds},
    "SCOPES": {{"openid": "OpenID Connect", "email": "Email", "profile": "Profile"}},
    "OAUTH2_VALIDATOR_CLASS": "idp_validator.Validator",
}}
'''

URLS = '''
from django.contrib.auth import views
from django.urls import include, path
urlpatterns = [path("login/", views.LoginView.as_view(template_name="login.html")), path("o/", include("oauth2_provider.urls", namespace="oauth2_provider"))]
'''

VALIDATOR = '''
from oauth2_provider.oauth2_validators import OAuth2Validator
class Validator(OAuth2Validator):
    oidc_claim_scope = None
    def get_additional_claims(self, request):
        user = request.user
        return {"email": user.email, "preferred_username": user.username, "groups": sorted(g.name for g in user.groups.all())}
'''

LOGIN = '''<form method="post">{% csrf_token %}{{ form.as_p }}<input type="submit" value="Sign in"></form>'''


def new_key(path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return path


class OpenIDProvider:
    """django-oauth-toolkit on 127.0.0.1:port, its data in `folder`."""

    def __init__(self, folder, port, id_token_seconds=300, public_port=None):
        """`public_port`: where clients reach it (a proxy in front); its issuer and URLs name that address."""
        self.folder = pathlib.Path(folder)
        self.port = port
        self.issuer = f"http://127.0.0.1:{public_port or port}/o"
        self.id_token_seconds = id_token_seconds
        (self.folder / "templates").mkdir(parents=True, exist_ok=True)
        (self.folder / "templates" / "login.html").write_text(LOGIN)
        (self.folder / "idp_urls.py").write_text(URLS)
        (self.folder / "idp_validator.py").write_text(VALIDATOR)
        self.keys = [new_key(self.folder / "key-1.pem")]
        self.inactive = []
        self.process = None
        self._write_settings()
        self._django("migrate", "--run-syncdb", "-v", "0")

    def _write_settings(self):
        (self.folder / "idp_settings.py").write_text(SETTINGS.format(
            db=str(self.folder / "idp.sqlite3"), templates=str(self.folder / "templates"), issuer=self.issuer, key=str(self.keys[-1]),
            inactive=[str(p) for p in self.inactive], id_token_seconds=self.id_token_seconds))

    def _env(self):
        return dict(os.environ, DJANGO_SETTINGS_MODULE="idp_settings", PYTHONPATH=str(self.folder))

    def _django(self, *args):
        result = subprocess.run([sys.executable, "-m", "django", *args], cwd=self.folder, env=self._env(), capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def script(self, code):
        """Runs Django ORM code inside the provider's settings (users, clients)."""
        prelude = "import django; django.setup()\nfrom django.contrib.auth.models import User, Group\nfrom oauth2_provider.models import Application\n"
        result = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=self.folder, env=self._env(),
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def add_user(self, username, password, email, groups=()):
        self.script(f'''
            user = User.objects.create_user({username!r}, {email!r}, {password!r})
            for name in {list(groups)!r}:
                user.groups.add(Group.objects.get_or_create(name=name)[0])
        ''')

    def add_client(self, client_id, secret, redirect_uri, post_logout_uri=""):
        self.script(f'''
            Application.objects.create(client_id={client_id!r}, client_secret={secret!r}, name={client_id!r},
                client_type="confidential", authorization_grant_type="authorization-code", redirect_uris={redirect_uri!r},
                post_logout_redirect_uris={post_logout_uri!r}, algorithm="RS256", skip_authorization=True, hash_client_secret=False)
        ''')

    def start(self):
        self.process = subprocess.Popen([sys.executable, "-m", "django", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{self.port}"],
                                        cwd=self.folder, env=self._env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/o/.well-known/openid-configuration", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("the OpenID provider did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def restart(self, id_token_seconds):
        """The provider again, its ID tokens now valid for `id_token_seconds` (negative: expired when made)."""
        self.stop()
        self.id_token_seconds = id_token_seconds
        self._write_settings()
        self.start()

    def rotate_key(self, keep_old_listed):
        """A new signing key; the old one stays in the JWKS (inactive) or is gone."""
        self.stop()
        if keep_old_listed:
            self.inactive.append(self.keys[-1])
        self.keys.append(new_key(self.folder / f"key-{len(self.keys) + 1}.pem"))
        self._write_settings()
        self.start()
