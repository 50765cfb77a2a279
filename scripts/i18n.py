"""Keep the translations in step with the code: extract -> update -> compile, in one command.

    python scripts/i18n.py            # extract every marked string, update each .po, compile and check
    python scripts/i18n.py --check    # change nothing; exit 1 if a catalogue is stale, untranslated or broken

1. extract: Babel reads the files babel.cfg names (dashboard.py and imcgeo/**.py for ``_``,
   ``gettext``, ``ngettext``, ``pgettext`` and ``N_``; the vocabulary labels of imcgeo/vocab.py;
   the scene titles and captions of data/scenes.toml) into a template, in memory.
2. update: each language's imcgeo/locale/<lang>/LC_MESSAGES/imcgeo.po gets the new messages
   (empty, for a translator to fill in); a changed English text is matched to its old
   translation and marked fuzzy, to be checked; messages gone from the code are kept at the end
   as obsolete (``#~``) so their translations are not lost.
3. compile: each catalogue is compiled in memory exactly as imcgeo.i18n does at run time and
   checked (placeholders such as ``{n}`` must match); the script lists what is untranslated or
   fuzzy. No .mo file is written: the application compiles the .po when French is first used.

Then translate what it lists (in the .po, remove ``#, fuzzy`` once a translation is checked) and
run it again until it reports nothing to do.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # babel.cfg names extractors in imcgeo.i18n

from imcgeo import __version__  # noqa: E402
from imcgeo.i18n import DEFAULT_LANGUAGE, DOMAIN, LANGUAGES, compile_catalogue, po_path  # noqa: E402

PROJECT = "imcgeo"
COPYRIGHT = "the imcgeo authors"
HEADER = """\
# {language} translations of imcgeo: every message a person reads.
# Made by: python scripts/i18n.py (extract, update, compile); translate the empty msgstr lines.
# Distributed under the same licence as the imcgeo project."""


def extract(root: Path = ROOT) -> Catalog:
    """Every message babel.cfg finds under root, as a template catalogue (locations without line numbers)."""
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog(project=PROJECT, copyright_holder=COPYRIGHT, domain=DOMAIN, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords={}, strip_comment_tags=True
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def updated(template: Catalog, lang: str) -> Catalog:
    """The language's catalogue brought up to the template (a new one when it does not exist yet).

    The header's dates change only when a message does, so a run with nothing new writes nothing.
    """
    path = po_path(lang)
    if path.exists():
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=lang, domain=DOMAIN)
        before = render(catalogue)
        template.creation_date = catalogue.creation_date
        catalogue.update(template, update_header_comment=False)
        for key in [key for key, message in catalogue.obsolete.items() if not message.string]:
            del catalogue.obsolete[key]  # nothing to keep: it was never translated
        if render(catalogue) != before:
            catalogue.revision_date = datetime.now(UTC)
    else:
        catalogue = Catalog(locale=lang, domain=DOMAIN, project=PROJECT, copyright_holder=COPYRIGHT, charset="utf-8")
        catalogue.update(template)
        catalogue.revision_date = catalogue.creation_date
    catalogue.header_comment = HEADER.format(language=Locale.parse(lang).english_name)
    catalogue.version = __version__
    catalogue.msgid_bugs_address = "the imcgeo issue tracker"
    catalogue.fuzzy = False  # the header: filled in by this script, nothing for a translator to check
    catalogue.last_translator = f"{COPYRIGHT} <see git log>"
    catalogue.language_team = f"{Locale.parse(lang).english_name} (imcgeo)"
    return catalogue


def render(catalogue: Catalog) -> bytes:
    """The .po text: no line numbers (a moved line is not a change), obsolete messages kept at the end."""
    buffer = io.BytesIO()
    write_po(buffer, catalogue, include_lineno=False, ignore_obsolete=False, width=100)
    return buffer.getvalue()


def problems(catalogue: Catalog) -> list[str]:
    """What a translator still has to do, and what would break at run time, one line each."""
    found = []
    for message in catalogue:
        if not message.id:
            continue
        where = ", ".join(sorted({f for f, _ in message.locations})) or "?"
        text = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"fuzzy (check the translation, then remove '#, fuzzy'): {text!r} ({where})")
        elif not all(strings):
            found.append(f"untranslated: {text!r} ({where})")
        for error in message.check(catalogue) if all(strings) else ():
            found.append(f"broken: {text!r}: {error}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything is to do")
    args = parser.parse_args(argv)
    template = extract()
    print(f"extract: {len(template)} messages from {ROOT.name}/ (babel.cfg)")
    status = 0
    for lang in LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue  # the source language: the messages are the English
        path = po_path(lang)
        catalogue = updated(template, lang)
        text = render(catalogue)
        stale = not path.exists() or path.read_bytes() != text
        if args.check:
            if stale:
                print(f"update: {path.relative_to(ROOT)} is out of date with the code; run python scripts/i18n.py")
                status = 1
        elif stale:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text)
            print(f"update: wrote {path.relative_to(ROOT)}")
        else:
            print(f"update: {path.relative_to(ROOT)} already up to date")
        todo = problems(catalogue)
        if not args.check or not stale:
            compile_catalogue(path)
        print(f"compile: {lang}: {len(catalogue) - len(todo)} of {len(catalogue)} messages ready")
        for line in todo:
            print(f"  {line}")
        status = status or (1 if todo else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
