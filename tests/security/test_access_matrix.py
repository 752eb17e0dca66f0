"""The access matrix: every URL pattern × every role, with real objects (issue 8).

A URL pattern without an entry in ``matrix.MATRIX`` fails ``test_every_pattern_has_an_entry``.
Each role's request runs in a savepoint that is rolled back, so an allowed POST does not
change the world the next role sees. A denied POST must change nothing.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from tests import factories

from . import conftest
from .helpers import changed_tables, classify, client_for, request_as, snapshot
from .matrix import MATRIX, ROLES
from .urlmap import SKIPPED, all_patterns, covered_patterns

DENIED = {"login", "403", "404", "405", "invalid-link"}


def test_every_pattern_has_an_entry():
    names = [name for name, _route, _p in covered_patterns()]
    missing = sorted(set(names) - set(MATRIX))
    assert missing == []
    assert all(names), "every URL pattern needs a name"


def test_matrix_has_no_stale_entries():
    names = {name for name, _route, _p in covered_patterns()}
    assert sorted(set(MATRIX) - names) == []


def test_skipped_patterns_exist():
    """Every skip names something real (``static`` is mounted only with DEBUG)."""
    names = {name for name, _route, _p in all_patterns()}
    assert any(name.startswith("admin:") for name in names)
    assert "set_language" in names
    assert "sso-start" in names and "sso-callback" in names
    assert set(SKIPPED) == {"admin:*", "static", "set_language", "sso-start", "sso-callback"}


def _check(world, name, entry, role):
    """Request as ``role``; return a problem description or None."""
    expected = entry.expect[role]
    with transaction.atomic():
        client = client_for(world, role, entry)
        before = snapshot() if entry.post_only and expected in DENIED else None
        response = request_as(world, name, entry, role, client=client)
        got = classify(response, entry.method)
        problem = None
        if got != expected:
            problem = f"{name} as {role}: expected {expected}, got {got}"
        elif before is not None:
            changed = changed_tables(before, snapshot())
            if changed:
                problem = f"{name} as {role}: denied POST changed {changed}"
        transaction.set_rollback(True)
    return problem, got


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, world):
    entry = MATRIX[name]
    problems = []
    for role in ROLES:
        if role not in entry.expect:
            continue
        problem, got = _check(world, name, entry, role)
        if problem:
            problems.append(problem)
        conftest.SUMMARY["pairs"] += 1
        conftest.SUMMARY["by_outcome"][got] = conftest.SUMMARY["by_outcome"].get(got, 0) + 1
    if entry.post_only:
        # The same URL over GET: 405 for a role that may POST to it.
        allowed = [r for r in ROLES if entry.expect.get(r) == "allow" and r != "anonymous"]
        if allowed:
            with transaction.atomic():
                got = classify(request_as(world, name, entry, allowed[0], method="GET"), "GET")
                transaction.set_rollback(True)
            if got != "405":
                problems.append(f"{name} GET as {allowed[0]}: expected 405, got {got}")
            conftest.SUMMARY["extra"] += 1
    conftest.SUMMARY["patterns"].add(name)
    assert not problems, "\n".join(problems)


def test_every_role_is_exercised():
    roles = {role for entry in MATRIX.values() for role in entry.expect}
    assert roles == set(ROLES)


def _district_a_cases(w):
    return [w.approved, w.assigned, w.offered, w.awaiting, w.scheduled.request, w.held.request]


def _f1_cases(w):
    return [w.assigned, w.offered, w.scheduled.request, w.held.request]


#: List pages and exports: a role in scope sees the world's cases, a role outside does not.
#: (url name, role in scope, role outside, the cases that must (not) appear)
LISTS = [
    ("fiep_requests:inbox", "liaison_same", "liaison_other", _district_a_cases),
    ("fiep_requests:inbox-export", "liaison_same", "liaison_other", _district_a_cases),
    ("facilitators:my-cases", "facilitator_assigned", "facilitator_other", _f1_cases),
    (
        "meetings:mine",
        "facilitator_assigned",
        "facilitator_other",
        lambda w: [w.scheduled.request],
    ),
    # A facilitator removed from the cases (replaced, declined, released) lists none of them.
    *[
        (name, "facilitator_assigned", removed, cases)
        for removed in ["facilitator_replaced", "facilitator_declined", "facilitator_released"]
        for name, cases in [
            ("facilitators:my-cases", _f1_cases),
            ("meetings:mine", lambda w: [w.scheduled.request]),
        ]
    ],
]


@pytest.mark.parametrize(("name", "inside", "outside", "cases"), LISTS)
def test_lists_show_only_cases_in_scope(world, name, inside, outside, cases):
    entry = MATRIX[name]
    seen = request_as(world, name, entry, inside).content.decode()
    hidden = request_as(world, name, entry, outside).content.decode()
    for case in cases(world):
        assert case.reference in seen, (name, inside, case.reference)
        assert case.reference not in hidden, (name, outside, case.reference)
        assert case.student_last_name not in hidden, (name, outside, case.reference)


def test_claims_list_shows_only_own_claims(world):
    entry = MATRIX["meetings:claims"]
    claim_url = f"/meetings/claims/{world.claim.pk}/"
    assert (
        claim_url
        in request_as(world, "meetings:claims", entry, "facilitator_assigned").content.decode()
    )
    assert (
        claim_url
        not in request_as(world, "meetings:claims", entry, "facilitator_other").content.decode()
    )


def test_a_token_opens_only_its_own_case(world, client):
    """Two cases' status links: each page names its own case and never the other."""
    other = factories.FacilitationRequestFactory(district=world.district_b)
    page = client.get(reverse("fiep_requests:status", args=[world.awaiting.status_token]))
    text = page.content.decode()
    assert world.awaiting.reference in text
    assert other.reference not in text
    assert client.get(reverse("fiep_requests:status", args=["x" * 43])).status_code == 404


GET_PAGES = sorted(name for name, entry in MATRIX.items() if not entry.post_only)


@pytest.mark.parametrize("name", GET_PAGES)
def test_denied_roles_cannot_post_to_pages_either(name, world):
    """A page's form (GET and POST views): every role denied the GET is denied the POST
    too (log-in redirect, 403, 404 or 405) and the database does not change."""
    entry = MATRIX[name]
    problems = []
    for role in ROLES:
        expected = entry.expect.get(role)
        if expected is None or expected not in DENIED:
            continue
        with transaction.atomic():
            client = client_for(world, role, entry)
            before = snapshot()
            got = classify(
                request_as(world, name, entry, role, method="POST", client=client), "POST"
            )
            changed = changed_tables(before, snapshot())
            transaction.set_rollback(True)
        if got not in DENIED:
            problems.append(f"{name} POST as {role}: expected a denial, got {got}")
        if changed:
            problems.append(f"{name} POST as {role}: changed {changed}")
        conftest.SUMMARY["extra"] += 1
    assert not problems, "\n".join(problems)
