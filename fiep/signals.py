"""Extension points of the core: signals whose receivers contribute items in an order.

An earlier app (the core, the intake app) never names a later one: it sends an
``OrderedSignal`` and shows what the receivers return. A later app connects in its
``AppConfig.ready()`` with an ``order``; items appear by that order, and receivers with
the same order keep their connection order (the order of ``INSTALLED_APPS``).

``staff_home_panels`` (sent by the staff home with ``request``): receivers return a list
of ``(template_name, context)`` boxes. Orders in use: fiep_requests 10, facilitators 20,
meetings 30, evaluations 40, reports 50, the core's own administration box 90.
"""

from django.dispatch import Signal


class OrderedSignal(Signal):
    """A signal whose receivers each return None, one item (a tuple counts as one item)
    or a list of items; ``collect`` gathers them by the order given at connection."""

    def connect_ordered(self, func, *, order=100, dispatch_uid):
        """Connect ``func(**kwargs)`` (the keyword arguments of ``collect``) at ``order``."""

        def receiver(sender, signal, **kwargs):
            return order, func(**kwargs)

        receiver.__qualname__ = f"{func.__module__}.{func.__qualname__}"
        self.connect(receiver, weak=False, dispatch_uid=dispatch_uid)

    def collect(self, **kwargs):
        """Send the signal and return every receiver's items, by order."""
        results = sorted(
            (result for _receiver, result in self.send(sender=None, **kwargs)),
            key=lambda result: result[0],
        )
        items = []
        for _order, found in results:
            if found is None:
                continue
            if isinstance(found, tuple):
                items.append(found)
            else:
                items.extend(found)
        return items


staff_home_panels = OrderedSignal()

#: Sent by ``/health/`` (``now``) inside its database check. A receiver returns
#: ``(name, {"status": "ok" | "behind", …})`` for a part of the program the database
#: knows about (fiep_requests: "intake", the public form's requests not filed yet); a
#: status other than "ok" is listed among the problems.
health_parts = OrderedSignal()

#: Sent by the wording editor's preview on a real case (``event``, ``case_reference``,
#: ``user``, ``language``, ``request``). A receiver that knows ``event`` looks the case up
#: in the user's scope (``fiep.access.get_object_for``: Http404 outside it), records the
#: look in the access log and returns ``[values]``: that message's values taken from the
#: case (never its personal links); any other receiver returns None. Orders in use:
#: fiep_requests 10, meetings 20, facilitators 30, evaluations 40.
wording_preview_context = OrderedSignal()
