"""The Russian catalogue is complete: every string the code and templates mark for translation today
has a reviewed (non-empty, non-fuzzy) Russian translation in the committed locale/ru/LC_MESSAGES/django.po,
and a page rendered in Russian really comes out in Russian.

The current msgids are extracted the way `make messages` does it (Django's makemessages, same flags),
but in a throw-away copy of the sources so the committed catalogue is never touched by the test.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connections
from django.test import override_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
# Top-level entries copied for extraction; everything else under ROOT is either ignored by
# `make messages` (.venv, bench, tests) or holds no Django-domain strings (static, fixtures, locale).
SOURCES = ("casework", "config", "templates", "manage.py")
MAKEMESSAGES = ["makemessages", "-l", "ru", "--no-obsolete", "--ignore=.venv", "--ignore=bench", "--ignore=tests"]
RU_PLURALS = 3
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{\s*\w+\s*\}\}|\{\w*\}")


# --- A small .po reader (enough for what xgettext/msgmerge write) -------------------------------------


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def label(self) -> str:
        text = repr(self.msgid)
        if self.msgctxt is not None:
            text = f"[{self.msgctxt}] {text}"
        if self.msgid_plural is not None:
            text += f" / plural {self.msgid_plural!r}"
        return text


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')


def _unquote(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def parse_po(text: str) -> list[Entry]:
    entries: list[Entry] = []
    current = Entry()
    seen_keyword = False
    target: tuple[str, int | None] | None = None

    def flush():
        nonlocal current, seen_keyword, target
        if seen_keyword:
            entries.append(current)
        current, seen_keyword, target = Entry(), False, None

    for raw in text.splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # previous msgid of an obsolete entry
                continue
        if not line:
            flush()
            continue
        if line.startswith("#"):
            if seen_keyword and target is not None and target[0].startswith("msgstr"):
                flush()
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"continuation line without a keyword: {raw!r}")
            _append(current, target, _unquote(line[1:-1]))
            continue
        match = _KEYWORD.match(line)
        if not match:
            raise ValueError(f"cannot parse .po line: {raw!r}")
        keyword, index, body = match.groups()
        if keyword in ("msgctxt", "msgid") and target is not None and target[0].startswith("msgstr"):
            flush()
        seen_keyword = True
        current.obsolete = current.obsolete or obsolete
        target = ("msgstr", int(index or 0)) if keyword.startswith("msgstr") else (keyword, None)
        _set(current, target, _unquote(body))
    flush()
    return entries


def _set(entry: Entry, target: tuple[str, int | None], value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = value
    else:
        setattr(entry, name, value)


def _append(entry: Entry, target: tuple[str, int | None], value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += value
    else:
        setattr(entry, name, getattr(entry, name) + value)


def header_fields(entries: list[Entry]) -> tuple[Entry, dict[str, str]]:
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None and not e.obsolete)
    fields_ = {}
    for line in header.msgstr.get(0, "").splitlines():
        name, _, value = line.partition(":")
        fields_[name.strip()] = value.strip()
    return header, fields_


# --- Extraction of the current msgids ------------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[Entry]:
    """The msgids the sources contain right now: Django's makemessages run on a copy of the sources."""
    work = tmp_path_factory.mktemp("makemessages")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, work / name)
    env = {
        **os.environ,
        # Throw-away keys: the settings refuse to load without real ones, the catalogue does not care.
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(48),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(work),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=work, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    # Written beside the copied settings (LOCALE_PATHS = BASE_DIR / "locale"), never into the real locale/.
    fresh = work / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    assert fresh.exists(), f"makemessages wrote no catalogue into the copy:\n{result.stdout}\n{result.stderr}"
    entries = [e for e in parse_po(fresh.read_text(encoding="utf-8")) if e.msgid and not e.obsolete]
    assert entries, "makemessages extracted no strings at all: the extraction itself is broken"
    return entries


@pytest.fixture(scope="module")
def committed() -> list[Entry]:
    assert PO_PATH.exists(), f"{PO_PATH.relative_to(ROOT)} is missing: run `make messages` and translate it"
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


# --- The catalogue --------------------------------------------------------------------------------------


def test_committed_catalogue_compiles_cleanly(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO_PATH)],
        capture_output=True, text=True, timeout=60, env={**os.environ, "LC_ALL": "C"},
    )
    assert result.returncode == 0, f"msgfmt --check failed:\n{result.stderr}"
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


def test_header_is_russian(committed):
    header, fields_ = header_fields(committed)
    assert "fuzzy" not in header.flags, "the .po header is marked fuzzy; msgfmt would ignore it"
    assert fields_.get("Language") == "ru"
    assert "charset=UTF-8" in fields_.get("Content-Type", "")
    assert re.match(rf"nplurals={RU_PLURALS};\s*plural=", fields_.get("Plural-Forms", "")), fields_.get("Plural-Forms")


def test_every_current_string_has_a_russian_translation(extracted, committed):
    catalogue = {e.key: e for e in committed if e.msgid and not e.obsolete}
    missing, fuzzy, untranslated, plural_mismatch = [], [], [], []
    for wanted in extracted:
        entry = catalogue.get(wanted.key)
        if entry is None:
            missing.append(wanted.label())
        elif "fuzzy" in entry.flags:
            fuzzy.append(wanted.label())
        elif entry.msgid_plural != wanted.msgid_plural:
            plural_mismatch.append(f"{wanted.label()} (catalogue has plural {entry.msgid_plural!r})")
        else:
            forms = RU_PLURALS if wanted.msgid_plural is not None else 1
            if sorted(entry.msgstr) != list(range(forms)) or not all(entry.msgstr[i].strip() for i in range(forms)):
                untranslated.append(wanted.label())
    problems = [
        (f"{len(missing)} string(s) not in the catalogue (run `make messages`, then translate)", missing),
        (f"{len(fuzzy)} fuzzy translation(s) (review them and remove the fuzzy flag)", fuzzy),
        (f"{len(untranslated)} empty or incomplete translation(s)", untranslated),
        (f"{len(plural_mismatch)} plural form(s) out of date", plural_mismatch),
    ]
    report = "\n".join(f"{title}:\n  " + "\n  ".join(items) for title, items in problems if items)
    assert not report, f"Russian catalogue {PO_PATH.relative_to(ROOT)} is incomplete.\n{report}"


def test_no_fuzzy_or_empty_entries_anywhere(committed):
    bad = [
        e.label()
        for e in committed
        if e.msgid and not e.obsolete and ("fuzzy" in e.flags or not all(v.strip() for v in e.msgstr.values()))
    ]
    assert not bad, "fuzzy or empty entries in the Russian catalogue:\n  " + "\n  ".join(bad)


def test_translations_keep_their_placeholders(committed):
    wrong = []
    for e in committed:
        if not e.msgid or e.obsolete:
            continue
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            expected = sorted(PLACEHOLDER.findall(source))
            # A Russian plural form may leave out the number (e.g. "одно дело"); it may not invent or rename one.
            found = sorted(PLACEHOLDER.findall(text))
            if found != expected and not (e.msgid_plural is not None and set(found) <= set(expected)):
                wrong.append(f"{e.label()} msgstr[{index}]: expected {expected}, found {found}")
    assert not wrong, "placeholders changed in translation:\n  " + "\n  ".join(wrong)


# --- At run time ----------------------------------------------------------------------------------------


@pytest.fixture
def compiled_locale(tmp_path):
    """The committed .po compiled into a private locale directory, so the check never depends on a stale .mo."""
    target = tmp_path / "ru" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(["msgfmt", "--check", "-o", str(target / "django.mo"), str(PO_PATH)], check=True, timeout=60)
    with override_settings(LOCALE_PATHS=[str(tmp_path)]):
        yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def no_atomic_requests(monkeypatch):
    """The sign-in page reads nothing from the database; only ATOMIC_REQUESTS would open a connection.
    Without it these checks need no test database (fast, and unaffected by other runs on the same server).
    Should the page ever query the database, mark the tests below with django_db instead."""
    monkeypatch.setitem(connections.settings["default"], "ATOMIC_REQUESTS", False)


def test_catalogue_lives_where_django_looks():
    assert PO_PATH.parent.parent.parent in [Path(p).resolve() for p in settings.LOCALE_PATHS]
    assert "ru" in dict(settings.LANGUAGES)


def test_login_page_in_russian(client, compiled_locale, no_atomic_requests):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="ru"' in body
    assert "<title>Войти · Casework</title>" in body
    assert "Sign in" not in body


def test_login_page_stays_english_by_default(client, compiled_locale, no_atomic_requests):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sign in" in body and "Войти" not in body
