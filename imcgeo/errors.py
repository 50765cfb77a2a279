"""Errors that people read: every problem in a file, each with its row, column and fix."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DataValidationError", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One problem in a file.

    ``row`` counts as a spreadsheet does: the header is row 1, the first data row is row 2;
    ``None`` for problems of the whole file.
    """

    row: int | None
    column: str | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (f"row {self.row}" if self.row else "", f"column '{self.column}'" if self.column else "")
            if part
        )
        return f"{where + ': ' if where else ''}{self.message}. Fix: {self.fix}"


class DataValidationError(ValueError):
    """A data file failed validation; ``problems`` lists every problem found, not just the first."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = list(problems)
        count = len(self.problems)
        lines = [f"{file}: {count} problem{'s' if count != 1 else ''}"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))
