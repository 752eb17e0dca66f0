"""The one CSV writer of every export (inbox, roster, approved claims, reports).

Names, schools and notes come from the public form, imported history or staff input; a
spreadsheet opening the file would run a cell that starts with ``= + - @``, a tab or a
carriage return as a formula (``=HYPERLINK(...)`` sends data away; OWASP "CSV
injection"). Such a cell is written with a leading ``'``, which spreadsheets show as
text. A plain number (``-3``, ``+0.25``, ``1e-3``) is not a formula and is written as is,
so figures stay numbers.
"""

import csv
import re

#: First characters that make a spreadsheet evaluate a cell.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value):
    """``value`` as CSV cell text a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **kwargs):
    """A CSV writer for an export (same arguments as ``csv.writer``)."""
    return SafeWriter(stream, **kwargs)
