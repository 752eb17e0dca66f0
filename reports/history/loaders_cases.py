"""Loaders of meetings.csv (a request, its meeting and its facilitator's assignment per
row) and evaluations.csv. See ``loaders.py`` for the plan/apply shape.
"""

import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Evaluation, EvaluationSource
from facilitators.models import Assignment, AssignmentStatus
from fiep_requests.models import ConsentState, FacilitationRequest, StatusChange
from meetings.models import Meeting, MeetingStatus

from . import bulk, formats
from .cells import RowCells
from .loaders import BATCH, FileSummary, duplicate

NOON = datetime.time(12)

#: Rows checked (and written) at a time: the memory an import needs does not grow with
#: the size of its files beyond the keys it must remember.
CHUNK = 5000

#: meetings.csv status → the request's final status.
REQUEST_STATUS = {
    "held": "closed",
    "cancelled": "cancelled",
    "withdrawn": "withdrawn",
    "declined": "denied",
}


def meeting_of(request):
    """The request's meeting, or None (reverse one-to-one without the exception)."""
    try:
        return request.meeting
    except Meeting.DoesNotExist:
        return None


class MeetingLoader:
    name = "meetings.csv"

    def __init__(self):
        self.summary = FileSummary()
        self.rows = []  # (reference, request fields, meeting fields or None, facilitator key)
        self.changed_requests = set()
        self.changed_meetings = set()
        self.changed_assignments = set()

    def plan(self, table, state):  # noqa: C901  (one check per rule of the contract)
        seen = {}
        for row in table.rows:
            cells = RowCells(table, row, state.problems)
            reference = cells.text("reference", required=True, max_length=40)
            code = cells.text("district_code", required=True, max_length=20)
            requested_on = cells.date("requested_on", required=True)
            requested_by = cells.choice("requested_by", formats.REQUESTED_BY, required=True)
            email = cells.email("facilitator_email")
            status = cells.choice("status", formats.MEETING_STATUSES, required=True)
            held_on = cells.date("meeting_date")
            outcome = cells.choice("outcome", formats.OUTCOMES)
            if reference and duplicate(cells, "reference", reference, seen):
                continue
            if reference and status:
                state.meeting_status[reference] = status
            if code and code not in state.district_codes and state.checks("districts.csv"):
                cells.error(
                    "district_code",
                    _("unknown district %(code)r (not in districts.csv nor in the database)")
                    % {"code": code},
                )
            if (
                email
                and email.lower() not in state.facilitator_emails
                and state.checks("facilitators.csv")
            ):
                cells.error(
                    "facilitator_email",
                    _("unknown facilitator %(email)r (not in facilitators.csv nor in the database)")
                    % {"email": email},
                )
            if status == "held" and not cells.raw("meeting_date"):
                cells.error("meeting_date", _("required when the status is held"))
            if status and status != "held":
                if cells.raw("meeting_date"):
                    cells.error(
                        "meeting_date",
                        _("must be empty unless the status is held (the status is %(status)s)")
                        % {"status": status},
                    )
                if cells.raw("outcome"):
                    cells.error(
                        "outcome",
                        _("must be empty unless the status is held (the status is %(status)s)")
                        % {"status": status},
                    )
            if held_on and requested_on and held_on < requested_on:
                cells.error(
                    "meeting_date",
                    _("%(date)s is before requested_on (%(requested)s)")
                    % {"date": held_on, "requested": requested_on},
                )
            existing = state.requests.get(reference) if reference else None
            if existing is not None and not existing.imported:
                cells.error(
                    "reference",
                    _("%(reference)r is a case entered in the application; it is not overwritten")
                    % {"reference": reference},
                )
            meeting = meeting_of(existing) if existing is not None else None
            if (
                status
                and status != "held"
                and meeting is not None
                and existing.evaluation_count
                and meeting.status == MeetingStatus.HELD
            ):
                cells.error(
                    "status",
                    _("the meeting of %(reference)s has %(count)s evaluations; it must stay held")
                    % {"reference": reference, "count": existing.evaluation_count},
                )
            if cells.failed:
                continue
            values = {
                "requested_on": requested_on,
                "requested_by": requested_by,
                "code": code,
                "email": email,
                "status": status,
                "held_on": held_on,
                "outcome": outcome,
            }
            self._plan_row(state, existing, meeting, reference, values)

    def _plan_row(self, state, existing, meeting, reference, values):
        status = values["status"]
        email = (values["email"] or "").lower()
        request_fields = {
            "received_on": values["requested_on"],
            "requested_by": values["requested_by"],
            "district_code": values["code"],
            "status": REQUEST_STATUS[status],
        }
        if status == "held":
            meeting_fields = {
                "status": MeetingStatus.HELD,
                "held_on": values["held_on"],
                "consensus": values["outcome"] or "",
            }
        elif meeting is not None:
            meeting_fields = {"status": MeetingStatus.CANCELLED, "held_on": None, "consensus": ""}
        else:
            meeting_fields = None
        self.rows.append((reference, request_fields, meeting_fields, email))
        if existing is None:
            self.summary.count(True, False)
            return
        facilitator = state.facilitators.get(email) if email else None
        facilitator_id = facilitator.pk if facilitator is not None else None
        request_changed = (
            existing.received_on,
            existing.requested_by,
            existing.district.code,
            existing.status,
        ) != tuple(request_fields.values())
        meeting_changed = meeting_fields is not None and (
            meeting is None
            or (meeting.status, meeting.held_on, meeting.consensus)
            != tuple(meeting_fields.values())
            or (meeting.facilitator_id != facilitator_id)
            or (email and facilitator_id is None)
        )
        assignment = state.assignments.get(existing.pk)
        current = assignment.facilitator_id if assignment is not None else None
        assignment_changed = current != facilitator_id or (email and facilitator_id is None)
        if request_changed:
            self.changed_requests.add(reference)
        if meeting_changed:
            self.changed_meetings.add(reference)
        if assignment_changed:
            self.changed_assignments.add(reference)
        self.summary.count(False, request_changed or meeting_changed or assignment_changed)

    def apply(self, state):
        for i in range(0, len(self.rows), CHUNK):
            chunk = self.rows[i : i + CHUNK]
            self._apply_requests(state, chunk)
            self._apply_meetings(state, chunk)
            self._apply_assignments(state, chunk)
            state.advance(len(chunk))

    def _apply_requests(self, state, rows):
        new_requests, changed_requests, history = [], [], []
        now = timezone.now()
        for reference, fields, _m, _e in rows:
            request = state.requests.get(reference)
            values = dict(fields)
            values["district"] = state.districts[values.pop("district_code")]
            if request is None:
                request = FacilitationRequest(
                    reference=reference,
                    imported=True,
                    consent_state=ConsentState.NOT_NEEDED,
                    **values,
                )
                new_requests.append(request)
            elif reference in self.changed_requests:
                if request.status != values["status"]:
                    history.append((request.pk, values["status"]))
                for name, value in values.items():
                    setattr(request, name, value)
                request.updated_at = now
                changed_requests.append(request)
        bulk.insert(FacilitationRequest, new_requests)
        new_ids = dict(
            FacilitationRequest.objects.filter(
                reference__in=[r.reference for r in new_requests]
            ).values_list("reference", "id")
        )
        for request in new_requests:
            state.request_ids[request.reference] = new_ids[request.reference]
            history.append((new_ids[request.reference], request.status))
        FacilitationRequest.objects.bulk_update(
            changed_requests,
            ["received_on", "requested_by", "district", "status", "updated_at"],
            batch_size=BATCH,
        )
        user_id = state.user.pk if state.user is not None else None
        bulk.insert(
            StatusChange,
            [
                StatusChange(
                    request_id=pk, to_status=status, by_id=user_id, reason="program history import"
                )
                for pk, status in history
            ],
        )

    def _apply_meetings(self, state, rows):
        new, changed, reference_of = [], [], {}
        for reference, _r, fields, email in rows:
            if fields is None:
                continue
            request = state.requests.get(reference)
            facilitator = state.facilitators[email] if email else None
            meeting = meeting_of(request) if request is not None else None
            if meeting is None:
                request_id = request.pk if request is not None else state.request_ids[reference]
                reference_of[request_id] = reference
                new.append(
                    Meeting(request_id=request_id, facilitator=facilitator, imported=True, **fields)
                )
            else:
                if reference in self.changed_meetings:
                    for name, value in fields.items():
                        setattr(meeting, name, value)
                    meeting.facilitator = facilitator
                    meeting.updated_at = timezone.now()
                    changed.append(meeting)
                state.meeting_ids[reference] = meeting.pk
        bulk.insert(Meeting, new)
        for request_id, meeting_id in Meeting.objects.filter(
            request_id__in=list(reference_of)
        ).values_list("request_id", "id"):
            state.meeting_ids[reference_of[request_id]] = meeting_id
        Meeting.objects.bulk_update(
            changed,
            ["status", "held_on", "consensus", "facilitator", "updated_at"],
            batch_size=BATCH,
        )

    def _apply_assignments(self, state, rows):
        new, changed, gone = [], [], []
        for reference, request_fields, _m, email in rows:
            request = state.requests.get(reference)
            request_id = request.pk if request is not None else state.request_ids[reference]
            assignment = state.assignments.get(request_id)
            facilitator = state.facilitators[email] if email else None
            if assignment is None and facilitator is not None:
                new.append(
                    Assignment(
                        request_id=request_id,
                        facilitator=facilitator,
                        status=AssignmentStatus.ACCEPTED,
                        imported=True,
                        # The files give no assignment time: the request's day, at noon
                        # in the state's zone (the same date wherever it is shown).
                        assigned_at=timezone.make_aware(
                            datetime.datetime.combine(request_fields["received_on"], NOON)
                        ),
                    )
                )
            elif reference in self.changed_assignments and assignment is not None:
                if facilitator is None:
                    gone.append(assignment.pk)
                else:
                    assignment.facilitator = facilitator
                    changed.append(assignment)
        Assignment.objects.filter(pk__in=gone).delete()
        bulk.insert(Assignment, new)
        Assignment.objects.bulk_update(changed, ["facilitator"], batch_size=BATCH)


class EvaluationLoader:
    name = "evaluations.csv"
    fields = ["respondent_role", "submitted_on", "satisfaction", "would_recommend"]

    def __init__(self):
        self.summary = FileSummary()
        self.creates = []  # (reference, response_id, values)
        self.updates = []

    def plan(self, table, state):
        """Check every row, a chunk at a time; while no problem is found, write each
        chunk as soon as it is checked (the transaction makes it all or nothing)."""
        self.seen = {}  # "reference\x00response_id" → line: repeated keys in the file
        chunk = []
        for row in table.rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                self._plan_chunk(table, state, chunk)
                chunk = []
        self._plan_chunk(table, state, chunk)
        self.seen = None

    def _existing(self, references):
        """The evaluations already stored for these meetings, by (reference, response id)."""
        return {
            (e.reference, e.response_id): e
            for e in Evaluation.objects.filter(meeting__request__reference__in=list(references))
            .annotate(reference=F("meeting__request__reference"))
            .only("meeting_id", "response_id", "source", *self.fields)
        }

    def _plan_chunk(self, table, state, rows):
        if not rows:
            return
        existing_by_key = self._existing(
            {r.cells["meeting_reference"] for r in rows if r.cells["meeting_reference"]}
            & set(state.requests)
        )
        seen = self.seen
        for row in rows:
            cells = RowCells(table, row, state.problems)
            reference = cells.text("meeting_reference", required=True, max_length=40)
            response_id = cells.text("response_id", required=True, max_length=60)
            values = {
                "respondent_role": cells.choice(
                    "respondent_role", formats.RESPONDENT_ROLES, required=True
                ),
                "submitted_on": cells.date("submitted_on"),
                "satisfaction": cells.choice("satisfaction", formats.SATISFACTION),
                "would_recommend": {"yes": True, "no": False, "": None}.get(
                    cells.choice("would_recommend", formats.YES_NO)
                ),
            }
            if reference and response_id:
                key = f"{reference}\x00{response_id}"
                if key in seen:
                    cells.error(
                        "response_id",
                        _("%(id)r appears twice for meeting %(reference)s (first on line %(line)s)")
                        % {"id": response_id, "reference": reference, "line": seen[key]},
                    )
                    continue
                seen[key] = cells.line
            if reference:
                self._check_meeting(cells, state, reference)
            existing = existing_by_key.get((reference, response_id))
            if existing is not None and existing.source != EvaluationSource.IMPORTED:
                cells.error(
                    "response_id",
                    _("%(id)r is an evaluation entered in the application; it is not overwritten")
                    % {"id": response_id},
                )
            if cells.failed:
                continue
            if existing is None:
                self.creates.append((reference, response_id, values))
                self.summary.count(True, False)
                continue
            changed = any(getattr(existing, f) != v for f, v in values.items())
            if changed:
                for name, value in values.items():
                    setattr(existing, name, value)
                self.updates.append(existing)
            self.summary.count(False, changed)
        if state.writing():
            self.apply(state)
        else:
            self.creates, self.updates = [], []
        state.advance(len(rows))

    @staticmethod
    def _check_meeting(cells, state, reference):
        status = state.meeting_status.get(reference)
        if status is None:
            request = state.requests.get(reference)
            meeting = meeting_of(request) if request is not None else None
            if meeting is not None:
                status = "held" if meeting.status == MeetingStatus.HELD else meeting.status
            elif request is not None:
                status = request.status
        if status is None:
            if state.checks("meetings.csv"):
                cells.error(
                    "meeting_reference",
                    _("unknown meeting %(reference)r (not in meetings.csv nor in the database)")
                    % {"reference": reference},
                )
        elif status != "held":
            cells.error(
                "meeting_reference",
                _("the meeting of %(reference)s was not held (status %(status)s)")
                % {"reference": reference, "status": status},
            )

    def apply(self, state):
        """Write the rows planned so far (called after each chunk)."""
        rows = []
        for reference, response_id, values in self.creates:
            meeting_id = state.meeting_ids.get(reference)
            if meeting_id is None:
                meeting_id = meeting_of(state.requests[reference]).pk
            rows.append({"meeting_id": meeting_id, "response_id": response_id, **values})
        for row in rows:
            row["satisfaction"] = row["satisfaction"] or ""
        bulk.insert_values(Evaluation, rows, source=EvaluationSource.IMPORTED)
        Evaluation.objects.bulk_update(self.updates, self.fields, batch_size=BATCH)
        self.creates, self.updates = [], []
