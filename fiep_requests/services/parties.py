"""Who the parties of a request are, their private links, and messages to them."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from fiep.branding import branding_context
from fiep.models import Language
from fiep.notifications import Event, notify, notify_new

from ..models import (
    Requester,
)


def _parent_party(case):
    return {
        "email": case.parent_email,
        "address": case.parent_address,
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
        "address": case.district_contact_address,
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


def letter_parties(case):
    """The parties reached by letter: no e-mail address, but a mailing address."""
    return [party for party in all_parties(case) if not party["email"] and party["address"]]


def status_url(case):
    return settings.SITE_URL + reverse("fiep_requests:status", args=[case.status_token])


def consent_url(case):
    return settings.SITE_URL + reverse("fiep_requests:consent", args=[case.consent_token])


def _enclosure(case, event, party):
    """The printable form a letter carries: the reply slip of the consent request."""
    if Event(event) != Event.CONSENT_REQUESTED:
        return ""
    with translation.override(party["language"]):
        return render_to_string(
            "fiep_requests/letters/_consent_reply_slip.html",
            {
                **branding_context(),
                "FIEP_OFFICE_FAX": settings.FIEP_OFFICE_FAX,
                "FIEP_OFFICE_ADDRESS_LINES": settings.FIEP_OFFICE_MAILING_ADDRESS.split("|"),
                "case": case,
                "party": party,
            },
        )


def _notify(case, event, party, *, key="", **context):
    """Queue ``event`` to ``party``: an e-mail, or a letter (``notify`` decides) when the
    party has no e-mail address but a mailing address; nothing when it has neither."""
    if not party or not (party["email"] or party["address"]):
        return None
    return notify(**_message(case, event, party, key=key, context=context))


def _notify_new(case, messages):
    """Queue ``[(event, party, context)]`` for a case created in this transaction: the
    e-mails in one insert (none of its messages can exist yet), a letter for a party with
    a mailing address but no e-mail (``notify_new``); parties with neither are skipped."""
    return notify_new(
        [
            _message(case, event, party, key="", context=context)
            for event, party, context in messages
            if party and (party["email"] or party["address"])
        ]
    )


def _message(case, event, party, *, key, context):
    return {
        "event": event,
        "to_email": party["email"],
        "to_address": party["address"],
        "enclosure_html": "" if party["email"] else _enclosure(case, event, party),
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
