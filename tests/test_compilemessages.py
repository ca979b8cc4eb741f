"""The Python catalogue compiler (`python -m casework.compilemessages`, run by `make install`): the
committed Russian catalogue compiles cleanly, Django's gettext reads the result with Russian's three
plural forms, and a broken catalogue is refused instead of being written."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation

from casework import compilemessages

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
HEADER = r'''msgid ""
msgstr ""
"Language: ru\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"
'''
APPLES = '''
#, python-format
msgid "%(n)d apple"
msgid_plural "%(n)d apples"
msgstr[0] "%(n)d яблоко"
msgstr[1] "%(n)d яблока"
msgstr[2] "%(n)d яблок"
'''


def catalogue(tmp_path, body, header=HEADER) -> Path:
    po = tmp_path / "ru" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(header + body, encoding="utf-8")
    return po


def in_russian(locale_dir):
    """Django reading only the catalogues under locale_dir (its own contrib ones aside)."""
    return override_settings(LOCALE_PATHS=[str(locale_dir)])


def test_committed_catalogue_compiles_cleanly(tmp_path):
    po = catalogue(tmp_path, "", header=PO_PATH.read_text(encoding="utf-8"))
    result = compilemessages.compile_catalogue(po, strict=True)
    assert not result.errors, "\n".join(result.errors)
    assert result.translated > 100 and result.mo.exists()


def test_committed_catalogue_in_django_with_russian_plurals(tmp_path):
    po = catalogue(tmp_path, "", header=PO_PATH.read_text(encoding="utf-8"))
    assert compilemessages.main(["--quiet", str(po)]) == 0
    with in_russian(tmp_path), translation.override("ru"):
        forms = {n: translation.ngettext("in %(count)d hour", "in %(count)d hours", n) % {"count": n}
                 for n in (1, 2, 5, 11, 21)}
        sign_in = translation.gettext("Sign in")
    assert forms == {1: "через 1 час", 2: "через 2 часа", 5: "через 5 часов", 11: "через 11 часов",
                     21: "через 21 час"}, "the catalogue's 'in %(count)d hour' entry changed?"
    assert sign_in == "Войти"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_same_translations_as_gnu_msgfmt(tmp_path):
    po = catalogue(tmp_path, "", header=PO_PATH.read_text(encoding="utf-8"))
    assert not compilemessages.compile_catalogue(po).errors
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "gnu.mo"), str(po)], check=True, timeout=60)
    ours = gettext.GNUTranslations(po.with_suffix(".mo").open("rb"))
    gnu = gettext.GNUTranslations((tmp_path / "gnu.mo").open("rb"))
    ours._catalog.pop(""), gnu._catalog.pop("")  # headers differ only in Babel's Generated-By
    assert ours._catalog == gnu._catalog
    assert [ours.plural(n) for n in range(200)] == [gnu.plural(n) for n in range(200)]


def test_russian_plurals_through_django(tmp_path):
    catalogue(tmp_path, APPLES)
    assert compilemessages.main([str(tmp_path)]) == 0
    with in_russian(tmp_path), translation.override("ru"):
        said = [translation.ngettext("%(n)d apple", "%(n)d apples", n) % {"n": n} for n in (1, 2, 5, 21, 22, 111)]
    assert said == ["1 яблоко", "2 яблока", "5 яблок", "21 яблоко", "22 яблока", "111 яблок"]


def test_fuzzy_and_untranslated_are_reported_and_left_out(tmp_path, capsys):
    catalogue(tmp_path, APPLES + '''
#, fuzzy
msgid "Cases"
msgstr "Дела"

msgid "Clients"
msgstr ""

msgid "%(n)d pear"
msgid_plural "%(n)d pears"
msgstr[0] "%(n)d груша"
msgstr[1] ""
msgstr[2] "%(n)d груш"
''')
    assert compilemessages.main([str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "'Cases' is fuzzy" in err and "'Clients' is untranslated" in err and "'%(n)d pear' is untranslated" in err
    with in_russian(tmp_path), translation.override("ru"):
        assert translation.gettext("Cases") == "Cases"
        assert translation.gettext("Clients") == "Clients"
        assert translation.ngettext("%(n)d pear", "%(n)d pears", 2) == "%(n)d pears", "no empty string for 2"
        assert translation.ngettext("%(n)d apple", "%(n)d apples", 2) == "%(n)d яблока"
    assert compilemessages.main(["--strict", str(tmp_path)]) == 1


@pytest.mark.parametrize(
    "body, header, complaint",
    [
        ('#, python-format\nmsgid "%(name)s signed in"\nmsgstr "%(user)s вошёл"\n', HEADER, "unknown named placeholder"),
        # Typed in by hand without the flag: named placeholders are checked all the same.
        ('msgid "%(name)s signed in"\nmsgstr "%(user)s вошёл"\n', HEADER, "unknown named placeholder"),
        ('#, python-format\nmsgid "%s of %d"\nmsgstr "%d из %s"\n', HEADER, "not compatible"),
        ('msgid "one"\nmsgid_plural "many"\nmsgstr[0] "a"\nmsgstr[1] "b"\n', HEADER, "2 plural form(s)"),
        ('msgid "x"\nmsgstr "a"\n\nmsgid "x"\nmsgstr "b"\n', HEADER, "defined twice"),
        ('msgid "x"\nmsgstr "unterminated\n', HEADER, "not a keyword with one quoted string"),
        ('msgid "x"\nmsgstr "a"\n', "#, fuzzy\n" + HEADER, "header is marked fuzzy"),
        ('msgid "x"\nmsgstr "a"\n', HEADER.replace("nplurals=3", "nplurals=2").replace("? 1 : 2", "? 1 : 1"),
         "ru has 3"),
        ('msgid "x"\nmsgstr "a"\n', HEADER.replace("n%100>=20", "n%100>=30"), "wrong form for n = 22"),
        ('msgid "x"\nmsgstr "a"\n', HEADER.replace('"Language: ru\\n"\n', ""), "no Language"),
    ],
    ids=["format", "format-unflagged", "positional", "plural-count", "duplicate", "syntax", "fuzzy-header",
         "nplurals", "plural-rule", "language"],
)
def test_broken_catalogue_is_refused(tmp_path, capsys, body, header, complaint):
    po = catalogue(tmp_path, "\n" + body, header=header)
    assert compilemessages.main([str(tmp_path)]) == 1
    assert complaint in capsys.readouterr().err
    assert not po.with_suffix(".mo").exists()


def test_a_literal_percent_is_no_placeholder(tmp_path):
    catalogue(tmp_path, '\nmsgid "100% done"\nmsgstr "100% готово"\n')
    assert compilemessages.main([str(tmp_path)]) == 0
