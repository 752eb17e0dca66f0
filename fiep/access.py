"""The one way a view checks access to an object.

A function view is decorated ``@login_required`` then
``@permission_required(perm, raise_exception=True)`` (the django-rules backend decides the
role's permission: anonymous → log-in page, a role without the function → 403). A view
about one object then fetches it with :func:`get_object_for`: through the user's scoped
queryset (``visible_requests(user)``, ``visible_meetings(user)``, ``visible_claims(user)``
…), so an object outside the user's scope is 404 whether or not it exists, and only then
checks the object permission (403: in scope, but not allowed to do this to it).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404


def get_object_for(user, scoped, perm=None, **lookup):
    """The object matching ``lookup`` in ``user``'s scope, if ``user`` holds ``perm`` on it.

    ``scoped`` is a queryset already limited to the user's scope, or a selector called as
    ``scoped(user)`` (``visible_requests``). Not in scope → ``Http404``; in scope without
    ``perm`` on the object → ``PermissionDenied`` (403). ``perm=None`` checks scope only.
    """
    queryset = scoped if isinstance(scoped, QuerySet) else scoped(user)
    obj = get_object_or_404(queryset, **lookup)
    if perm is not None and not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj
