"""The payment-claims page's rows, whose link, month and status label the view works out
once per page (``fiep.cells``), are byte for byte the rows the template drew itself before
(``{% url %}``, ``|date:"Y-m"``, ``get_status_display``), in English and in Spanish, for
staff (every claim) and for a facilitator (their own), supplements included."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import translation

from fiep.models import Role
from meetings.models import ClaimStatus, PaymentClaim
from meetings.selectors import visible_claims
from tests import factories

# The <tbody> of meetings/claims.html as it was before fiep.cells.
BEFORE = (
    "\n"
    "  {% for c in claims %}\n"
    '  <tr><td><a href="{% url \'meetings:claim\' c.pk %}">{{ c.month|date:"Y-m" }}</a>'
    '{% if c.supplement %} <span class="badge text-bg-info">'
    "{% blocktranslate with number=c.supplement %}Supplemental {{ number }}{% endblocktranslate %}"
    "</span>{% endif %}</td>"
    "<td>{{ c.facilitator.full_name }}</td><td>{{ c.get_status_display }}</td>"
    '<td class="text-end">{{ c.hours }}</td><td class="text-end">{{ c.miles }}</td>'
    '<td class="text-end">${{ c.amount }}</td></tr>\n'
    "  {% empty %}\n"
    '  <tr><td colspan="6">{% translate "No claims." %}</td></tr>\n'
    "  {% endfor %}\n"
    "  "
)


def _drawn_before(user, language, **filters):
    claims = (
        visible_claims(user)
        .filter(**filters)
        .order_by("-month", "facilitator__last_name", "facilitator__first_name", "supplement", "pk")
    )
    template = engines["django"].from_string("{% load i18n %}" + BEFORE)
    with translation.override(language):
        return template.render({"claims": list(claims)})


def _tbody(html):
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


@pytest.fixture
def claims(db):
    own = factories.FacilitatorFactory(first_name="Zoë", last_name="O'Neil & <Co>", with_user=True)
    other = factories.FacilitatorFactory(first_name="Ann", last_name="Baker")
    made = []
    for i, status in enumerate(ClaimStatus.values):
        for facilitator in (own, other):
            made.append(
                PaymentClaim.objects.create(
                    facilitator=facilitator,
                    month=datetime.date(999 if i == 0 else 2026, i + 1, 1),
                    status=status,
                    hours=Decimal("12.50") * i,
                    miles=Decimal("1034.5"),
                    amount=Decimal("1234.56") + i,
                )
            )
    made.append(
        PaymentClaim.objects.create(
            facilitator=own,
            month=datetime.date(2026, 2, 1),
            supplement=2,
            status=ClaimStatus.SUBMITTED,
            hours=Decimal("0.25"),
        )
    )
    return own


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("params", [{}, {"status": "submitted"}, {"status": "draft"}])
def test_claim_rows_are_those_drawn_before(client, claims, language, params):
    staff = factories.UserFactory(role=Role.OFFICE_STAFF)
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = _tbody(client.get(reverse("meetings:claims"), params).content.decode())
    assert body == _drawn_before(staff, language, **params)
    assert body.count("<tr>") == (9 if not params else 2 + (params["status"] == "submitted"))


def test_claim_rows_of_a_facilitator_are_those_drawn_before(client, claims):
    client.force_login(claims.user)
    body = _tbody(client.get(reverse("meetings:claims")).content.decode())
    assert body == _drawn_before(claims.user, "en")
    assert "Supplemental 2" in body and "O&#x27;Neil &amp; &lt;Co&gt;" in body
    assert "0999-01" in body and "Baker" not in body


def test_no_claims_is_drawn_as_before(staff_client):
    body = _tbody(staff_client.get(reverse("meetings:claims")).content.decode())
    assert body == _drawn_before(None, "en")
    assert "No claims." in body
