"""When the stored counts of a school year go out of date (``reports.metrics.cache``):
receivers of the model signals of what the figures count, connected in
``ReportsConfig.ready``. Each finds the school years a change touches and calls
``cache.invalidate`` (which ignores later years, without a query). The history import
writes in bulk, without signals, and invalidates every year itself.

Closed years store every count; the current year stores only the evaluation tracking
page's (``reports.tracking``: meetings, invitations, evaluations, follow-ups), so a
meeting, evaluation, invitation or follow-up change in the current year invalidates it
too, and a request's change only when its year is closed.

- a **meeting** saved or deleted: the school year of its date, and of the date it had when
  it was loaded (a meeting moved to another year changes both);
- an **evaluation**, **evaluation invitation** or **follow-up** saved or deleted: its
  meeting's year (follow-ups are counted by the evaluation tracking page's stored part,
  ``reports.tracking``);
- a **request** saved or deleted: the year it was received, and when that year is closed
  its meeting's year (its district, requester and agreement date are counted there);
- a case's **identifying data destroyed** (retention): the case's years.
"""

from django.db.models.signals import post_delete, post_init, post_save

from evaluations.models import Evaluation, EvaluationInvitation, FollowUp
from fiep.schoolyear import current_school_year, school_year_of
from fiep_requests.models import FacilitationRequest
from fiep_requests.signals import identifying_data_purge
from meetings.models import Meeting

from .metrics import cache


def _year(day):
    return school_year_of(day).start_year if day else None


def _closed(day):
    return day is not None and _year(day) < current_school_year().start_year


def _stored(day):
    """A day of a year whose tracking counts may be stored: closed or the current one."""
    return day is not None and _year(day) <= current_school_year().start_year


def _meeting_held_on(meeting_id, loaded=None):
    if loaded is not None:
        return loaded.held_on
    if meeting_id is None:
        return None
    return Meeting.objects.filter(pk=meeting_id).values_list("held_on", flat=True).first()


def remember_meeting_date(sender, instance, **kwargs):
    """The date the meeting had when loaded (unless the field was deferred)."""
    instance._metrics_held_on = instance.__dict__.get("held_on")


def meeting_changed(sender, instance, **kwargs):
    days = [instance.__dict__.get("held_on"), getattr(instance, "_metrics_held_on", None)]
    cache.invalidate([_year(d) for d in days if _stored(d)])
    instance._metrics_held_on = instance.__dict__.get("held_on")


def evaluation_changed(sender, instance, **kwargs):
    loaded = instance._state.fields_cache.get("meeting")
    held_on = _meeting_held_on(instance.meeting_id, loaded)
    if _stored(held_on):
        cache.invalidate([_year(held_on)])


def request_changed(sender, instance, **kwargs):
    received_on = instance.__dict__.get("received_on")
    if not _closed(received_on):
        return  # its meeting is held after it was received: not in a closed year either
    held_on = (
        Meeting.objects.filter(request_id=instance.pk).values_list("held_on", flat=True).first()
    )
    cache.invalidate([_year(received_on), _year(held_on)])


def case_purged(sender, case, **kwargs):
    request_changed(sender, case)
    return []


def connect():
    post_init.connect(remember_meeting_date, sender=Meeting, dispatch_uid="metrics-meeting-init")
    for signal in (post_save, post_delete):
        name = signal is post_save and "save" or "delete"
        signal.connect(meeting_changed, sender=Meeting, dispatch_uid=f"metrics-meeting-{name}")
        signal.connect(
            evaluation_changed, sender=Evaluation, dispatch_uid=f"metrics-evaluation-{name}"
        )
        signal.connect(
            evaluation_changed,
            sender=EvaluationInvitation,
            dispatch_uid=f"metrics-invitation-{name}",
        )
        signal.connect(
            evaluation_changed, sender=FollowUp, dispatch_uid=f"metrics-follow-up-{name}"
        )
        signal.connect(
            request_changed, sender=FacilitationRequest, dispatch_uid=f"metrics-request-{name}"
        )
    identifying_data_purge.connect(case_purged, dispatch_uid="metrics-purge")
