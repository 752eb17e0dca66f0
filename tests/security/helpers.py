"""Requesting a matrix entry as a role, classifying the answer, and database snapshots."""

import hashlib
from urllib.parse import urlparse

from django.db import connection
from django.test import Client
from django.urls import reverse

from .matrix import LOGGED_IN

#: Tables a request may always write to: the record of access (written on every look at a
#: student's record, denied attempts included), sessions (idle timeout, log-in) and the
#: log-in throttling counters.
#: Tables a GET may write: the access log, sessions, and the stored counts of closed
#: school years (a derived cache the figures pages fill on first view, no record changes).
ALWAYS_WRITABLE = {"fiep_accesslog", "django_session", "reports_metricscache"}
ALWAYS_WRITABLE_PREFIXES = ("axes_",)


def client_for(world, role, entry=None):
    client = Client()
    if role in LOGGED_IN:
        client.force_login(world.users[role])
    if entry is not None and entry.prepare is not None:
        entry.prepare(client, world, role)
    return client


def url_for(world, name, entry, role):
    return reverse(name, kwargs=entry.kwargs(world, role)) + entry.query.format(w=world)


def request_as(world, name, entry, role, method=None, client=None):
    method = method or entry.method
    client = client or client_for(world, role, entry)
    url = url_for(world, name, entry, role)
    if method == "POST":
        return client.post(url, {})
    return client.get(url)


def classify(response, method):
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        if urlparse(response["Location"]).path == reverse("login"):
            return "login"
        return "allow"
    if code == 200 and response.context is not None:
        try:
            if response.context["validlink"] is False:
                return "invalid-link"
        except KeyError:
            pass
    if 200 <= code < 300:
        return "allow"
    if code == 400 and method == "POST":
        return "allow"  # the empty form was refused as invalid: the function is open
    if code in (403, 404, 405):
        return str(code)
    return f"unexpected {code}"


def _writable(table, extra):
    return table in ALWAYS_WRITABLE or table in extra or table.startswith(ALWAYS_WRITABLE_PREFIXES)


def snapshot(extra_writable=()):
    """A checksum of every table's rows (order-independent), minus the writable tables."""
    result = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if _writable(table, extra_writable):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def changed_tables(before, after):
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
