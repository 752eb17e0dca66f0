"""The program-history file formats (contract version 1, docs/history-import.md) and the
reading of one CSV file into rows: encoding, header, cells. Row validation lives in
``importer.py``.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

#: The files in the order they load; a later file may refer to rows of an earlier one.
FILE_ORDER = [
    "districts.csv",
    "facilitators.csv",
    "meetings.csv",
    "evaluations.csv",
    "dispute_stats.csv",
]

#: file name → {column: required}
COLUMNS = {
    "districts.csv": {"code": True, "name": True, "region": True},
    "facilitators.csv": {
        "email": True,
        "first_name": True,
        "last_name": True,
        "regions": False,
        "languages": False,
        "active": False,
    },
    "meetings.csv": {
        "reference": True,
        "district_code": True,
        "requested_on": True,
        "requested_by": True,
        "facilitator_email": False,
        "status": True,
        "meeting_date": False,
        "outcome": False,
    },
    "evaluations.csv": {
        "meeting_reference": True,
        "response_id": True,
        "respondent_role": True,
        "submitted_on": False,
        "satisfaction": False,
        "would_recommend": False,
    },
    "dispute_stats.csv": {
        "school_year": True,
        "child_complaints": True,
        "allegations": True,
        "mediations": False,
        "due_process": False,
    },
}

REQUESTED_BY = ["parent", "district", "joint"]
MEETING_STATUSES = ["held", "cancelled", "withdrawn", "declined"]
OUTCOMES = ["all", "some", "none"]
RESPONDENT_ROLES = [
    "parent",
    "student",
    "general_educator",
    "special_educator",
    "administrator",
    "related_services",
    "advocate",
    "other",
]
SATISFACTION = ["very_satisfied", "satisfied", "dissatisfied", "very_dissatisfied"]
YES_NO = ["yes", "no"]

#: Largest accepted file (bytes); the upload form uses the same limit.
MAX_FILE_BYTES = 5 * 1024 * 1024

#: How many problems are listed before "… and N more".
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, row or file."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self):
        if self.column:
            return f"{self.file}:{self.line}: column {self.column}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class Row:
    """One data row: its line in the file and its cells by (lower-case) column name."""

    line: int
    cells: dict


@dataclass
class Table:
    """One file read: its columns, its rows and what was wrong with its shape."""

    name: str
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    #: False when the file could not be read or its header is wrong: its rows are then
    #: not checked one by one (every one would repeat the header's problem).
    header_ok: bool = True


def _line_of_byte(data, position):
    return data.count(b"\n", 0, position) + 1


def _failed(table, problem):
    table.problems.append(problem)
    table.header_ok = False
    return table


def read_table(name, data):
    """Decode ``data`` (bytes) as the UTF-8 CSV file ``name`` and check its header.

    A leading BOM is dropped, header names are matched case-insensitively and trimmed,
    cells are trimmed, blank lines are skipped. Returns a :class:`Table`.
    """
    table = Table(name)
    spec = COLUMNS[name]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_of_byte(data, exc.start)
        return _failed(
            table, Problem(name, line, "", _("the file is not UTF-8 text (save it as CSV UTF-8)"))
        )
    if "\x00" in text:
        return _failed(table, Problem(name, 1, "", _("the file is not a CSV text file")))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
    except csv.Error as exc:
        return _failed(table, Problem(name, reader.line_num, "", str(exc)))
    if header is None:
        return _failed(table, Problem(name, 1, "", _("the file is empty (no header row)")))
    header_line = reader.line_num
    columns = [cell.strip().lower() for cell in header]
    seen = set()
    for original, column in zip(header, columns, strict=True):
        if not column:
            table.problems.append(Problem(name, header_line, "", _("a column has no name")))
        elif column not in spec:
            table.problems.append(
                Problem(
                    name,
                    header_line,
                    original.strip(),
                    _("unknown column (the columns of this file are: %(columns)s)")
                    % {"columns": ", ".join(spec)},
                )
            )
        elif column in seen:
            table.problems.append(Problem(name, header_line, column, _("the column appears twice")))
        seen.add(column)
    for column, required in spec.items():
        if required and column not in seen:
            table.problems.append(
                Problem(name, header_line, column, _("required column is missing"))
            )
    table.columns = columns
    table.header_ok = not table.problems
    line = header_line
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                table.problems.append(
                    Problem(
                        name,
                        start,
                        "",
                        _("the row has %(found)s cells but the header has %(expected)s")
                        % {"found": len(cells), "expected": len(columns)},
                    )
                )
                continue
            values = dict.fromkeys(spec, "")
            for column, cell in zip(columns, cells, strict=False):
                if column in spec:
                    values[column] = cell.strip()
            table.rows.append(Row(start, values))
    except csv.Error as exc:
        table.problems.append(Problem(name, reader.line_num, "", str(exc)))
    return table
