"""Peers a facilitator never wants matched together."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from initiatives.access import initiative_for
from initiatives.models import Role

from .. import services
from ..forms import KeepApartForm
from ..models import KeptApart


@login_required
@require_http_methods(["GET", "POST"])
def kept_apart(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    form = KeepApartForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        services.keep_apart(
            initiative=initiative,
            first=form.cleaned_data["first"],
            second=form.cleaned_data["second"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, _("These two peers will not be matched together."))
        return redirect("matching:kept_apart", pk=initiative.pk)
    pairs = initiative.kept_apart.select_related(
        "first__user", "first__home_organisation", "second__user", "second__home_organisation"
    )
    context = {"initiative": initiative, "form": form, "pairs": pairs}
    return render(request, "matching/kept_apart.html", context)


@login_required
@require_POST
def remove_kept_apart(request, pk, apart_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    kept = get_object_or_404(
        KeptApart.objects.select_related("first__user", "second__user"),
        initiative=initiative,
        pk=apart_pk,
    )
    services.allow_together(kept=kept, by=request.user)
    messages.success(request, _("These two peers can be matched together again."))
    return redirect("matching:kept_apart", pk=initiative.pk)
