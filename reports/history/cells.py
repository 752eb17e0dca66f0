"""Checking the cells of one row: each check records a problem and returns None when the
cell is wrong, so every problem of a row is reported, not only the first.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .formats import Problem


class RowCells:
    """The cells of one row of one file, with checks that report into ``problems``."""

    def __init__(self, table, row, problems):
        self.file = table.name
        self.row = row
        self.line = row.line
        self.problems = problems
        self.failed = False

    def error(self, column, message):
        self.failed = True
        self.problems.append(Problem(self.file, self.line, column, message))

    def raw(self, column):
        return self.row.cells.get(column, "")

    def text(self, column, *, required=False, max_length=None):
        value = self.raw(column)
        if not value:
            if required:
                self.error(column, _("a value is required"))
            return value
        if max_length and len(value) > max_length:
            self.error(
                column,
                _("too long: %(length)s characters, at most %(max)s")
                % {"length": len(value), "max": max_length},
            )
            return None
        return value

    def date(self, column, *, required=False):
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            if len(value) != 10:
                raise ValueError(value)
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.error(
                column, _("%(value)r is not a date like 2017-03-31 (YYYY-MM-DD)") % {"value": value}
            )
            return None

    def choice(self, column, allowed, *, required=False):
        value = self.text(column, required=required)
        if not value:
            return value
        if value.lower() not in allowed:
            self.error(
                column,
                _("%(value)r is not one of: %(allowed)s")
                % {"value": value, "allowed": ", ".join(allowed)},
            )
            return None
        return value.lower()

    def count(self, column, *, required=False):
        value = self.text(column, required=required)
        if not value:
            return None
        if not value.isascii() or not value.isdigit():
            self.error(column, _("%(value)r is not a whole number of 0 or more") % {"value": value})
            return None
        number = int(value)
        if number > 2_000_000_000:
            self.error(column, _("%(value)s is too large") % {"value": value})
            return None
        return number

    def email(self, column, *, required=False):
        value = self.text(column, required=required, max_length=254)
        if not value:
            return value
        try:
            validate_email(value)
        except ValidationError:
            self.error(column, _("%(value)r is not an e-mail address") % {"value": value})
            return None
        return value

    def names(self, column, *, max_length):
        """A ``;``-separated list of names: trimmed, blanks dropped, repeats once."""
        value = self.text(column)
        if not value:
            return [] if value == "" else None
        names = []
        for name in (part.strip() for part in value.split(";")):
            if not name or name.lower() in (n.lower() for n in names):
                continue
            if len(name) > max_length:
                self.error(
                    column,
                    _("%(value)r is too long (at most %(max)s characters)")
                    % {"value": name, "max": max_length},
                )
                return None
            names.append(name)
        return names
