"""Signals the intake app sends, for apps listed after it (they may import this module).

``request_closed``: a request ended before its meeting was held — withdrawn, cancelled or
found not eligible. Sent inside the closing transaction with ``request`` (the case),
``status`` (its new status) and ``by`` (the user, or None for the requester or a task).
A meetings receiver can cancel a scheduled meeting; a facilitators receiver can release
the assignment. Receivers must not raise for a case they have nothing to do with.
"""

from django.dispatch import Signal

request_closed = Signal()
