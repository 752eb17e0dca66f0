"""The change history (django-simple-history) as rows for the staff case page.

Each app registers a case panel that passes its objects' historical records through
:func:`change_rows` and renders ``fiep_requests/_changes.html``; the request's own
changes are shown by the case page itself. Only program staff see change history.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

#: Fields never worth showing as a change (bookkeeping).
SKIPPED = {"updated_at", "sequence", "resend_count"}

KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class ChangeRow:
    at: object
    by: str
    what: str
    kind: str
    fields: list = field(default_factory=list)  # [(label, old, new), …]


def _shown(model_field, value):
    if value is None or value == "":
        return "—"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return f"#{value}"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def change_rows(records, what):
    """``records``: historical records of any objects of one model (a queryset or list).
    Returns :class:`ChangeRow` items, newest first; ``what`` labels the object
    (a callable taking the record, or a string)."""
    records = list(records)
    by_object = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
    rows = []
    for history in by_object.values():
        previous = None
        for record in history:
            model = record.instance_type
            fields = []
            if previous is not None and record.history_type == "~":
                delta = record.diff_against(previous, foreign_keys_are_objs=False)
                for change in delta.changes:
                    if change.field in SKIPPED:
                        continue
                    model_field = model._meta.get_field(change.field)
                    fields.append(
                        (
                            str(model_field.verbose_name),
                            _shown(model_field, change.old),
                            _shown(model_field, change.new),
                        )
                    )
                if not fields:
                    previous = record
                    continue
            user = record.history_user
            rows.append(
                ChangeRow(
                    at=record.history_date,
                    by=str(user) if user is not None else str(_("system")),
                    what=what(record) if callable(what) else str(what),
                    kind=str(KINDS.get(record.history_type, record.history_type)),
                    fields=fields,
                )
            )
            previous = record
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows


def changes_panel(title, records, what):
    """A case-panel tuple for ``fiep_requests/_changes.html``, or None with no changes."""
    rows = change_rows(records, what)
    if not rows:
        return None
    return ("fiep_requests/_changes.html", {"title": title, "changes": rows})
