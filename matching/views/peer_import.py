from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from initiatives.access import initiative_for
from initiatives.models import Role

from .. import peer_import
from ..forms import PeerListForm


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    form = PeerListForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        started = peer_import.start_check(
            initiative=initiative,
            filename=form.cleaned_data["file"].name,
            content=form.content,
            by=request.user,
        )
        return redirect(started)
    context = {"initiative": initiative, "form": form, "max_people": peer_import.MAX_ROWS}
    return render(request, "matching/import/upload.html", context)


@login_required
@require_GET
def preview(request, pk, import_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    prepared = get_object_or_404(initiative.peer_imports, pk=import_pk)
    context = {"initiative": initiative, "peer_import": prepared}
    if request.htmx and prepared.is_working:
        return render(request, "matching/import/preview.html#progress", context)
    if request.htmx:
        return HttpResponseClientRefresh()
    context["counts"] = peer_import.summary(prepared.rows)
    if prepared.status == prepared.Status.FAILED:
        context["form"] = PeerListForm()
    return render(request, "matching/import/preview.html", context)


@login_required
@require_POST
def confirm(request, pk, import_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    prepared = get_object_or_404(initiative.peer_imports, pk=import_pk)
    if peer_import.start_import(peer_import=prepared, by=request.user):
        messages.success(request, _("The import has started."))
    else:
        messages.info(
            request, _("This list is not waiting to be imported; its status is shown below.")
        )
    return redirect(prepared)
