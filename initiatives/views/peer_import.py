from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import peer_import
from ..access import initiative_for
from ..forms import PeerListForm
from ..models import Role


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    form = PeerListForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            prepared = peer_import.prepare(
                initiative=initiative, filename=upload.name, content=upload.read(), by=request.user
            )
        except peer_import.UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            return redirect("initiatives:import_preview", pk=initiative.pk, import_pk=prepared.pk)
    return render(
        request, "initiatives/import/upload.html", {"initiative": initiative, "form": form}
    )


@login_required
@require_GET
def preview(request, pk, import_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    prepared = get_object_or_404(initiative.peer_imports, pk=import_pk)
    context = {
        "initiative": initiative,
        "peer_import": prepared,
        "counts": peer_import.summary(prepared.rows),
    }
    return render(request, "initiatives/import/preview.html", context)


@login_required
@require_POST
def confirm(request, pk, import_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    prepared = get_object_or_404(initiative.peer_imports, pk=import_pk)
    if prepared.imported_at:
        messages.info(request, _("This list has already been imported."))
        return redirect("initiatives:people", pk=initiative.pk)
    counts = peer_import.import_rows(peer_import=prepared, by=request.user)
    messages.success(
        request,
        _("%(invited)d peers invited, %(updated)d already invited peers updated.") % counts,
    )
    return redirect("initiatives:people", pk=initiative.pk)
