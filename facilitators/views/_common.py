from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def require_perm(request, perm, obj=None):
    """Anonymous → login redirect (returned); a role without the function → 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return None
