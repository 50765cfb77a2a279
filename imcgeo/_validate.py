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

    def add(self, row: int | None, column: str | None, message: str, fix: str) -> None:
        self.items.append(Problem(row, column, message, fix))

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
    delimiter = _delimiter(text, [*columns, *optional], problems, need=len(columns))
    records = _parse(text, delimiter, problems)
    header = [h.strip() for h in records[0]]
    _check_header(header, columns, [*columns, *optional] if not extra_ok else None, problems)
    rows, numbers = [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.add(
                number,
                None,
                f"has {len(record)} fields but the header has {len(header)}",
                f"quote any field that contains '{_show(delimiter)}' or a line break, and give every row "
                f"{len(header)} fields",
            )
            continue
        rows.append([cell.strip() for cell in record])
        numbers.append(number)
    if not rows and not problems.items:
        problems.add(None, None, "has a header but no data rows", "add at least one row below the header")
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
                problems.add(
                    None,
                    None,
                    f"is {size / 2**20:.1f} MB, over the {MAX_BYTES // 2**20} MB limit",
                    "split the file or keep only the rows you need",
                )
                problems.raise_if_any()
            data = path.read_bytes()
        except FileNotFoundError:
            problems.add(None, None, "does not exist", "check the path, or restore the file from the repository")
            problems.raise_if_any()
        except IsADirectoryError:
            problems.add(None, None, "is a folder, not a file", "give the path of a CSV file")
            problems.raise_if_any()
        except OSError as exc:
            problems.add(None, None, f"cannot be read ({exc.strerror})", "check the file's permissions")
            problems.raise_if_any()
    if len(data) > MAX_BYTES:
        problems.add(
            None,
            None,
            f"is {len(data) / 2**20:.1f} MB, over the {MAX_BYTES // 2**20} MB limit",
            "split the file or keep only the rows you need",
        )
    elif not data.strip(b" \t\r\n\xef\xbb\xbf"):
        problems.add(None, None, "is empty", "save the file with a header row and at least one data row")
    elif _looks_binary(data):
        problems.add(
            None,
            None,
            "is not a text CSV file (it holds binary data)",
            "export the sheet as 'CSV UTF-8 (comma delimited)' and try that file",
        )
    problems.raise_if_any()
    return data


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


def _delimiter(text: str, columns: list[str], problems: Problems, need: int) -> str:
    """The delimiter under which the first line names the most known columns."""
    first = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    scores = {d: len({c.strip().strip('"') for c in first.split(d)} & set(columns)) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: scores[d])
    if scores[best] == 0 or scores[best] < need / 2:
        problems.add(
            1,
            None,
            f"the first line is not the expected header (it starts '{first[:60]}')",
            "make the first line the header: " + ",".join(columns[:need]),
        )
        problems.raise_if_any()
    return best


def _parse(text: str, delimiter: str, problems: Problems) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text.lstrip("\r\n"), newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        problems.add(None, None, f"is not valid CSV ({exc})", "close every quoted field with a matching '\"'")
        problems.raise_if_any()
    raise AssertionError("unreachable")


def _check_header(header: list[str], required: list[str], known: list[str] | None, problems: Problems) -> None:
    """Every required column present; with *known*, no column outside it (``None``: any extra is fine)."""
    seen = set()
    for name in header:
        if name in seen:
            problems.add(1, name, "appears twice in the header", "keep one column of each name")
        seen.add(name)
    extra = [h for h in header if known is not None and h not in known]
    for name in [c for c in required if c not in header]:
        close = difflib.get_close_matches(name, extra or [h for h in header if h not in required], n=1)
        hint = f"rename '{close[0]}' to '{name}'" if close else f"add a '{name}' column"
        problems.add(1, name, "is missing from the header", hint)
    for name in extra:
        close = difflib.get_close_matches(name, required, n=1)
        if close and close[0] not in header:
            continue  # already reported as a rename
        problems.add(1, name, "is not a known column", "remove it; the columns are " + ", ".join(known))
    problems.raise_if_any()


def _show(delimiter: str) -> str:
    return "\\t" if delimiter == "\t" else delimiter


# Field parsers: each returns the parsed value, or None after recording a problem.


def parse_date(value: str, row: int, column: str, problems: Problems, *, required: bool) -> pd.Timestamp | None:
    if not value:
        if required:
            problems.add(
                row, column, "is empty", "give a date as YYYY-MM-DD (the first of the month if only the month is known)"
            )
        return None
    if ISO_DATE.match(value):
        try:
            return pd.Timestamp(value)
        except ValueError:
            pass
    elif problems.lenient_dates:
        parsed, why = _common_date(value)
        if parsed is not None:
            return parsed
        if why:
            problems.add(
                row, column, f"'{value}' is ambiguous ({why})", "write it as YYYY-MM-DD, for example 2010-01-12"
            )
            return None
    problems.add(row, column, f"'{value}' is not a date", "write it as YYYY-MM-DD, for example 2010-01-12")
    return None


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}  # fmt: skip


def _common_date(value: str) -> tuple[pd.Timestamp | None, str]:
    """Dates as people type them: 2010/01/12, 12.01.2010, 12 January 2010, January 2010, 2010-01.

    A day/month order that cannot be told apart (03/04/2010) is refused rather than guessed.
    """
    text = value.strip()
    try:
        if m := re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", text):
            return pd.Timestamp(int(m[1]), int(m[2]), int(m[3])), ""
        if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
            first, second, year = int(m[1]), int(m[2]), int(m[3])
            if first > 12 >= second:
                return pd.Timestamp(year, second, first), ""
            if second > 12 >= first:
                return pd.Timestamp(year, first, second), ""
            if first == second:
                return pd.Timestamp(year, first, second), ""
            return None, "day and month could be either way round"
        if m := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]{3,})\.?,?\s+(\d{4})", text):
            return pd.Timestamp(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1])), ""
        if m := re.fullmatch(r"([A-Za-z]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})", text):
            return pd.Timestamp(int(m[3]), _MONTHS[m[1][:3].lower()], int(m[2])), ""
        if m := re.fullmatch(r"([A-Za-z]{3,})\.?,?\s+(\d{4})", text):
            return pd.Timestamp(int(m[2]), _MONTHS[m[1][:3].lower()], 1), ""
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            return pd.Timestamp(int(m[1]), int(m[2]), 1), ""
    except (KeyError, ValueError):
        return None, ""
    return None, ""


def parse_float(value: str, row: int, column: str, problems: Problems, low: float, high: float) -> float | None:
    try:
        number = float(value)
    except ValueError:
        problems.add(row, column, f"'{value}' is not a number", f"give decimal degrees between {low:g} and {high:g}")
        return None
    if not math.isfinite(number) or not low <= number <= high:
        problems.add(
            row,
            column,
            f"{value} is outside {low:g} to {high:g}",
            f"give decimal degrees between {low:g} and {high:g} (are latitude and longitude swapped?)",
        )
        return None
    return number


def check_vocabulary(value: str, row: int, column: str, allowed: tuple[str, ...], problems: Problems) -> bool:
    if value in allowed:
        return True
    close = difflib.get_close_matches(value.lower(), allowed, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    problems.add(row, column, f"'{value}' is not one of {', '.join(allowed)}", f"{hint}use one of the listed values")
    return False


def read_toml(path: Path) -> dict:
    """A TOML file's contents; a missing, unreadable or malformed file is a DataValidationError."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataValidationError(
            Path(path).name, [Problem(None, None, f"cannot be read ({exc})", "fix the TOML syntax")]
        ) from None
