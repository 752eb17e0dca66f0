"""The program-history file formats (contract version 1, docs/history-import.md) and the
reading of one CSV file into rows: encoding, header, cells. Row validation lives in
``importer.py``.
"""

import codecs
import csv
import io
from dataclasses import dataclass, field
from os import PathLike

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

#: Largest file the upload page accepts (bytes). Django streams an upload larger than
#: FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file; the worker reads it line by line.
MAX_FILE_BYTES = 200 * 1024 * 1024

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


#: The columns whose values the importer collects while it first reads a file (to look up
#: existing records once): file name → columns.
KEY_COLUMNS = {
    "districts.csv": ["code"],
    "facilitators.csv": ["email"],
    "meetings.csv": ["reference", "district_code", "facilitator_email"],
    "evaluations.csv": ["meeting_reference"],
}


class Unreadable(Exception):
    """A line of the file is not UTF-8 text or holds a NUL byte."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line
        self.message = message


def _open(source):
    """A binary file for ``source``: bytes, a path, or a seekable binary file."""
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source), True
    if isinstance(source, str | PathLike):
        return open(source, "rb"), True  # noqa: SIM115 - closed by the caller
    source.seek(0)
    return source, False


def _decoded_lines(binary):
    """The file's lines decoded one by one (a BOM dropped): memory stays one line."""
    for number, raw in enumerate(binary, 1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Unreadable(
                number, _("the file is not UTF-8 text (save it as CSV UTF-8)")
            ) from None
        if "\x00" in text:
            raise Unreadable(number, _("the file is not a CSV text file"))
        yield text


@dataclass
class Table:
    """One file: its columns, what was wrong with its shape, the values of its key
    columns; its rows are read again from the file each time :attr:`rows` is iterated
    (the file is never held in memory)."""

    name: str
    source: object = None
    columns: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    #: False when the file could not be read or its header is wrong: its rows are then
    #: not checked one by one (every one would repeat the header's problem).
    header_ok: bool = True
    #: column → the set of its non-empty values (:data:`KEY_COLUMNS`).
    keys: dict = field(default_factory=dict)
    #: How many data rows the file has (blank lines not counted).
    row_count: int = 0
    header_line: int = 1

    @property
    def rows(self):
        """Every well-formed data row, read from the file (problems were recorded when
        the file was first read by :func:`read_table`)."""
        if not self.header_ok:
            return
        binary, close = _open(self.source)
        try:
            reader = csv.reader(_decoded_lines(binary))
            for _ in range(self.header_line):
                next(reader)
            yield from self._rows(reader, self.header_line, None)
        except (Unreadable, csv.Error):
            return
        finally:
            if close:
                binary.close()

    def _rows(self, reader, line, problems):
        spec = COLUMNS[self.name]
        columns = self.columns
        width = len(columns)
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > width:
                if problems is not None:
                    problems.append(
                        Problem(
                            self.name,
                            start,
                            "",
                            _("the row has %(found)s cells but the header has %(expected)s")
                            % {"found": len(cells), "expected": width},
                        )
                    )
                continue
            values = dict.fromkeys(spec, "")
            for column, cell in zip(columns, cells, strict=False):
                if column in spec:
                    values[column] = cell.strip()
            yield Row(start, values)


def _failed(table, problem):
    table.problems.append(problem)
    table.header_ok = False
    return table


def read_table(name, source):
    """Open ``source`` (bytes, a path or a binary file) as the UTF-8 CSV file ``name``:
    check its header, then read it once, line by line, recording every problem of its
    shape (encoding, cells per row) and collecting the values of its key columns.

    A leading BOM is dropped, header names are matched case-insensitively and trimmed,
    cells are trimmed, blank lines are skipped. Returns a :class:`Table`.
    """
    table = Table(name, source)
    spec = COLUMNS[name]
    binary, close = _open(source)
    try:
        reader = csv.reader(_decoded_lines(binary))
        try:
            header = next(reader, None)
            while header is not None and not any(cell.strip() for cell in header):
                header = next(reader, None)
        except Unreadable as exc:
            return _failed(table, Problem(name, exc.line, "", exc.message))
        except csv.Error as exc:
            return _failed(table, Problem(name, reader.line_num, "", str(exc)))
        if header is None:
            return _failed(table, Problem(name, 1, "", _("the file is empty (no header row)")))
        table.header_line = header_line = reader.line_num
        _check_header(table, header, spec, header_line)
        if not table.header_ok:
            return table
        wanted = [c for c in KEY_COLUMNS.get(name, []) if c in table.columns]
        keys = {column: set() for column in wanted}
        count = 0
        try:
            for row in table._rows(reader, header_line, table.problems):
                count += 1
                for column in wanted:
                    value = row.cells[column]
                    if value:
                        keys[column].add(value)
        except Unreadable as exc:
            return _failed(table, Problem(name, exc.line, "", exc.message))
        except csv.Error as exc:
            table.problems.append(Problem(name, reader.line_num, "", str(exc)))
        table.keys = keys
        table.row_count = count
        return table
    finally:
        if close:
            binary.close()


def _check_header(table, header, spec, header_line):
    name = table.name
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
