"""Hooks through which later apps add to a case without fiep_requests importing them.

Apps listed after fiep_requests (facilitators, meetings, evaluations) register in their
``AppConfig.ready()``:

- a *timeline provider* ``func(case) -> iterable[TimelineEntry]`` adds events (assignments,
  meetings, outcomes) to the case timeline;
- a *case panel* ``func(http_request, case) -> (template_name, context) | None`` adds a
  section to the staff case page (assignment, meeting, evaluations). Panels appear by
  ``order`` (then registration order): the apps of the case's flow use 10 (facilitators),
  20 (meetings) and 30 (evaluations), so the page reads in the order the work is done;
  anything else (default 100) comes after them.
"""

import datetime
from dataclasses import dataclass, field

_timeline_providers = []
_case_panels = []
_case_panel_order = {}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # "status", "message", "note", "assignment", "meeting", …
    text: str
    by: str = ""
    detail: str = field(default="")


def register_timeline_provider(func):
    if func not in _timeline_providers:
        _timeline_providers.append(func)
    return func


def register_case_panel(func, order=100):
    if func not in _case_panels:
        _case_panels.append(func)
    _case_panel_order[func] = order
    return func


def extra_timeline_entries(case):
    entries = []
    for provider in _timeline_providers:
        entries.extend(provider(case))
    return entries


def extra_case_panels(http_request, case):
    panels = []
    for func in sorted(_case_panels, key=lambda f: _case_panel_order.get(f, 100)):
        panel = func(http_request, case)
        if panel is not None:
            panels.append(panel)
    return panels
