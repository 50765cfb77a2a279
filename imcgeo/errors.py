"""Errors that people read: every problem in a file, each with its row, column and fix, in English or French.

A problem keeps its message and fix as English templates with named placeholders (marked with
``N_`` where they are written, so Babel puts them in the catalogue) and the values that fill
them. ``str()`` gives the English; ``text(tr)`` the words of a translator's language. The values
are the file's own (a cell, a column name, a code) and are never translated; numbers are counts
or measures and are written the language's way (``2,500`` / ``2 500``).

>>> problem = Problem.of(3, "host_iso3", "'{code}' is not a known ISO 3166-1 alpha-3 code",
...                      "use three capital letters such as HTI", code="ZZZ")
>>> print(problem)
row 3, column 'host_iso3': 'ZZZ' is not a known ISO 3166-1 alpha-3 code. Fix: use three capital letters such as HTI
>>> print(DataValidationError("missions.csv", [problem]).text(translator("en")).splitlines()[0])
missions.csv: 1 problem
"""

from __future__ import annotations

import numbers
import re
import string
from dataclasses import dataclass
from typing import Protocol

from imcgeo.i18n import N_, translator

__all__ = ["DataValidationError", "Params", "Problem", "Reader"]

#: The values that fill a problem's templates, as (placeholder, value) pairs (hashable).
Params = tuple[tuple[str, object], ...]


class Reader(Protocol):
    """What rendering a problem needs of a translator (imcgeo.i18n.Translator has it all)."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...

    def format_number(self, number: float, decimals: int | None = None) -> str: ...


@dataclass(frozen=True)
class Problem:
    """One problem in a file.

    ``row`` counts as a spreadsheet does: the header is row 1, the first data row is row 2;
    ``None`` for problems of the whole file. ``message`` and ``fix`` are English templates
    (``"'{code}' is not a known code"``) and ``params`` the values of their placeholders. A value
    that is an int or float is a count or a measure, written with the language's grouping and
    decimal sign (``{size_mb:.1f}`` fixes the decimals); pass a row number or a year as text.
    """

    row: int | None
    column: str | None
    message: str
    fix: str
    params: Params = ()

    @classmethod
    def of(cls, row: int | None, column: str | None, message: str, fix: str, /, **params: object) -> Problem:
        """A problem whose templates take the keyword arguments as values."""
        return cls(row, column, message, fix, tuple(sorted(params.items())))

    def message_text(self, tr: Reader | None = None) -> str:
        """What is wrong, in the translator's language (English without one)."""
        return _render(self.message, self.params, tr)

    def fix_text(self, tr: Reader | None = None) -> str:
        """What to do about it, in the translator's language (English without one)."""
        return _render(self.fix, self.params, tr)

    def text(self, tr: Reader | None = None) -> str:
        """The whole problem in the translator's language: where it is, what is wrong, and the fix."""
        tr = tr or translator("en")
        where = []
        if self.row:
            where.append(_render(N_("row {row}"), (("row", str(self.row)),), tr))
        if self.column:
            where.append(_render(N_("column '{column}'"), (("column", self.column),), tr))
        parts = {"message": self.message_text(tr), "fix": self.fix_text(tr)}
        if where:
            return _render(N_("{where}: {message}. Fix: {fix}"), (("where", ", ".join(where)), *parts.items()), tr)
        return _render(N_("{message}. Fix: {fix}"), tuple(parts.items()), tr)

    def __str__(self) -> str:
        return self.text()


class DataValidationError(ValueError):
    """A data file failed validation; ``problems`` lists every problem found, not just the first.

    ``str()`` is the English; ``text(tr)`` the same lines in the translator's language.
    """

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = list(problems)
        super().__init__(self.text())

    def text(self, tr: Reader | None = None) -> str:
        """The file, how many problems, then one line per problem, in the translator's language."""
        tr = tr or translator("en")
        count = len(self.problems)
        head = tr.ngettext("{file}: {n} problem", "{file}: {n} problems", count)
        lines = [_render(head, (("file", self.file), ("n", count)), tr)]
        lines += [f"  - {p.text(tr)}" for p in self.problems]
        return "\n".join(lines)

    def __reduce__(self):
        # ValueError pickles its args (the text); rebuild from the file and problems instead.
        return type(self), (self.file, self.problems)


_DECIMALS = re.compile(r",?\.(\d+)f")


class _Formatter(string.Formatter):
    """str.format, but a number is written by the translator (``2 500``, ``2,5``)."""

    def __init__(self, tr: Reader) -> None:
        self.tr = tr

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            if not format_spec:
                return self.tr.format_number(value)
            if match := _DECIMALS.fullmatch(format_spec):
                return self.tr.format_number(value, int(match[1]))
        return format(value, format_spec)


def _render(template: str, params: Params, tr: Reader | None) -> str:
    """The template in the translator's language, filled with the params.

    A template without params is shown as it stands (problems built before templates existed
    hold finished text, which may contain braces). A translation whose placeholders do not match
    falls back to the English rather than hide the problem.
    """
    tr = tr or translator("en")
    translated = tr.gettext(template)
    if not params:
        return translated
    values = dict(params)
    for text in (translated, template):
        try:
            return _Formatter(tr).vformat(text, (), values)
        except (KeyError, IndexError, ValueError):
            continue
    return template
