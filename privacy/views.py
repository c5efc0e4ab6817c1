"""Pages of the personal-data app: asking to be erased, confirming it, closing an initiative."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from initiatives.access import initiative_for
from initiatives.models import Role

from . import queries, services
from .forms import CloseInitiativeForm, ErasureConfirmationForm


@login_required
@require_http_methods(["GET", "POST"])
def erasure(request):
    if request.method == "POST":
        services.request_erasure(person=request.user)
        messages.success(request, _("Your request to be erased has been sent."))
        return redirect("privacy:erasure")
    context = {
        "erasure_request": queries.latest_request_of(request.user),
        "initiatives": queries.initiatives_to_confirm(request.user),
        "confirm_days": settings.ERASURE_CONFIRM_DAYS,
    }
    return render(request, "privacy/erasure.html", context)


def _facilitated(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    return initiative


def _initiative_page(request, initiative, close_form=None):
    context = {
        "initiative": initiative,
        "confirmations": queries.confirmations_of(initiative),
        "close_form": close_form or CloseInitiativeForm(instance=initiative),
        "confirm_days": settings.ERASURE_CONFIRM_DAYS,
    }
    return render(request, "privacy/initiative.html", context)


@login_required
@require_http_methods(["GET"])
def initiative(request, pk):
    return _initiative_page(request, _facilitated(request, pk))


@login_required
@require_POST
def close(request, pk):
    initiative = _facilitated(request, pk)
    if initiative.personal_data_anonymised_at:
        messages.info(request, _("The initiative's personal data is anonymised already."))
        return redirect("privacy:initiative", pk=initiative.pk)
    form = CloseInitiativeForm(request.POST, instance=initiative)
    if not form.is_valid():
        return _initiative_page(request, initiative, form)
    services.close_initiative(
        initiative=initiative,
        by=request.user,
        retention_months=form.cleaned_data["retention_months"],
    )
    messages.success(request, _("The initiative is closed."))
    return redirect("privacy:initiative", pk=initiative.pk)


@login_required
@require_http_methods(["GET", "POST"])
def confirm_erasure(request, pk, confirmation_pk):
    initiative = _facilitated(request, pk)
    confirmation = get_object_or_404(queries.confirmations_of(initiative), pk=confirmation_pk)
    if confirmation.request.person_id == request.user.pk:
        raise PermissionDenied
    form = ErasureConfirmationForm(request.POST or None, instance=confirmation)
    if request.method == "POST" and form.is_valid() and confirmation.confirmed_at is None:
        started = services.confirm(
            confirmation=confirmation, by=request.user, keep_files=form.cleaned_data["keep_files"]
        )
        if started:
            messages.success(request, _("Confirmed: the person is being erased."))
        else:
            messages.success(request, _("Confirmed: the erasure waits for the other initiatives."))
        return redirect("privacy:initiative", pk=initiative.pk)
    context = {"initiative": initiative, "confirmation": confirmation, "form": form}
    return render(request, "privacy/confirm_erasure.html", context)
