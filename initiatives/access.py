from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Initiative


def initiative_for(user, pk, *roles):
    """The initiative if `user` may see it (else 404) in one of `roles` (else 403).

    Returns the initiative and the set of roles the person holds in it.
    """
    initiative = get_object_or_404(
        Initiative.objects.visible_to(user).select_related("organisation"), pk=pk
    )
    user_roles = initiative.roles_of(user)
    if roles and not user_roles & set(roles):
        raise PermissionDenied
    return initiative, user_roles
