"""Who the parties of a request are, their private links, and messages to them."""

from django.conf import settings
from django.urls import reverse

from fiep.models import Language
from fiep.notifications import Event, notify, notify_new

from ..models import (
    Requester,
)


def _parent_party(case):
    return {
        "email": case.parent_email,
        "name": case.parent_name,
        "language": case.parent_language or Language.ENGLISH,
        # What the person told us (pages follow it, then the browser's language).
        "stored_language": case.parent_language,
        "role": "parent",
    }


def _district_party(case):
    # The office writes in the contact's stored language, English when none is stored.
    return {
        "email": case.district_contact_email,
        "name": case.district_contact_name,
        "language": case.district_contact_language or Language.ENGLISH,
        "stored_language": case.district_contact_language,
        "role": "district",
    }


def requester_parties(case):
    """The person(s) who asked: both parties for a joint request."""
    if case.requested_by == Requester.DISTRICT:
        return [_district_party(case)]
    if case.requested_by == Requester.JOINT:
        return [_parent_party(case), _district_party(case)]
    return [_parent_party(case)]


def other_party(case):
    """The party whose agreement is needed, or None for a joint request."""
    if case.requested_by == Requester.JOINT:
        return None
    if case.requested_by == Requester.DISTRICT:
        return _parent_party(case)
    return _district_party(case)


def all_parties(case):
    parties = requester_parties(case)
    other = other_party(case)
    return parties + ([other] if other else [])


def status_url(case):
    return settings.SITE_URL + reverse("fiep_requests:status", args=[case.status_token])


def consent_url(case):
    return settings.SITE_URL + reverse("fiep_requests:consent", args=[case.consent_token])


def _notify(case, event, party, *, key="", **context):
    """Queue ``event`` to ``party`` unless the party has no e-mail address."""
    if not party or not party["email"]:
        return None
    return notify(**_message(case, event, party, key=key, context=context))


def _notify_new(case, messages):
    """Queue ``[(event, party, context)]`` for a case created in this transaction (one
    insert: none of its messages can exist yet). Parties without e-mail are skipped."""
    return notify_new(
        [
            _message(case, event, party, key="", context=context)
            for event, party, context in messages
            if party and party["email"]
        ]
    )


def _message(case, event, party, *, key, context):
    return {
        "event": event,
        "to_email": party["email"],
        "to_name": party["name"],
        "language": party["language"],
        "context": {
            "name": party["name"],
            "reference": case.reference,
            "student_name": case.student_name,
            "school_name": case.school_name,
            "district_name": case.district.name,
            "is_requester": party in requester_parties(case),
            **context,
        },
        "dedupe_key": f"{Event(event).value}:{case.reference}:{party['role']}{key}",
        "case_reference": case.reference,
        "related": case,
    }


# --- Submission ----------------------------------------------------------------------
