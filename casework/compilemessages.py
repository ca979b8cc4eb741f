"""Compile the message catalogues (locale/<lang>/LC_MESSAGES/*.po) into the .mo files Django reads,
in Python (Babel), so installing and running the app needs no system gettext.

    python -m casework.compilemessages [--strict] [PATH ...]

PATH is a .po file or a folder searched for them (default: ./locale). Like `msgfmt --check` it refuses
to write a catalogue that is broken: a line it cannot parse, a header marked fuzzy or without Language
or Plural-Forms, a plural rule that disagrees with the language's (CLDR) rule, a translation whose
%-placeholders do not fit its msgid, a plural entry with the wrong number of forms, an entry defined
twice. Fuzzy and untranslated entries are reported and left out of the .mo, so Django shows the English
text for them (as msgfmt does); with --strict they are errors too. Exit status 1 on any error.

Kept free of Django so it runs before any settings or keys exist. (`make messages`, which extracts the
strings, is Django's makemessages and still needs GNU gettext: a developer tool, not an install step.)
"""

from __future__ import annotations

import argparse
import gettext
import io
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path

from babel.messages.catalog import Catalog, Message, TranslationError
from babel.messages.checkers import python_format
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, PoFileParser

# Named %-placeholders: checked even on an entry that lacks the python-format flag (an entry typed in
# by hand rather than extracted), where "100% done" style text cannot be mistaken for one.
_NAMED_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
# What a line of a .po file may be besides a comment: a keyword and one quoted string, or a quoted
# continuation. Babel reads an unterminated or stray quote without complaint; msgfmt does not.
_LINE = re.compile(r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*')
# Plural rules are compared with the language's own for these counts (every residue mod 100, mod 1000).
_PLURAL_SAMPLE = range(0, 1001)


class _Catalog(Catalog):
    """Babel's catalogue, remembering what Babel would otherwise merge silently: the raw header and
    any entry defined a second time."""

    def __init__(self, *args, **kwargs):
        self.raw_header: str | None = None
        self.header_fuzzy = False
        self.duplicates: list[Message] = []
        super().__init__(*args, **kwargs)

    def __setitem__(self, id, message):
        if id == "":
            self.raw_header, self.header_fuzzy = message.string, message.fuzzy
        elif self.get(id, message.context) is not None:
            self.duplicates.append(message)
        super().__setitem__(id, message)


@dataclass
class Result:
    po: Path
    mo: Path
    translated: int = 0
    fuzzy: list[Message] = field(default_factory=list)
    untranslated: list[Message] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _label(message: Message) -> str:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    text = repr(msgid if len(msgid) <= 60 else msgid[:57] + "...")
    return f"[{message.context}] {text}" if message.context else text


def _forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else (message.string,)


def _check_header(catalog: _Catalog, where: str) -> list[str]:
    if catalog.raw_header is None:
        return [f"{where}: no header entry (msgid \"\")"]
    errors = []
    if catalog.header_fuzzy:
        errors.append(f"{where}: the header is marked fuzzy (gettext would ignore it): remove the flag")
    headers = HeaderParser().parsestr(catalog.raw_header)
    language = (headers.get("Language") or "").strip()
    plural_forms = (headers.get("Plural-Forms") or "").strip()
    if "charset=utf-8" not in (headers.get("Content-Type") or "").lower().replace(" ", ""):
        errors.append(f"{where}: Content-Type must declare charset=UTF-8")
    if not language:
        errors.append(f"{where}: the header has no Language")
    match = re.fullmatch(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?", plural_forms)
    if not match:
        errors.append(f"{where}: the header has no valid Plural-Forms (got {plural_forms!r})")
        return errors
    nplurals, expression = int(match.group(1)), match.group(2)
    try:
        rule = gettext.c2py(expression)
    except (ValueError, SyntaxError) as exc:
        return [*errors, f"{where}: Plural-Forms expression {expression!r} is not valid: {exc}"]
    if language:
        try:
            expected = get_plural(language)
        except ValueError:  # a language CLDR does not know: nothing to compare with
            expected = None
        if expected is not None:
            cldr_rule = gettext.c2py(expected.plural_expr)
            if nplurals != expected.num_plurals:
                errors.append(f"{where}: Plural-Forms says nplurals={nplurals}, {language} has {expected.num_plurals}"
                              f" ({expected.plural_forms})")
            elif wrong := [n for n in _PLURAL_SAMPLE if rule(n) != cldr_rule(n)]:
                errors.append(f"{where}: Plural-Forms picks the wrong form for n = {', '.join(map(str, wrong[:8]))}"
                              f" (CLDR's {language} rule: {expected.plural_expr})")
    if out_of_range := [n for n in _PLURAL_SAMPLE if not 0 <= rule(n) < nplurals]:
        errors.append(f"{where}: Plural-Forms gives a form outside 0..{nplurals - 1} for n = {out_of_range[0]}")
    return errors


@dataclass
class _Written:
    """What the file itself says about an entry, which Babel's reading loses: its flags (Babel decides
    python-format by itself, from the msgid alone) and how many msgstr[n] forms it has (Babel pads)."""

    flags: set[str] = field(default_factory=set)
    forms: int = 0


def _scan(text: str, where: str) -> tuple[dict[int, _Written], list[str]]:
    """Each entry as written, by the line of its msgid, and the lines of the wrong shape."""
    written: dict[int, _Written] = {}
    current = _Written()
    pending: set[str] = set()
    errors = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            pending = set()
        elif line.startswith("#,"):
            pending |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            continue
        elif not _LINE.fullmatch(line):
            errors.append(f"{where}:{lineno}: not a keyword with one quoted string: {raw!r}")
        elif line.startswith("msgid "):
            current = written[lineno] = _Written(flags=pending)
            pending = set()
        elif line.startswith("msgstr["):
            current.forms += 1
    return written, errors


def _check_message(catalog: Catalog, message: Message, written: _Written) -> list[str]:
    problems = []
    flags = written.flags
    if message.pluralizable and written.forms != catalog.num_plurals:
        problems.append(f"{written.forms} plural form(s), the header says nplurals={catalog.num_plurals}")
    elif not message.pluralizable and written.forms:
        problems.append("plural forms (msgstr[n]) on an entry without msgid_plural")
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    if "python-format" in flags or (
        "no-python-format" not in flags and any(_NAMED_PLACEHOLDER.search(i) for i in ids)
    ):
        try:
            python_format(catalog, Message(message.id, message.string, flags={"python-format"}))
        except TranslationError as exc:
            problems.append(f"format string: {exc}")
    return problems


def compile_catalogue(po: Path, *, strict: bool = False) -> Result:
    """Check one .po file and, when it has no errors, write the .mo beside it (atomically)."""
    result = Result(po=po, mo=po.with_suffix(".mo"))
    where = str(po)
    catalog = _Catalog()
    try:
        text = po.read_text(encoding="utf-8")
        PoFileParser(catalog, ignore_obsolete=True, abort_invalid=True).parse(io.StringIO(text))
    except (PoFileError, UnicodeDecodeError) as exc:
        result.errors.append(f"{where}: cannot parse: {exc}")
        return result
    written, result.errors = _scan(text, where)
    result.errors += _check_header(catalog, where)
    for message in catalog.duplicates:
        result.errors.append(f"{where}:{message.lineno}: {_label(message)} is defined twice")
    for message in list(catalog):
        if not message.id:
            continue
        at = f"{where}:{message.lineno}: {_label(message)}"
        forms = _forms(message)
        if message.fuzzy:
            result.fuzzy.append(message)
        elif not all(form.strip() for form in forms):
            result.untranslated.append(message)
        else:
            result.translated += 1
        if any(forms) or message.pluralizable:
            as_written = written.get(message.lineno, _Written())
            result.errors += [f"{at}: {problem}" for problem in _check_message(catalog, message, as_written)]
    if strict:
        result.errors += [f"{where}:{m.lineno}: {_label(m)} is fuzzy" for m in result.fuzzy]
        result.errors += [f"{where}:{m.lineno}: {_label(m)} is untranslated" for m in result.untranslated]
    if result.errors:
        return result
    # A plural entry with one empty form would make gettext show an empty string for that count:
    # left out whole, like a fuzzy one, so the English text shows instead.
    for message in result.fuzzy + result.untranslated:
        catalog.delete(message.id, message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    _write_atomically(result.mo, buffer.getvalue())
    return result


def _write_atomically(path: Path, data: bytes) -> None:
    """A running server never reads a half-written catalogue."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _catalogues(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(path.glob("*/LC_MESSAGES/*.po"))
        elif path.suffix == ".po" and path.is_file():
            found.append(path)
        else:
            raise SystemExit(f"compilemessages: {name} is neither a .po file nor a folder of catalogues")
    if not found:
        raise SystemExit(f"compilemessages: no */LC_MESSAGES/*.po under {', '.join(paths)}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casework.compilemessages", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["locale"], metavar="PATH",
                        help=".po files, or folders holding <lang>/LC_MESSAGES/*.po (default: locale)")
    parser.add_argument("--strict", action="store_true", help="fuzzy and untranslated entries are errors too")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    args = parser.parse_args(argv)
    failed = False
    for po in _catalogues(args.paths):
        result = compile_catalogue(po, strict=args.strict)
        for error in result.errors:
            print(f"error: {error}", file=sys.stderr)
        if result.errors:
            failed = True
            print(f"{po}: {len(result.errors)} error(s), {result.mo.name} not written", file=sys.stderr)
            continue
        for kind, messages in (("fuzzy", result.fuzzy), ("untranslated", result.untranslated)):
            for message in messages:
                print(f"warning: {po}:{message.lineno}: {_label(message)} is {kind}: left out", file=sys.stderr)
        if not args.quiet or result.fuzzy or result.untranslated:
            print(f"{po} -> {result.mo.name}: {result.translated} translated, {len(result.fuzzy)} fuzzy, "
                  f"{len(result.untranslated)} untranslated")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
