"""The roster's rows, whose cells the view works out once per page (``fiep.cells``), are
byte for byte the rows the template drew itself before (``{% url %}``,
``get_contract_status_display``, loops over the prefetched regions and languages,
``|date``), in English and in Spanish, with the odd cases: names to escape, no region,
never assigned, an assignment late in the local evening, training due and overdue."""

import datetime

import pytest
from django.conf import settings
from django.db.models import Prefetch
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from facilitators import selectors
from facilitators.models import Assignment, ContractStatus
from fiep.models import Region
from fiep_requests.models import RequestStatus
from tests.factories import AssignmentFactory, FacilitatorFactory

from .factories import SpokenLanguageFactory, TrainingFactory

# The <tbody> of facilitators/roster_list.html as it was before fiep.cells.
BEFORE = (
    "\n"
    "  {% for f in facilitators %}\n"
    "  <tr>\n"
    '    <th scope="row"><a href="{% url \'facilitators:detail\' f.pk %}">'
    "{{ f.last_name }}, {{ f.first_name }}</a></th>\n"
    "    <td>{{ f.get_contract_status_display }}</td>\n"
    "    <td>{% for r in f.region_list %}{{ r.name }}"
    "{% if not forloop.last %}, {% endif %}{% endfor %}</td>\n"
    "    <td>{% for lang in f.language_list %}{{ lang.name }}"
    "{% if not forloop.last %}, {% endif %}{% endfor %}</td>\n"
    "    <td>{{ f.open_cases }} / {{ f.max_open_cases }}</td>\n"
    '    <td>{% if f.last_assigned_at %}{{ f.last_assigned_at|date:"Y-m-d" }}'
    '{% else %}{% translate "never" %}{% endif %}</td>\n'
    '    <td>{% if f.continuing_due_on %}{{ f.continuing_due_on|date:"Y-m-d" }}'
    "{% else %}—{% endif %}\n"
    '      {% if f.training_overdue %} <span class="badge text-bg-danger">'
    '{% translate "Overdue" %}</span>{% endif %}</td>\n'
    "  </tr>\n"
    "  {% empty %}\n"
    '  <tr><td colspan="7">{% translate "No facilitator matches." %}</td></tr>\n'
    "  {% endfor %}\n"
    "  "
)


def _drawn_before(language, **filters):
    """The rows as the view and template drew them before."""
    today = timezone.localdate()
    listed = (
        selectors.roster()
        .filter(**filters)
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("regions", to_attr="region_list"),
            Prefetch("languages", to_attr="language_list"),
        )
        .order_by("last_name", "first_name", "pk")
    )
    facilitators = list(listed)
    for f in facilitators:
        f.training_overdue = selectors.training_overdue(f, today)
    template = engines["django"].from_string("{% load i18n %}" + BEFORE)
    with translation.override(language):
        return template.render({"facilitators": facilitators})


def _tbody(html):
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


@pytest.fixture
def roster(db):
    north = Region.objects.create(name="Río & <North>")
    central = Region.objects.create(name="Central")
    spanish = SpokenLanguageFactory(name="Spanish")
    arabic = SpokenLanguageFactory(name="Arabic")
    busy = FacilitatorFactory(
        first_name="Zoë", last_name="O'Brien & <Sons>", contract_status=ContractStatus.TRIAL
    )
    busy.regions.add(north, central)
    busy.languages.add(spanish, arabic)
    TrainingFactory(facilitator=busy, continuing_due_on=datetime.date(2020, 1, 1))
    late = AssignmentFactory(facilitator=busy, request__status=RequestStatus.SCHEDULED)
    # 23:59 in Chicago the evening before: the page prints the local day
    Assignment.objects.filter(pk=late.pk).update(
        assigned_at=datetime.datetime(2026, 12, 1, 5, 59, tzinfo=datetime.UTC)
    )
    idle = FacilitatorFactory(last_name="Abbott", contract_status=ContractStatus.INACTIVE)
    TrainingFactory(facilitator=idle, continuing_due_on=datetime.date(2099, 9, 1))
    plain = FacilitatorFactory(last_name="Moreno")
    plain.regions.add(central)
    plain.languages.add(spanish)
    AssignmentFactory(facilitator=plain, status="offered", request__status=RequestStatus.ASSIGNED)
    return [busy, idle, plain]


@pytest.mark.parametrize("language", ["en", "es"])
def test_roster_rows_are_those_drawn_before(staff_client, roster, language):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = staff_client.get(reverse("facilitators:roster")).content.decode()
    body = _tbody(html)
    assert body == _drawn_before(language)
    assert body.count("<tr>") == 3
    assert "O&#x27;Brien &amp; &lt;Sons&gt;, Zoë" in body
    assert "Central, Río &amp; &lt;North&gt;" in body and "Arabic, Spanish" in body
    assert "2026-11-30" in body  # the local day, not the UTC one


def test_roster_rows_filtered_and_empty_are_those_drawn_before(staff_client, roster):
    html = staff_client.get(reverse("facilitators:roster"), {"status": "inactive"}).content
    assert _tbody(html.decode()) == _drawn_before("en", contract_status="inactive")
    html = staff_client.get(reverse("facilitators:roster"), {"q": "nobody"}).content
    assert _tbody(html.decode()) == _drawn_before("en", last_name="nobody")
    assert "No facilitator matches." in _tbody(html.decode())
