"""Signals the intake app sends, for apps listed after it (they may import this module).

``request_closed``: a request ended before its meeting was held — withdrawn, cancelled or
found not eligible. Sent inside the closing transaction with ``request`` (the case),
``status`` (its new status) and ``by`` (the user, or None for the requester or a task).
A meetings receiver can cancel a scheduled meeting; a facilitators receiver can release
the assignment. Receivers must not raise for a case they have nothing to do with.

``identifying_data_purge``: see its docstring below (retention and destruction).
"""

from django.dispatch import Signal

request_closed = Signal()

identifying_data_purge = Signal()
"""Sent by ``retention.student_data_purge`` once per case whose identifying data is being
destroyed, inside the purge transaction, with ``case`` and ``now``. Apps after
fiep_requests blank their own identifying fields for that case (participants, e-mails,
free text) and return the list of category codes they destroyed (keys of
``fiep_requests.enums.RETENTION_CATEGORIES``). Receivers must keep the de-identified facts the
reports count and must not raise for a case they have nothing to do with."""
