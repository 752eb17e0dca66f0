"""Extension points of the case, as ordered signals (``fiep.signals.OrderedSignal``), so
that fiep_requests never imports the apps after it.

Apps after fiep_requests (facilitators, meetings, evaluations) connect in their
``AppConfig.ready()``:

- ``case_timeline_entries.connect_ordered(func, dispatch_uid=…)``: ``func(case) ->
  iterable[TimelineEntry]`` adds events (assignments, meetings, outcomes) to the case
  timeline (the timeline is sorted by time, so the order does not matter);
- ``case_panels.connect_ordered(func, order=…, dispatch_uid=…)``: ``func(http_request,
  case) -> (template_name, context) | None`` adds a section to the staff case page. The
  apps of the case's flow use 10 (facilitators), 20 (meetings) and 30 (evaluations), so
  the page reads in the order the work is done; anything else (default 100) comes after;
- ``status_page_sections.connect_ordered(func, order=…, dispatch_uid=…)``: ``func(case)
  -> (template_name, context) | None`` adds a section to the requester's private status
  page (the meetings app: the meeting and the shared summary). It is sent only while the
  link shows the case's details (``selectors.private_link_retired`` is false), so a
  receiver never has to decide that rule itself.
"""

import datetime
from dataclasses import dataclass, field

from fiep.signals import OrderedSignal

case_timeline_entries = OrderedSignal()
case_panels = OrderedSignal()
status_page_sections = OrderedSignal()


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # "status", "message", "note", "assignment", "meeting", …
    text: str
    by: str = ""
    detail: str = field(default="")


def connect_case_extensions(label, hooks, changes_panel, *, order):
    """Connect what an app adds to a case: ``hooks.case_panel`` (its section of the case
    page, at ``order``), ``hooks.timeline_entries`` and ``changes_panel`` (its change
    history, after the flow). ``label`` (the app's) names the receivers, so connecting
    twice changes nothing."""
    case_panels.connect_ordered(hooks.case_panel, order=order, dispatch_uid=label)
    case_panels.connect_ordered(changes_panel, dispatch_uid=f"{label}-changes")
    case_timeline_entries.connect_ordered(hooks.timeline_entries, dispatch_uid=label)
