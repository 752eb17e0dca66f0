import datetime

import pytest
from django.urls import reverse

from evaluations.models import Evaluation, EvaluationInvitation
from fiep.models import AccessLog, OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db


def test_tracking_page_shows_counts_and_rate(staff_client):
    meeting = factories.MeetingFactory(held=True)
    invitations = factories.EvaluationInvitationFactory.create_batch(4, meeting=meeting)
    factories.EvaluationFactory(meeting=meeting, invitation=invitations[0])
    response = staff_client.get(reverse("evaluations:tracking"))
    assert response.status_code == 200
    html = response.content.decode()
    assert meeting.request.reference in html
    assert "25%" in html
    assert response.context["totals"]["invitations_sent"] == 4


def test_tracking_page_anonymous_goes_to_login(client):
    response = client.get(reverse("evaluations:tracking"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_tracking_page_refused_to_facilitator_and_liaison(facilitator_client):
    assert facilitator_client.get(reverse("evaluations:tracking")).status_code == 403


def test_tracking_page_refused_to_liaison(liaison_client):
    assert liaison_client.get(reverse("evaluations:tracking")).status_code == 403


def _add_current_year_meetings(n):
    for _ in range(n):
        meeting = factories.MeetingFactory(held=True)
        factories.EvaluationInvitationFactory.create_batch(2, meeting=meeting)
        factories.EvaluationFactory(meeting=meeting)


def test_tracking_page_query_count_does_not_grow_with_meetings(staff_client, query_guard):
    url = reverse("evaluations:tracking")

    def add(n):
        _add_current_year_meetings(n)
        staff_client.get(url)  # counts the changed current year and stores its counts

    def run():
        assert staff_client.get(url).status_code == 200

    # the current year's counts (follow-ups included) are one stored row (reports.tracking)
    query_guard(9, run, add=add, many=9)


def test_tracking_page_after_a_change_counts_the_year_once(staff_client, django_assert_num_queries):
    url = reverse("evaluations:tracking")
    _add_current_year_meetings(1)
    staff_client.get(url)  # warm up the session; stores the current year's counts
    _add_current_year_meetings(5)  # invalidates them
    # the stored row read (none), the year counted (one query, whatever its size), stored
    # (an insert and the check for an invalidation meanwhile)
    with django_assert_num_queries(12):
        counted = staff_client.get(url)
    with django_assert_num_queries(9):
        read = staff_client.get(url)
    assert counted.context["by_year"] == read.context["by_year"]
    assert counted.context["totals"] == read.context["totals"]
    assert read.context["totals"]["meetings"] == 6
    assert read.context["totals"]["invitations_sent"] == 12


def test_meeting_page_lists_invitations_and_logs_access(staff_client, invited_meeting):
    response = staff_client.get(reverse("evaluations:meeting", args=[invited_meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for invitation in invited_meeting.invitations.all():
        assert invitation.email in html
    log = AccessLog.objects.get()
    assert log.case_reference == invited_meeting.request.reference
    assert response["Cache-Control"].startswith("max-age=0")


def test_meeting_page_query_count_does_not_grow_with_invitations(staff_client, query_guard):
    meeting = factories.MeetingFactory(held=True)

    def run():
        url = reverse("evaluations:meeting", args=[meeting.pk])
        assert staff_client.get(url).status_code == 200

    query_guard(
        12,
        run,
        add=lambda n: factories.EvaluationInvitationFactory.create_batch(n, meeting=meeting),
        many=8,
    )


def test_meeting_page_for_a_meeting_not_held_is_404(staff_client):
    meeting = factories.MeetingFactory()
    assert staff_client.get(reverse("evaluations:meeting", args=[meeting.pk])).status_code == 404


def test_responses_page_shows_no_names_or_emails(staff_client, invited_meeting):
    from evaluations import services

    invitation = invited_meeting.invitations.get(role="parent")
    services.evaluation_submit(
        invitation=invitation, answers={"respondent_role": "parent", "satisfaction": "satisfied"}
    )
    response = staff_client.get(reverse("evaluations:responses", args=[invited_meeting.pk]))
    html = response.content.decode()
    assert "Satisfied" in html
    assert "not answered" in html
    for participant in invited_meeting.participants.all():
        assert participant.name not in html
        if participant.email:
            assert participant.email not in html


def test_responses_page_query_count_does_not_grow(staff_client, query_guard):
    meeting = factories.MeetingFactory(held=True)

    def run():
        url = reverse("evaluations:responses", args=[meeting.pk])
        assert staff_client.get(url).status_code == 200

    query_guard(
        10, run, add=lambda n: factories.EvaluationFactory.create_batch(n, meeting=meeting), many=7
    )


def test_facilitator_cannot_see_individual_responses(facilitator_client, facilitator_user):
    meeting = factories.MeetingFactory(held=True, facilitator=facilitator_user.facilitator)
    factories.EvaluationFactory(meeting=meeting)
    for name in ["responses", "meeting", "paper-entry", "paper-form"]:
        url = reverse(f"evaluations:{name}", args=[meeting.pk])
        assert facilitator_client.get(url).status_code == 403, name


def test_facilitator_cannot_see_another_facilitators_feedback(facilitator_client):
    other = factories.FacilitatorFactory(with_user=True)
    url = reverse("evaluations:facilitator-feedback", args=[other.pk])
    assert facilitator_client.get(url).status_code == 403


def test_facilitator_feedback_shows_only_their_own_totals(
    facilitator_client, facilitator_user, settings
):
    settings.FIEP_SUPPRESSION_THRESHOLD = 2
    day = datetime.date(2024, 10, 1)  # a half year that has ended and is published
    mine = factories.MeetingFactory(
        held=True, facilitator=facilitator_user.facilitator, held_on=day
    )
    factories.EvaluationFactory.create_batch(
        2, meeting=mine, comments="A private comment", satisfaction="satisfied", submitted_on=day
    )
    others = factories.MeetingFactory(held=True, held_on=day)
    factories.EvaluationFactory.create_batch(
        3, meeting=others, satisfaction="very_dissatisfied", submitted_on=day
    )
    response = facilitator_client.get(reverse("evaluations:my-feedback"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Based on 2 evaluations." in html
    assert "A private comment" not in html
    assert response.context["feedback"]["counts"]["satisfaction__very_dissatisfied"] == 0


def test_facilitator_feedback_suppressed_below_threshold(
    facilitator_client, facilitator_user, settings
):
    settings.FIEP_SUPPRESSION_THRESHOLD = 10
    mine = factories.MeetingFactory(held=True, facilitator=facilitator_user.facilitator)
    factories.EvaluationFactory.create_batch(9, meeting=mine)
    response = facilitator_client.get(reverse("evaluations:my-feedback"))
    html = response.content.decode()
    assert "at least 10 evaluations" in html
    assert "Based on" not in html
    assert response.context["rows"] == []


def test_staff_see_any_facilitators_feedback(staff_client):
    facilitator = factories.FacilitatorFactory()
    response = staff_client.get(reverse("evaluations:facilitator-feedback", args=[facilitator.pk]))
    assert response.status_code == 200


def test_my_feedback_refused_to_staff_without_a_facilitator_profile(staff_client):
    assert staff_client.get(reverse("evaluations:my-feedback")).status_code == 403


def test_paper_entry_page_stores_a_paper_evaluation(staff_client, staff):
    meeting = factories.MeetingFactory(held=True)
    url = reverse("evaluations:paper-entry", args=[meeting.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {"response_id": "12", "language": "es", "respondent_role": "parent", "satisfaction": ""},
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.source == "paper"
    assert evaluation.satisfaction == ""
    assert evaluation.entered_by == staff
    duplicate = staff_client.post(
        url, {"response_id": "12", "language": "es", "respondent_role": "parent"}
    )
    assert duplicate.status_code == 200
    assert "already entered" in duplicate.content.decode()


def test_participant_add_and_resend_from_the_meeting_page(staff_client, invited_meeting):
    url = reverse("evaluations:participant-add", args=[invited_meeting.pk])
    response = staff_client.post(
        url, {"role": "advocate", "email": "added@example.org", "language": "en"}
    )
    assert response.status_code == 302
    invitation = EvaluationInvitation.objects.get(email="added@example.org")
    staff_client.post(reverse("evaluations:resend", args=[invitation.pk]))
    assert OutboxMessage.objects.filter(recipient_email="added@example.org").count() == 2


def test_send_invitations_is_post_only(staff_client, held_meeting):
    url = reverse("evaluations:invite", args=[held_meeting.pk])
    assert staff_client.get(url).status_code == 405
    assert staff_client.post(url).status_code == 302
    assert EvaluationInvitation.objects.filter(meeting=held_meeting).count() == 2


def test_staff_home_has_the_evaluations_panel(staff_client):
    html = staff_client.get(reverse("staff-home")).content.decode()
    assert reverse("evaluations:tracking") in html


def test_staff_home_facilitator_panel_links_to_feedback(facilitator_client):
    html = facilitator_client.get(reverse("staff-home")).content.decode()
    assert reverse("evaluations:my-feedback") in html
    assert f'href="{reverse("evaluations:tracking")}"' not in html


def test_tracking_page_links_keep_the_default_period(staff_client):
    """Paging through the default view (the current school year) stays in that year: a
    meeting of an earlier year appears only when the period is chosen as every year."""
    from fiep.schoolyear import current_school_year

    year = current_school_year()
    earlier = factories.MeetingFactory(held=True, held_on=year.start - datetime.timedelta(days=400))
    this_year = factories.MeetingFactory(held=True, held_on=year.start + datetime.timedelta(days=1))
    url = reverse("evaluations:tracking")
    for query in ({}, {"page": "last"}):
        response = staff_client.get(url, query)
        html = response.content.decode()
        assert this_year.request.reference in html
        assert earlier.request.reference not in html, query
        assert response.context["start"] == year.start
    every_year = staff_client.get(url, {"start": "", "end": "", "page": "last"})
    assert earlier.request.reference in every_year.content.decode()
