"""Private plumbing: read a CSV from bytes or a path into string rows, collecting every problem."""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from imcgeo.errors import DataValidationError, Problem
from imcgeo.i18n import N_
from imcgeo.tables import heading_aliases

MAX_BYTES = 5 * 1024 * 1024
DELIMITERS = (",", ";", "\t")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Problems:
    """Collects problems for one file, then raises them all at once."""

    file: str
    items: list[Problem] = field(default_factory=list)
    #: Accept common date spellings besides ISO (for analysts' uploads; the shipped files are strict).
    lenient_dates: bool = False

    def add(self, row: int | None, column: str | None, message: str, fix: str, /, **params: object) -> None:
        """Record a problem; *message* and *fix* are English templates marked with N_, *params* their values."""
        self.items.append(Problem.of(row, column, message, fix, **params))

    def raise_if_any(self) -> None:
        if self.items:
            raise DataValidationError(self.file, self.items)


def read_rows(
    source: str | Path | bytes,
    name: str,
    columns: list[str],
    *,
    optional: tuple[str, ...] = (),
    extra_ok: bool = False,
) -> pd.DataFrame:
    """Read CSV *source* into a frame of stripped strings with a ``_row`` column (header = row 1).

    The frame has the *columns* (all required), then those of *optional* the file has, then,
    with *extra_ok*, any other columns. Raises DataValidationError naming *name* for anything
    that stops the file being read as such a table: missing file, too large, empty, binary,
    unknown header, missing or unknown columns, rows with the wrong number of fields.
    """
    problems = Problems(name)
    data = _read_bytes(source, problems)
    text = _decode(data, problems)
    # A CSV this project wrote in another language has translated headings: read back as the keys.
    aliases = heading_aliases([*columns, *optional])
    delimiter = _delimiter(text, [*columns, *optional], problems, need=len(columns), aliases=aliases)
    records = _parse(text, delimiter, problems)
    header = [_key(h.strip(), columns, optional, aliases) for h in records[0]]
    _check_header(header, columns, [*columns, *optional] if not extra_ok else None, problems)
    rows, numbers = [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.add(
                number,
                None,
                N_("has {fields} fields but the header has {header_fields}"),
                N_(
                    "quote any field that contains '{delimiter}' or a line break, "
                    "and give every row {header_fields} fields"
                ),
                fields=len(record),
                header_fields=len(header),
                delimiter=_show(delimiter),
            )
            continue
        rows.append([cell.strip() for cell in record])
        numbers.append(number)
    if not rows and not problems.items:
        problems.add(None, None, N_("has a header but no data rows"), N_("add at least one row below the header"))
    problems.raise_if_any()
    keep = [*columns, *(c for c in header if c not in columns)]
    frame = pd.DataFrame(rows, columns=header, dtype=object)[keep]
    frame.insert(0, "_row", numbers)
    return frame


def _read_bytes(source: str | Path | bytes, problems: Problems) -> bytes:
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                _too_large(size, problems)
                problems.raise_if_any()
            data = path.read_bytes()
        except FileNotFoundError:
            problems.add(
                None, None, N_("does not exist"), N_("check the path, or restore the file from the repository")
            )
            problems.raise_if_any()
        except IsADirectoryError:
            problems.add(None, None, N_("is a folder, not a file"), N_("give the path of a CSV file"))
            problems.raise_if_any()
        except OSError as exc:
            problems.add(
                None, None, N_("cannot be read ({error})"), N_("check the file's permissions"), error=exc.strerror
            )
            problems.raise_if_any()
    if len(data) > MAX_BYTES:
        _too_large(len(data), problems)
    elif not data.strip(b" \t\r\n\xef\xbb\xbf"):
        problems.add(None, None, N_("is empty"), N_("save the file with a header row and at least one data row"))
    elif _looks_binary(data):
        problems.add(
            None,
            None,
            N_("is not a text CSV file (it holds binary data)"),
            N_("export the sheet as 'CSV UTF-8 (comma delimited)' and try that file"),
        )
    problems.raise_if_any()
    return data


def _too_large(size: int, problems: Problems) -> None:
    problems.add(
        None,
        None,
        N_("is {size_mb:.1f} MB, over the {limit_mb} MB limit"),
        N_("split the file or keep only the rows you need"),
        size_mb=size / 2**20,
        limit_mb=MAX_BYTES // 2**20,
    )


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls > len(sample) * 0.01


def _decode(data: bytes, problems: Problems) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # latin-1 maps every byte, so a file that is neither UTF-8 nor Windows-1252 still loses nothing.
    return data.decode("latin-1")


def _key(heading: str, columns: list[str], optional: tuple[str, ...], aliases: dict[str, str]) -> str:
    """A header cell as a column key: itself when it is one, else the key its translated heading stands for."""
    if heading in columns or heading in optional:
        return heading
    return aliases.get(heading.casefold(), heading)


def _delimiter(
    text: str, columns: list[str], problems: Problems, need: int, aliases: dict[str, str] | None = None
) -> str:
    """The delimiter under which the first line names the most known columns (or their translated headings)."""
    first = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    aliases = aliases or {}

    def named(cell: str) -> str:
        cell = cell.strip().strip('"')
        return cell if cell in columns else aliases.get(cell.casefold(), cell)

    scores = {d: len({named(c) for c in first.split(d)} & set(columns)) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: scores[d])
    if scores[best] == 0 or scores[best] < need / 2:
        problems.add(
            1,
            None,
            N_("the first line is not the expected header (it starts '{start}')"),
            N_("make the first line the header: {header}"),
            start=first[:60],
            header=",".join(columns[:need]),
        )
        problems.raise_if_any()
    return best


def _parse(text: str, delimiter: str, problems: Problems) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text.lstrip("\r\n"), newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        problems.add(
            None,
            None,
            N_("is not valid CSV ({error})"),
            N_("close every quoted field with a matching '\"'"),
            error=str(exc),
        )
        problems.raise_if_any()
    raise AssertionError("unreachable")


def _check_header(header: list[str], required: list[str], known: list[str] | None, problems: Problems) -> None:
    """Every required column present; with *known*, no column outside it (``None``: any extra is fine)."""
    seen = set()
    for name in header:
        if name in seen:
            problems.add(1, name, N_("appears twice in the header"), N_("keep one column of each name"))
        seen.add(name)
    extra = [h for h in header if known is not None and h not in known]
    for name in [c for c in required if c not in header]:
        close = difflib.get_close_matches(name, extra or [h for h in header if h not in required], n=1)
        if close:
            problems.add(
                1, name, N_("is missing from the header"), N_("rename '{old}' to '{name}'"), old=close[0], name=name
            )
        else:
            problems.add(1, name, N_("is missing from the header"), N_("add a '{name}' column"), name=name)
    for name in extra:
        close = difflib.get_close_matches(name, required, n=1)
        if close and close[0] not in header:
            continue  # already reported as a rename
        problems.add(
            1, name, N_("is not a known column"), N_("remove it; the columns are {columns}"), columns=", ".join(known)
        )
    problems.raise_if_any()


def _show(delimiter: str) -> str:
    return "\\t" if delimiter == "\t" else delimiter


# Field parsers: each returns the parsed value, or None after recording a problem.


def parse_date(value: str, row: int, column: str, problems: Problems, *, required: bool) -> pd.Timestamp | None:
    if not value:
        if required:
            problems.add(
                row,
                column,
                N_("is empty"),
                N_("give a date as YYYY-MM-DD (the first of the month if only the month is known)"),
            )
        return None
    if ISO_DATE.match(value):
        try:
            return pd.Timestamp(value)
        except ValueError:
            pass
    elif problems.lenient_dates:
        parsed, ambiguous = _common_date(value)
        if parsed is not None:
            return parsed
        if ambiguous:
            problems.add(
                row,
                column,
                N_("'{value}' is ambiguous (day and month could be either way round)"),
                N_("write it as YYYY-MM-DD, for example 2010-01-12"),
                value=value,
            )
            return None
    problems.add(
        row, column, N_("'{value}' is not a date"), N_("write it as YYYY-MM-DD, for example 2010-01-12"), value=value
    )
    return None


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}  # fmt: skip


def _common_date(value: str) -> tuple[pd.Timestamp | None, bool]:
    """Dates as people type them: 2010/01/12, 12.01.2010, 12 January 2010, January 2010, 2010-01.

    A day/month order that cannot be told apart (03/04/2010) is refused rather than guessed.
    Returns the date (None if not read) and whether it was refused for that ambiguity.
    """
    text = value.strip()
    try:
        if m := re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", text):
            return pd.Timestamp(int(m[1]), int(m[2]), int(m[3])), False
        if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
            first, second, year = int(m[1]), int(m[2]), int(m[3])
            if first > 12 >= second:
                return pd.Timestamp(year, second, first), False
            if second > 12 >= first:
                return pd.Timestamp(year, first, second), False
            if first == second:
                return pd.Timestamp(year, first, second), False
            return None, True  # day and month could be either way round
        if m := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]{3,})\.?,?\s+(\d{4})", text):
            return pd.Timestamp(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1])), False
        if m := re.fullmatch(r"([A-Za-z]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})", text):
            return pd.Timestamp(int(m[3]), _MONTHS[m[1][:3].lower()], int(m[2])), False
        if m := re.fullmatch(r"([A-Za-z]{3,})\.?,?\s+(\d{4})", text):
            return pd.Timestamp(int(m[2]), _MONTHS[m[1][:3].lower()], 1), False
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            return pd.Timestamp(int(m[1]), int(m[2]), 1), False
    except (KeyError, ValueError):
        return None, False
    return None, False


def parse_float(value: str, row: int, column: str, problems: Problems, low: float, high: float) -> float | None:
    try:
        number = float(value)
    except ValueError:
        problems.add(
            row,
            column,
            N_("'{value}' is not a number"),
            N_("give decimal degrees between {low} and {high}"),
            value=value,
            low=low,
            high=high,
        )
        return None
    if not math.isfinite(number) or not low <= number <= high:
        problems.add(
            row,
            column,
            N_("{value} is outside {low} to {high}"),
            N_("give decimal degrees between {low} and {high} (are latitude and longitude swapped?)"),
            value=value,
            low=low,
            high=high,
        )
        return None
    return number


def end_before_start(end: str, start: str, row: int, problems: Problems) -> None:
    """Record that a row's ``end`` comes before its ``start`` (both as the file writes them)."""
    problems.add(row, "end", N_("{end} is before the start {start}"), N_("check both dates"), end=end, start=start)


def check_vocabulary(value: str, row: int, column: str, allowed: tuple[str, ...], problems: Problems) -> bool:
    if value in allowed:
        return True
    close = difflib.get_close_matches(value.lower(), allowed, n=1)
    message = N_("'{value}' is not one of {allowed}")
    if close:
        fix = N_("did you mean '{suggestion}'? use one of the listed values")
        problems.add(row, column, message, fix, value=value, allowed=", ".join(allowed), suggestion=close[0])
    else:
        fix = N_("use one of the listed values")
        problems.add(row, column, message, fix, value=value, allowed=", ".join(allowed))
    return False


def read_toml(path: Path) -> dict:
    """A TOML file's contents; a missing, unreadable or malformed file is a DataValidationError."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problem = Problem.of(None, None, N_("cannot be read ({error})"), N_("fix the TOML syntax"), error=str(exc))
        raise DataValidationError(Path(path).name, [problem]) from None
