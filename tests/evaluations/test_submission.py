import datetime

import pytest
from django.db import connection
from django.utils import timezone

from evaluations import services
from evaluations.models import Evaluation, EvaluationSource
from tests import factories

from .conftest import ALL_ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(db):
    return factories.EvaluationInvitationFactory(language="es")


def test_evaluation_submit_stores_answers_and_uses_the_token(invitation):
    evaluation = services.evaluation_submit(invitation=invitation, answers=ALL_ANSWERS)
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert evaluation.invitation == invitation
    assert evaluation.meeting == invitation.meeting
    assert evaluation.source == EvaluationSource.ONLINE
    assert evaluation.satisfaction == "very_satisfied"
    assert evaluation.would_recommend is True
    assert evaluation.language == "es"
    assert evaluation.submitted_on == timezone.localdate()


def test_evaluation_submit_records_the_invitations_role(invitation):
    evaluation = services.evaluation_submit(
        invitation=invitation, answers={"respondent_role": "student"}
    )
    assert (invitation.role, evaluation.respondent_role) == ("parent", "parent")


def test_evaluation_submit_token_is_single_use(invitation):
    services.evaluation_submit(invitation=invitation, answers={"respondent_role": "parent"})
    with pytest.raises(services.InvitationUnavailable) as refused:
        services.evaluation_submit(invitation=invitation, answers={"respondent_role": "parent"})
    assert refused.value.reason == "used"
    assert Evaluation.objects.count() == 1


def test_evaluation_submit_stale_copy_of_invitation_is_refused(invitation):
    stale = type(invitation).objects.get(pk=invitation.pk)
    services.evaluation_submit(invitation=invitation, answers={"respondent_role": "parent"})
    with pytest.raises(services.InvitationUnavailable):
        services.evaluation_submit(invitation=stale, answers={"respondent_role": "parent"})
    assert Evaluation.objects.count() == 1


def test_evaluation_submit_expired_token_is_refused(invitation):
    invitation.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    invitation.save()
    with pytest.raises(services.InvitationUnavailable) as refused:
        services.evaluation_submit(invitation=invitation, answers={"respondent_role": "parent"})
    assert refused.value.reason == "expired"
    assert not Evaluation.objects.exists()


def test_evaluation_submit_skipped_items_are_not_answered(invitation):
    invitation.role = ""  # no role on the invitation: the answer's role is used
    invitation.save()
    evaluation = services.evaluation_submit(
        invitation=invitation,
        answers={"respondent_role": "student", "satisfaction": "", "would_recommend": ""},
    )
    evaluation.refresh_from_db()
    assert evaluation.respondent_role == "student"
    for item in [
        "satisfaction",
        "concerns_raised",
        "facilitator_listened",
        "facilitator_neutral",
        "facilitator_focused",
        "relationship",
        "comments",
    ]:
        assert getattr(evaluation, item) == ""
    assert evaluation.would_recommend is None


def test_evaluation_submit_role_is_required_when_the_invitation_has_none(invitation):
    invitation.role = ""
    invitation.save()
    with pytest.raises(services.EvaluationError):
        services.evaluation_submit(invitation=invitation, answers={"satisfaction": "satisfied"})
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_evaluation_submit_refuses_an_invalid_answer(invitation):
    with pytest.raises(services.EvaluationError):
        services.evaluation_submit(
            invitation=invitation, answers={"respondent_role": "parent", "satisfaction": "meh"}
        )
    with pytest.raises(services.EvaluationError):
        services.evaluation_submit(
            invitation=invitation, answers={"respondent_role": "parent", "mood": "happy"}
        )


def test_evaluation_submit_would_recommend_no_is_stored_as_false(invitation):
    evaluation = services.evaluation_submit(
        invitation=invitation, answers={"respondent_role": "parent", "would_recommend": "no"}
    )
    evaluation.refresh_from_db()
    assert evaluation.would_recommend is False


def test_paper_evaluation_enter_stores_a_paper_response(staff):
    meeting = factories.MeetingFactory(held=True)
    evaluation = services.paper_evaluation_enter(
        meeting=meeting,
        by=staff,
        response_id="17",
        answers={"respondent_role": "general_educator", "relationship": "no_change"},
        language="es",
    )
    evaluation.refresh_from_db()
    assert evaluation.source == EvaluationSource.PAPER
    assert evaluation.entered_by == staff
    assert evaluation.invitation is None
    assert evaluation.response_id == "paper-17"
    assert evaluation.language == "es"
    assert evaluation.relationship == "no_change"
    assert evaluation.satisfaction == ""
    assert evaluation.would_recommend is None


def test_paper_evaluation_enter_same_form_twice_is_refused(staff):
    meeting = factories.MeetingFactory(held=True)
    answers = {"respondent_role": "parent"}
    services.paper_evaluation_enter(meeting=meeting, by=staff, response_id="5", answers=answers)
    with pytest.raises(services.EvaluationError):
        services.paper_evaluation_enter(
            meeting=meeting, by=staff, response_id=" 5 ", answers=answers
        )
    assert Evaluation.objects.count() == 1


def test_paper_evaluation_enter_needs_a_form_number_and_a_held_meeting(staff):
    with pytest.raises(services.EvaluationError):
        services.paper_evaluation_enter(
            meeting=factories.MeetingFactory(held=True),
            by=staff,
            response_id="",
            answers={"respondent_role": "parent"},
        )
    with pytest.raises(services.EvaluationError):
        services.paper_evaluation_enter(
            meeting=factories.MeetingFactory(),
            by=staff,
            response_id="1",
            answers={"respondent_role": "parent"},
        )


def test_self_evaluation_submit_is_single_use(invited_meeting):
    link = invited_meeting.self_evaluation
    services.self_evaluation_submit(
        self_evaluation=link, answers={"overall": "went_well", "went_well": "Ground rules."}
    )
    link.refresh_from_db()
    assert link.overall == "went_well"
    assert link.stayed_neutral == ""
    with pytest.raises(services.InvitationUnavailable):
        services.self_evaluation_submit(self_evaluation=link, answers={})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_evaluation_submit_concurrent_double_submit_stores_one():
    import threading

    from django.db import connections

    invitation = factories.EvaluationInvitationFactory()
    results = []
    barrier = threading.Barrier(2)

    def submit():
        try:
            barrier.wait()
            services.evaluation_submit(invitation=invitation, answers={"respondent_role": "parent"})
            results.append("ok")
        except services.InvitationUnavailable:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert Evaluation.objects.count() == 1
