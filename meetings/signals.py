"""Events the meetings app announces to apps listed before it (see DESIGN.md)."""

from django.dispatch import Signal

#: Sent after a meeting's outcome is recorded and committed. kwargs: ``meeting``.
outcome_recorded = Signal()
