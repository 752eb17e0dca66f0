"""The one error a service raises when it refuses a write.

Every app's services raise :class:`ServiceError` (or a subclass that names the kind of
refusal, e.g. ``facilitators.services.AssignmentRefused``) with a message the person can
act on, already translated. Views never catch it themselves: they run the service through
:func:`fiep.calls.call_service`, which shows the refusal as form errors or as a message.
See ``docs/conventions.md`` ("Services and errors").
"""


class ServiceError(Exception):
    """A write was refused for a reason the person can act on (shown to them).

    ``message`` is a (translated) text or a list of them; ``field`` names the form field
    the refusal is about (None: the form as a whole); ``code`` is a stable label for
    tests and logs (e.g. ``"not_allowed_now"``).
    """

    def __init__(self, message, *, field=None, code=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    @property
    def messages(self):
        """The refusal as a list of texts (a service may give several at once)."""
        if isinstance(self.message, list | tuple):
            return [str(text) for text in self.message]
        return [str(self.message)]

    def __str__(self):
        return " ".join(self.messages)
