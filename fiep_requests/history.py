"""The change history (django-simple-history) as rows for the staff case page.

Each app registers a case panel that passes its objects' historical records through
:func:`change_rows` and renders ``fiep_requests/_changes.html``; the request's own
changes are shown by the case page itself. Only program staff see change history.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import timezone
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


def _name_of(obj):
    """A person by name (``User.display_name``), anything else as it prints itself."""
    return getattr(obj, "display_name", None) or str(obj)


def _shown(model_field, value, names):
    """``value`` of ``model_field`` as staff read it: labels for choices, people's and
    objects' names for foreign keys (``names``: ``{(model, pk): name}``), date-times on the
    state's wall clock."""
    if value is None or value == "":
        return "—"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return names.get((model_field.related_model, value), f"#{value}")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, zoneinfo.ZoneInfo(settings.TIME_ZONE))
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, dict):
        return ", ".join(f"{key}: {number}" for key, number in value.items()) or "—"
    return str(value)


def _foreign_names(deltas):
    """``{(model, pk): name}`` for every foreign key value in ``deltas``, one query a model."""
    wanted = {}
    for model_field, old, new in deltas:
        if isinstance(model_field, models.ForeignKey) and not getattr(model_field, "choices", None):
            for value in (old, new):
                if value not in (None, ""):
                    wanted.setdefault(model_field.related_model, set()).add(value)
    names = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = _name_of(obj)
    return names


def change_rows(records, what):
    """``records``: historical records of any objects of one model (a queryset or list).
    Returns :class:`ChangeRow` items, newest first; ``what`` labels the object
    (a callable taking the record, or a string)."""
    records = list(records)
    by_object = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
    pending = []  # (record, [(model_field, old, new)]) in order, values not yet shown
    for history in by_object.values():
        previous = None
        for record in history:
            model = record.instance_type
            deltas = []
            if previous is not None and record.history_type == "~":
                delta = record.diff_against(previous, foreign_keys_are_objs=False)
                for change in delta.changes:
                    if change.field in SKIPPED:
                        continue
                    deltas.append((model._meta.get_field(change.field), change.old, change.new))
                if not deltas:
                    previous = record
                    continue
            pending.append((record, deltas))
            previous = record
    names = _foreign_names(delta for _record, deltas in pending for delta in deltas)
    rows = []
    for record, deltas in pending:
        user = record.history_user
        rows.append(
            ChangeRow(
                at=record.history_date,
                by=_name_of(user) if user is not None else str(_("system")),
                what=what(record) if callable(what) else str(what),
                kind=str(KINDS.get(record.history_type, record.history_type)),
                fields=[
                    (
                        str(model_field.verbose_name),
                        _shown(model_field, old, names),
                        _shown(model_field, new, names),
                    )
                    for model_field, old, new in deltas
                ],
            )
        )
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows


def changes_panel(title, records, what):
    """A case-panel tuple for ``fiep_requests/_changes.html``, or None with no changes."""
    rows = change_rows(records, what)
    if not rows:
        return None
    return ("fiep_requests/_changes.html", {"title": title, "changes": rows})
