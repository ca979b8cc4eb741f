"""A production-shaped run: the migrate, web, worker and beat commands of docker-compose.yml run as local
processes (migrate as the database's owner, the others as the app's role; gunicorn with
config/gunicorn.py, DEBUG off, HTTPS settings on, secrets as *_FILE) against PostgreSQL and Redis on
loopback, and one caseworker's journey over real HTTP: set a password from the invitation, sign in
with the second factor, register a client, open a case, record an event, confirm the deadline it
proposes, survive PostgreSQL dropping every connection, and see the reminder the worker delivers in the
app and by e-mail. Then: the app's processes were connected as the app's role only, which cannot change
the audit trail.

Run from the repository root: `.venv/bin/python .ci/prod_journey.py` (`.ci/run` calls it after the
tests). Exits non-zero when a step fails. Uses its own database (`cw_prod_journey`, dropped and
recreated each run), Redis database 11 and a free port in 18000-18099; stops every process it started
on the way out, also on Ctrl-C.
"""

import base64
import contextlib
import ctypes
import datetime
import email
import email.policy
import html
import http.client
import http.cookies
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import redis
import yaml
from django_otp.oath import totp  # the arithmetic an authenticator app does; needs no Django settings

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
DB_NAME = os.environ.get("PROD_JOURNEY_DB", "cw_prod_journey")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# The owner of the journey's database (and of its tables: it runs the migrate service). The app services
# connect as the role their DATABASE_URL in docker-compose.yml names.
OWNER_DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/11"
PORTS = range(18000, 18100)
HOST = "127.0.0.1"
MIGRATE = "migrate"  # a one-shot service, run to its end before the others start
SERVICES = ("web", "worker", "beat")
# Bounds on every wait, in seconds.
START_WAIT = 120  # migrate on an empty database, then gunicorn up
WORKER_WAIT = 60
REMINDER_WAIT = 120  # beat dispatches every 60 s
REQUEST_TIMEOUT = 30
STOP_WAIT = 10

T0 = time.monotonic()


class StepFailed(Exception):
    pass


def log(message: str) -> None:
    print(f"[{time.monotonic() - T0:6.1f}s] {message}", flush=True)


def check(condition, message: str) -> None:
    if not condition:
        raise StepFailed(message)


# --- The compose file -------------------------------------------------------------------------------

_VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def interpolate(value: str, variables: dict) -> str:
    """Compose's ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error} and ${NAME?error}."""

    def substitute(match):
        name, operator, argument = match.groups()
        current = variables.get(name)
        missing = current is None or (operator or "").startswith(":") and current == ""
        if missing and operator and operator.endswith("?"):
            raise StepFailed(f"docker-compose.yml requires {name}: {argument}")
        if missing and operator:
            return argument
        return current or ""

    return _VARIABLE.sub(substitute, value)


class Compose:
    """What docker-compose.yml says about the app services, translated to this machine: container paths
    become directories of the run, the database and broker become the loopback ones."""

    def __init__(self, run_dir: Path, port: int):
        spec = yaml.safe_load((ROOT / "docker-compose.yml").read_text())  # resolves the x-app anchor and <<
        self.spec = spec
        self.services = {}
        for name in (MIGRATE, *SERVICES):
            check(name in spec.get("services", {}), f"docker-compose.yml has no service {name!r}")
            service = spec["services"][name]
            check(service.get("command"), f"service {name!r} has no command")
            self.services[name] = service
        self.run_dir = run_dir
        self.port = port
        # Container path -> host path. /run/secrets is where compose mounts the secrets; volumes are named
        # volumes; /app is the image's working directory (this checkout); the container's own /tmp is
        # private to it, so it gets a directory of this run rather than the host's shared /tmp.
        self.paths = {"/run/secrets": run_dir / "secrets", "/tmp": run_dir / "tmp"}
        for name, service in self.services.items():
            for volume in service.get("volumes", []):
                source, _, target = str(volume).partition(":")
                check(target, f"service {name!r}: volume {volume!r} is not source:target")
                self.paths[target.split(":")[0]] = run_dir / "volumes" / source.strip("./")
        self.paths.setdefault("/app", ROOT)
        for host_path in self.paths.values():
            if host_path != ROOT:
                host_path.mkdir(parents=True, exist_ok=True)

    def host_path(self, text: str) -> str:
        """Container paths in a command argument or variable, in one pass (a replacement is not rewritten)."""
        prefixes = "|".join(re.escape(p) for p in sorted(self.paths, key=len, reverse=True))
        pattern = rf"(?<![\w./-])({prefixes})(?=/|$|\s)"
        return re.sub(pattern, lambda match: str(self.paths[match.group(1)]), text)

    def command(self, name: str) -> list[str]:
        command = self.services[name]["command"]
        argv = shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]
        return [self.host_path(arg) for arg in argv]

    def environment(self, name: str, overrides: dict) -> dict:
        declared = self.services[name].get("environment", {})
        if isinstance(declared, list):
            declared = dict(item.partition("=")[::2] for item in declared)
        # The shell variables compose would interpolate: only the ones this run chooses, never the caller's.
        shell = {"ALLOWED_HOSTS": HOST, "SITE_URL": f"https://{HOST}"}
        env = {key: self.host_path(interpolate(str(value), shell)) for key, value in declared.items()}
        replaced = {"DATABASE_URL", "REDIS_URL"}
        check(replaced <= env.keys(), f"service {name!r} no longer sets {sorted(replaced - env.keys())}")
        env.update(overrides)
        return env

    def database_role(self, name: str) -> str:
        """The role the service's DATABASE_URL connects as."""
        role = urllib.parse.urlsplit(self.environment(name, {})["DATABASE_URL"]).username
        check(role and re.fullmatch(r"[a-z_][a-z0-9_]*", role), f"service {name!r}: DATABASE_URL names no plain role")
        return role

    def write_secrets(self, keys: dict) -> None:
        """Put the generated keys where compose mounts its secrets (one file per secret, as README does)."""
        declared = self.spec.get("secrets", {})
        for name in {s for service in self.services.values() for s in service.get("secrets", [])}:
            check(name in declared, f"docker-compose.yml uses secret {name!r} but does not declare it")
            check(name.upper() in keys, f"secret {name!r} is not one that README says how to make")
            path = self.paths["/run/secrets"] / name
            path.write_text(keys[name.upper()])
            path.chmod(0o600)

    def container_port(self) -> int:
        ports = self.services["web"].get("ports", [])
        check(ports, "the web service publishes no port")
        return int(str(ports[0]).rsplit(":", 1)[-1].split("/")[0])


def gunicorn_bind_port() -> int:
    config: dict = {}
    exec(compile((ROOT / "config" / "gunicorn.py").read_text(), "config/gunicorn.py", "exec"), config)
    return int(str(config["bind"]).rsplit(":", 1)[-1])


# --- Processes --------------------------------------------------------------------------------------


try:
    _LIBC = ctypes.CDLL("libc.so.6", use_errno=True)
except OSError:
    _LIBC = None


def _die_with_parent() -> None:
    """In the child before exec: its own process group, and a SIGTERM if this script dies unannounced."""
    os.setsid()
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Processes:
    def __init__(self, run_dir: Path):
        self.run_dir = run_dir
        self.running: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def start(self, name: str, argv: list[str], env: dict) -> subprocess.Popen:
        self.logs[name] = self.run_dir / f"{name}.log"
        with open(self.logs[name], "wb") as out:
            process = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                       stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        self.running[name] = process
        return process

    def alive(self, name: str) -> bool:
        return self.running[name].poll() is None

    def log_text(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace") if name in self.logs else ""

    def stop_all(self) -> None:
        for process in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_WAIT
        for process in self.running.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.1, deadline - time.monotonic()))
        for process in self.running.values():
            # Whatever is left of the group (a gunicorn or celery child slow to go) goes now.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)
        self.running.clear()

    def print_tails(self, lines: int = 30) -> None:
        for name in self.logs:
            tail = self.log_text(name).splitlines()[-lines:]
            print(f"----- last {len(tail)} lines of {name} ({self.logs[name]}) -----", file=sys.stderr)
            print("\n".join(tail), file=sys.stderr)


def run_command(argv: list[str], env: dict, what: str, timeout: int = 120) -> str:
    result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    check(result.returncode == 0, f"{what} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result.stdout


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise StepFailed("no free port in 18000-18099")


# --- HTTP -------------------------------------------------------------------------------------------


class Form:
    def __init__(self, attrs: dict):
        self.action = attrs.get("action") or ""
        self.method = (attrs.get("method") or "get").lower()
        self.fields: list[list[str]] = []  # [name, value] in page order
        self.buttons: list[tuple[str, str]] = []

    def names(self) -> set[str]:
        return {name for name, _ in self.fields}

    def data(self, values: dict, button: str | None = None) -> list[tuple[str, str]]:
        data = [(name, str(values.get(name, value))) for name, value in self.fields]
        data += [(name, str(value)) for name, value in values.items() if name not in self.names()]
        if button is not None:
            data += [b for b in self.buttons if b[1] == button and b[0]]
        return data


class Page(HTMLParser):
    """The forms of a page (inputs, selects, textareas, buttons, with their current values) and its links."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form = self._select = self._textarea = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "form":
            self._form = Form(a)
            self.forms.append(self._form)
        if self._form is None or "name" not in a and tag not in ("option", "button"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self._form.buttons.append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append([a["name"], a.get("value", "on")])
            elif kind not in ("file", "reset", "button"):
                self._form.fields.append([a["name"], a.get("value", "")])
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.buttons.append((a.get("name", ""), a.get("value", "")))
        elif tag == "select":
            self._select = [a["name"], None, None]  # name, first option, selected option
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select[1] = value if self._select[1] is None else self._select[1]
            self._select[2] = value if "selected" in a else self._select[2]
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, first, chosen = self._select
            self._form.fields.append([name, chosen if chosen is not None else first or ""])
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form.fields.append([name, text[1:] if text.startswith("\n") else text])  # as a browser reads it
            self._textarea = None


class Response:
    def __init__(self, status: int, headers, body: bytes, path: str):
        self.status, self.headers, self.body, self.path = status, headers, body, path
        self.text = body.decode("utf-8", errors="replace")

    def page(self) -> Page:
        return Page(self.text)

    def form(self, *, action: str | None = None, field: str | None = None, where=None) -> Form:
        for form in self.page().forms:
            if action is not None and form.action != action:
                continue
            if field is not None and field not in form.names():
                continue
            if where is not None and not where(form):
                continue
            return form
        raise StepFailed(f"no such form on {self.path} (action={action!r}, field={field!r})")

    def h1(self) -> str:
        match = re.search(r"<h1[^>]*>(.*?)</h1>", self.text, re.S)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split()) if match else ""

    def messages(self) -> list[str]:
        block = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', self.text, re.S)
        items = re.findall(r"<li[^>]*>(.*?)</li>", block.group(1), re.S) if block else []
        return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


class Browser:
    """One person's browser behind the TLS proxy: every request says it came over HTTPS
    (X-Forwarded-Proto) from the proxy (X-Forwarded-For), keeps the (Secure) cookies, sends the
    Origin and Referer a browser sends, and refuses any 5xx answer."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://{HOST}:{port}"
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()
        self.last_path = "/"
        self.requests = 0
        self.errors: list[str] = []

    def request(self, method: str, path: str, data=None, *, https: bool = True, follow: bool = True) -> Response:
        for _hop in range(10):
            response = self._once(method, path, data, https=https)
            if not follow or response.status not in (301, 302, 303, 307, 308):
                return response
            location = urllib.parse.urlsplit(response.headers["Location"])
            path = location.path + (f"?{location.query}" if location.query else "")
            if response.status in (301, 302, 303):
                method, data = "GET", None
        raise StepFailed(f"too many redirects from {path}")

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def submit(self, page: Response, form: Form, values: dict | None = None, button: str | None = None) -> Response:
        # As a browser does: the action is relative to the page, and a fragment is not sent.
        target = urllib.parse.urldefrag(urllib.parse.urljoin(page.path, form.action or page.path)).url
        if form.method == "get":
            return self.get(target.split("?")[0] + "?" + urllib.parse.urlencode(form.data(values or {}, button)))
        return self.request("POST", target, form.data(values or {}, button))

    def _once(self, method: str, path: str, data, *, https: bool) -> Response:
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "casework-prod-journey", "Accept-Language": "en",
                   "X-Forwarded-For": HOST}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        with self.lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            referer = self.origin + self.last_path
        body = None
        if method == "POST":
            body = urllib.parse.urlencode(data or []).encode()
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin,
                            "Referer": referer})
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body, headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read(), path)
        finally:
            connection.close()
        with self.lock:
            self.requests += 1
            for header in response.headers.get_all("Set-Cookie") or []:
                jar = http.cookies.SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            if method == "GET" and response.status == 200:
                self.last_path = path
        if response.status >= 500:
            self.errors.append(f"{method} {path} -> {response.status}")
            raise StepFailed(f"{method} {path} answered {response.status}")
        return response


def expect(response: Response, status: int, what: str) -> Response:
    check(response.status == status, f"{what}: expected {status}, got {response.status} at {response.path} "
                                     f"({'; '.join(response.messages()) or response.h1()})")
    return response


# --- The journey ------------------------------------------------------------------------------------


def months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


class Journey:
    def __init__(self):
        self.run_dir = Path(tempfile.mkdtemp(prefix="cw-prod-journey-"))
        self.processes = Processes(self.run_dir)
        self.passed: list[str] = []
        self.failed: list[str] = []
        self.state: dict = {}
        self.password = secrets.token_urlsafe(18)
        self.names = {"family": "Каримова", "given": "Дильноза Рустамовна", "note": "Позвонила из центра: документы у неё."}

    def step(self, name: str, action) -> bool:
        log(f"step: {name}")
        started = time.monotonic()
        try:
            detail = action()
        except Exception as error:  # noqa: BLE001 - any error fails the step, with its name
            log(f"FAIL {name}: {error if isinstance(error, StepFailed) else repr(error)}")
            self.failed.append(name)
            return False
        log(f"  ok {name} ({time.monotonic() - started:.1f}s){': ' + detail if detail else ''}")
        self.passed.append(name)
        return True

    # Steps ------------------------------------------------------------------------------------------

    def read_compose(self):
        port = free_port()
        self.compose = Compose(self.run_dir, port)
        check(gunicorn_bind_port() == self.compose.container_port(),
              f"config/gunicorn.py binds port {gunicorn_bind_port()}, the web service publishes {self.compose.container_port()}")
        keys = dict(line.split("=", 1) for line in run_command(
            [str(VENV_BIN / "python"), "-m", "casework.keygen"], self.base_env(), "python -m casework.keygen"
        ).split())
        # README makes the database passwords apart; this machine's PostgreSQL trusts loopback, so they are
        # read by the settings (DATABASE_PASSWORD_FILE) and sent, but not checked.
        keys |= {name: secrets.token_urlsafe(32) for name in ("DB_OWNER_PASSWORD", "DB_APP_PASSWORD")}
        self.compose.write_secrets(keys)
        roles = {name: self.compose.database_role(name) for name in (MIGRATE, *SERVICES)}
        self.app_role = roles["web"]
        check({roles[name] for name in SERVICES} == {self.app_role} != {roles[MIGRATE]},
              f"web, worker and beat must share one database role, not the migrate service's: {roles}")
        check(f"db_grant_app_role {self.app_role}" in " ".join(self.compose.command(MIGRATE)),
              f"the migrate service does not grant {self.app_role} its privileges")
        (self.run_dir / "mail").mkdir()
        self.browser = Browser(port)
        for name in (MIGRATE, *SERVICES):
            log(f"  {name}: {shlex.join(self.compose.command(name))}")
        return f"port {port}, run directory {self.run_dir}, app role {self.app_role}"

    def base_env(self) -> dict:
        """What the image gives every process (Dockerfile ENV), with the venv first on PATH."""
        return {
            "PATH": os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "/usr/bin:/bin")]),
            "HOME": os.environ.get("HOME", str(self.run_dir)), "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1", "PIP_NO_CACHE_DIR": "1",
        }

    def app_url(self) -> str:
        return f"postgres://{self.app_role}@127.0.0.1:5432/{DB_NAME}"

    def app_env(self, name: str) -> dict:
        return {**self.base_env(), **self.compose.environment(name, {
            "DATABASE_URL": OWNER_DATABASE_URL if name == MIGRATE else self.app_url(),
            "REDIS_URL": REDIS_URL,
            "GUNICORN_CMD_ARGS": f"--bind {HOST}:{self.compose.port}",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.run_dir / "mail"),
        })}

    def prepare_stores(self):
        check(DB_NAME.startswith("cw_prod_"), f"the journey's database must be named cw_prod_*, not {DB_NAME}")
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{DB_NAME}"')
            # Cluster-wide, as .ci/run and the tests make it: maybe there already, or made by them right now.
            admin.execute(f"DO $$BEGIN CREATE ROLE {self.app_role} LOGIN;"
                          " EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$")
        redis.Redis.from_url(REDIS_URL).flushdb()
        return f"database {DB_NAME} recreated, role {self.app_role} there, {REDIS_URL} emptied"

    def collect_static(self):
        """As the Dockerfile builds the image: throwaway keys, DEBUG off, a broker that is never reached."""
        keys = dict(line.split("=", 1) for line in run_command(
            [str(VENV_BIN / "python"), "-m", "casework.keygen"], self.base_env(), "keygen").split())
        env = {**self.base_env(), **keys, "DEBUG": "0", "REDIS_URL": "redis://build:6379/0"}
        out = run_command(["python", "manage.py", "collectstatic", "--noinput"], env, "collectstatic")
        return out.strip().splitlines()[-1] if out.strip() else ""

    def start_processes(self):
        migrated = run_command(self.compose.command(MIGRATE), self.app_env(MIGRATE), "the migrate service", START_WAIT)
        for name in SERVICES:
            self.processes.start(name, self.compose.command(name), self.app_env(name))
        deadline = time.monotonic() + START_WAIT
        while True:
            for name in SERVICES:
                check(self.processes.alive(name), f"{name} exited with {self.processes.running[name].returncode}")
            with contextlib.suppress(OSError):
                if self.browser.get("/healthz").status == 200:
                    break
            check(time.monotonic() < deadline, f"gunicorn did not answer /healthz within {START_WAIT}s")
            time.sleep(0.5)
        deadline = time.monotonic() + WORKER_WAIT
        while not re.search(r"celery@\S+ ready", self.processes.log_text("worker")):
            check(self.processes.alive("worker"), "the worker exited")
            check(time.monotonic() < deadline, f"the worker was not ready within {WORKER_WAIT}s")
            time.sleep(0.5)
        while "beat: Starting" not in self.processes.log_text("beat"):
            check(self.processes.alive("beat"), "beat exited")
            check(time.monotonic() < deadline, f"beat did not start within {WORKER_WAIT}s")
            time.sleep(0.5)
        check(f"Listening at: http://{HOST}:{self.compose.port}" in self.processes.log_text("web"),
              "gunicorn does not listen where GUNICORN_CMD_ARGS said")
        return f"{migrated.strip().splitlines()[-1]} Gunicorn answers, worker ready, beat running"

    def production_settings(self):
        b = self.browser
        plain = b.get("/accounts/login/", https=False, follow=False)
        check(plain.status == 301 and plain.headers["Location"].startswith("https://"),
              f"plain HTTP was not redirected to HTTPS ({plain.status})")
        login = expect(b.get("/accounts/login/"), 200, "sign-in page")
        check("max-age=31536000" in (login.headers.get("Strict-Transport-Security") or ""), "no HSTS header")
        cookies = login.headers.get_all("Set-Cookie") or []
        check(cookies and all("Secure" in c for c in cookies), f"cookies not Secure: {cookies}")
        missing = expect(b.get("/no-such-page/"), 404, "unknown page")
        check("Traceback" not in missing.text and "URLconf" not in missing.text, "the 404 page is Django's debug page")
        css = re.search(r'href="(/static/css/casework\.[0-9a-f]{12}\.css)"', login.text)
        check(css, "the stylesheet link is not a hashed (manifest) name")
        static = expect(b.get(css.group(1)), 200, "hashed stylesheet")
        check("immutable" in (static.headers.get("Cache-Control") or ""), "whitenoise did not serve the hashed file")
        return "HTTPS redirect, HSTS, Secure cookies, no debug pages, hashed static files"

    def create_people(self):
        """As README's "Production" says organisations start: `manage.py platform create-organisation` (its
        admin's invitation e-mail is kept out of the journey's mailbox, which holds the reminder); the
        caseworker the journey follows is added by a script at the shell (a script has no admin to confirm)."""
        out = run_command(
            ["python", "manage.py", "platform", "create-organisation", "--name", "Правозащитный центр «Журнал»",
             "--slug", "prod-journey", "--country", "AM", "--admin-username", "gohar",
             "--admin-email", "gohar@example.org"],
            {**self.app_env("web"), "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
            "manage.py platform create-organisation",
        )
        check("/accounts/invitation/" not in out, "the command printed the admin's invitation link")
        snippet = (
            "import json\n"
            "from casework.orgs import services\n"
            "from casework.orgs.models import Organisation\n"
            "org = Organisation.objects.get(slug='prod-journey')\n"
            "m = services.member_create(organisation=org, username='kamila', role='caseworker', created_by=None, first_name='Камила',\n"
            "                           last_name='Юсупова', email='kamila@example.org')\n"
            "print('JOURNEY ' + json.dumps({'invitation': services.invitation_path(m.user)}))\n"
        )
        out = run_command(["python", "manage.py", "shell", "-c", snippet], self.app_env("web"), "manage.py shell")
        line = next((line for line in out.splitlines() if line.startswith("JOURNEY ")), None)
        check(line, f"the shell printed no invitation: {out[-500:]}")
        self.state["invitation"] = json.loads(line[len("JOURNEY "):])["invitation"]
        return "organisation (with its admin) and caseworker created"

    def accept_invitation(self):
        b = self.browser
        page = expect(b.get(self.state["invitation"]), 200, "invitation link")
        form = page.form(field="new_password1")
        done = b.submit(page, form, {"new_password1": self.password, "new_password2": self.password})
        expect(done, 200, "set password")
        check("/accounts/invitation/done/" in done.path, f"ended at {done.path}: {done.messages() or done.h1()}")
        return "password set through the invitation link"

    def sign_in(self):
        b = self.browser
        page = expect(b.get("/accounts/login/"), 200, "sign-in page")
        setup = b.submit(page, page.form(field="password"), {"username": "kamila", "password": self.password})
        expect(setup, 200, "password accepted")
        check(setup.path.startswith("/accounts/two-factor/setup/"), f"after the password: {setup.path}")
        secret = re.search(r'<code class="ref">\s*([A-Z2-7]+)\s*</code>', setup.text)
        check(secret, "the set-up page shows no key")
        key = secret.group(1)
        code = f"{totp(base64.b32decode(key + '=' * (-len(key) % 8))):06d}"
        codes = expect(b.submit(setup, setup.form(field="token"), {"token": code}), 200, "authenticator confirmed")
        recovery = re.findall(r"<li><code>([^<]+)</code></li>", codes.text)
        check(len(recovery) == 10, f"expected 10 recovery codes, saw {len(recovery)} ({codes.h1()})")
        onward = re.search(r'<a class="button primary" href="([^"]+)"', codes.text)
        check(onward, "no way on from the recovery codes")
        home = expect(b.get(html.unescape(onward.group(1))), 200, "home after two factors")
        check(home.h1() == "My cases", f"home shows {home.h1()!r}")
        return "password, authenticator enrolled with the key on the page, 10 recovery codes kept"

    def register_client(self):
        b = self.browser
        page = expect(b.get("/clients/new/"), 200, "client form")
        client = b.submit(page, page.form(field="family_name"), {
            "family_name": self.names["family"], "given_names": self.names["given"],
            "date_of_birth": "1991-03-08", "nationality": "Узбекистан", "languages": "узбекский, русский",
        })
        expect(client, 200, "client registered")
        check(self.names["family"] in client.h1(), f"client page shows {client.h1()!r}")
        self.state["client_path"] = client.path
        return client.h1()

    def open_case(self):
        b = self.browser
        client = b.get(self.state["client_path"])
        link = next((href for href in client.page().links if href.endswith("/open-case/")), None)
        check(link, "no 'Open a case' link on the client page")
        page = expect(b.get(link), 200, "case form")
        case = expect(b.submit(page, page.form(field="case_type"), {"case_type": "asylum", "jurisdiction": "AM"}),
                      200, "case opened")
        match = re.fullmatch(r"/cases/([^/]+)/", case.path)
        check(match and "Asylum" in case.h1(), f"landed on {case.path} ({case.h1()!r})")
        self.state["reference"] = match.group(1)
        check(self.names["family"] in case.text, "the case page does not show the client")
        return f"case {match.group(1)}"

    def record_event(self):
        b = self.browser
        reference = self.state["reference"]
        case = b.get(f"/cases/{reference}/")
        # A final decision five months ago (the first of a month, so the four-month limit needs no
        # month-end rule): the European Court deadline it proposes has passed, so its overdue reminder
        # is due as soon as it is confirmed (earlier reminder moments already past are never armed).
        decided = months_before(datetime.date.today(), 5)
        self.state["decided"] = decided
        proposals = b.submit(case, case.form(action=f"/cases/{reference}/events/new/"), {
            "kind": "final_domestic_decision", "occurred_on": decided.isoformat(),
            "note": "Решение вручено адвокату.",
        })
        expect(proposals, 200, "event recorded")
        check("/events/" in proposals.path and 'id="rule-echr-art35-4-months"' in proposals.text,
              f"no European Court proposal at {proposals.path} ({proposals.messages()})")
        self.state["proposals"] = proposals
        return f"final domestic decision on {decided}; proposals at {proposals.path}"

    def confirm_deadline(self):
        b = self.browser
        page = self.state["proposals"]
        form = page.form(where=lambda f: ["rule_id", "echr-art35-4-months"] in f.fields and
                         any(value == "confirm" for _, value in f.buttons))
        # Its last day has passed (see record_event): confirming it needs the acknowledgement.
        refused = expect(b.submit(page, form, button="confirm"), 200, "confirmation without acknowledgement")
        check("The last day of this deadline has passed" in refused.text, "a past last day was confirmed unasked")
        form = refused.form(where=lambda f: ["rule_id", "echr-art35-4-months"] in f.fields and
                            any(value == "confirm" for _, value in f.buttons))
        confirmed = expect(b.submit(refused, form, {"late_acknowledged": "on"}, button="confirm"), 200,
                           "deadline confirmed")
        check("Deadline confirmed." in confirmed.messages(), f"messages: {confirmed.messages()}")
        check("Confirmed:" in confirmed.text, "the proposal is not shown as confirmed")
        return "European Court deadline (four months) confirmed"

    def survive_dropped_connections(self):
        """PostgreSQL drops every backend (a restart, a failover): the next request on each gunicorn
        worker must reconnect instead of failing on its stale connection and losing what it carried."""
        b = self.browser
        case_path = f"/cases/{self.state['reference']}/"
        page = expect(b.get(case_path), 200, "case page")
        # Several requests at once, twice, so that every gunicorn worker holds a connection.
        failures = []

        def load():
            try:
                expect(b.get(case_path), 200, "case page")
            except Exception as error:  # noqa: BLE001 - reported below
                failures.append(repr(error))

        for _round in range(2):
            threads = [threading.Thread(target=load) for _ in range(6)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(REQUEST_TIMEOUT + 5)
        check(not failures, f"errors before the drop: {failures}")
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            dropped = admin.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()", (DB_NAME,)
            ).fetchone()[0]
        check(dropped >= 1, "no backend was connected to the journey's database")
        form = page.form(action=f"/cases/{self.state['reference']}/notes/new/")
        after = b.submit(page, form, {"text": self.names["note"]})
        expect(after, 200, "note after the drop")
        check("Note added." in after.messages(), f"the note was not accepted: {after.messages()}")
        check(html.escape(self.names["note"]) in after.text or self.names["note"] in after.text,
              "the note is not shown on the case page")
        for _ in range(6):
            expect(b.get(case_path), 200, "case page after the drop")
        return f"{dropped} backends terminated; the note was accepted and shown, no 500"

    def reminder_in_app(self):
        b = self.browser
        started = time.monotonic()
        deadline = started + REMINDER_WAIT
        pattern = re.compile(r"(\d+) of your deadlines needs? attention\.")
        while True:
            page = expect(b.get("/notifications/"), 200, "notifications")
            found = pattern.search(html.unescape(page.text))
            if found:
                break
            for name in ("worker", "beat"):
                check(self.processes.alive(name), f"{name} exited")
            check(time.monotonic() < deadline, f"no reminder within {REMINDER_WAIT}s")
            time.sleep(2)
        check(found.group(1) == "1", f"the notification counts {found.group(1)} deadlines, expected 1")
        badge = re.search(r'Notifications <span class="tag urgent">(\d+)</span>', page.text)
        check(badge and badge.group(1) == "1", "the unread badge does not show 1")
        return f"'{found.group(0)}' after {time.monotonic() - started:.0f}s of waiting"

    def reminder_email(self):
        files = sorted((self.run_dir / "mail").glob("*.log"))
        check(len(files) == 1, f"expected one mail file, found {len(files)}")
        raw = files[0].read_bytes().split(b"\n" + b"-" * 79)[0]
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_content()
        check(message["To"] == "kamila@example.org", f"sent to {message['To']}")
        check(re.search(r"\b1 of your deadlines needs attention\.", body), f"no count in the body: {body!r}")
        check(re.search(r"https?://\S+/deadlines/", body), f"no link in the body: {body!r}")
        leaks = [s for s in (*self.names["family"].split(), *self.names["given"].split(), self.state["reference"],
                             "Asylum", "Armenia", "European", "Узбекистан", "Юсупова")
                 if s in body or s in str(message["Subject"])]
        check(not leaks, f"the e-mail carries {leaks}")
        return f"{files[0].name}: subject {message['Subject']!r}, body {' '.join(body.split())!r}"

    def app_role_only(self):
        """The app's processes hold no connection but the app role's, and that role cannot change the trail."""
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            users = {user for (user,) in admin.execute(
                "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'",
                (DB_NAME,),
            )}
        check(users == {self.app_role}, f"connected to {DB_NAME} as {sorted(users)}, expected {self.app_role} only")
        with psycopg.connect(self.app_url()) as app:
            events = app.execute("SELECT count(*) FROM audit_accessevent").fetchone()[0]
            for sql in ("UPDATE audit_accessevent SET detail = ''", "DELETE FROM audit_accessevent",
                        "TRUNCATE audit_accessevent"):
                try:
                    app.execute(sql)
                except psycopg.errors.InsufficientPrivilege:
                    app.rollback()
                else:
                    raise StepFailed(f"{self.app_role} may run {sql}")
        return f"connections as {self.app_role} only; {events} audit events, UPDATE, DELETE and TRUNCATE refused"

    def still_healthy(self):
        for name in SERVICES:
            check(self.processes.alive(name), f"{name} is no longer running")
        answered_5xx = re.findall(r'"[A-Z]+" 5\d\d ', self.processes.log_text("web"))
        check(not answered_5xx and not self.browser.errors, f"5xx answers: {answered_5xx or self.browser.errors}")
        return f"web, worker and beat running; {self.browser.requests} requests, none answered 5xx"

    # ------------------------------------------------------------------------------------------------

    def run(self) -> int:
        steps = [
            ("compose commands and secrets", self.read_compose),
            ("fresh database and broker", self.prepare_stores),
            ("static files collected as the Dockerfile does", self.collect_static),
            ("migrate as the owner, then web (gunicorn), worker and beat as the app role", self.start_processes),
            ("production settings in force", self.production_settings),
            ("organisation created by manage.py platform, caseworker by a script", self.create_people),
            ("password set from the invitation", self.accept_invitation),
            ("sign-in with the second factor", self.sign_in),
            ("client registered", self.register_client),
            ("case opened", self.open_case),
            ("event recorded, deadline proposed", self.record_event),
            ("deadline confirmed", self.confirm_deadline),
            ("note kept after PostgreSQL drops every connection", self.survive_dropped_connections),
            ("reminder delivered by the worker, in the app", self.reminder_in_app),
            ("reminder e-mail: a count and a link only", self.reminder_email),
            ("the app connected as its role only, which cannot change the audit trail", self.app_role_only),
            ("no 5xx, every process still running", self.still_healthy),
        ]
        interrupted = False
        try:
            for name, action in steps:
                if not self.step(name, action):
                    break
        except (KeyboardInterrupt, SystemExit):
            interrupted = True
            log("interrupted")
        finally:
            if self.failed:
                self.processes.print_tails()
            self.processes.stop_all()
        not_run = len(steps) - len(self.passed) - len(self.failed)
        if self.failed or interrupted:
            log(f"kept for inspection: {self.run_dir} and database {DB_NAME}")
        else:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            with contextlib.suppress(psycopg.Error), psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        print(f"prod journey: {len(self.passed)} passed, {len(self.failed)} failed"
              + (f", {not_run} not run" if not_run else "") + (" (interrupted)" if interrupted else "")
              + f" in {time.monotonic() - T0:.0f}s", flush=True)
        return 130 if interrupted else 1 if self.failed or not_run else 0


def main() -> int:
    # Ctrl-C, and SIGTERM (CI cancelling the job), unwind the journey, so its processes are stopped either
    # way (SIGINT explicitly: a shell starting this in the background would have it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    return Journey().run()


if __name__ == "__main__":
    sys.exit(main())
