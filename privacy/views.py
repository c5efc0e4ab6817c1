"""Pages of the personal-data app: the notice, "Your data", the archive, corrections."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from initiatives.access import initiative_for
from initiatives.models import Membership, Role
from peerlearn.uploads import download

from . import queries, services
from .forms import (
    AcceptNoticeForm,
    CloseInitiativeForm,
    CorrectionAnswerForm,
    CorrectionForm,
    ErasureConfirmationForm,
    NoticeForm,
)
from .models import ConsentKind

# --- the notice ---


def _next(request):
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return "/"


@login_required
def notice(request):
    pending = queries.notices_to_accept(request.user).first()
    if pending is None:
        notices = [queries.current_notice(o) for o in queries.organisations_of(request.user)]
        return render(request, "privacy/notices.html", {"notices": notices})
    context = {
        "notice": queries.current_notice(pending),
        "form": AcceptNoticeForm(),
        "next": _next(request),
    }
    return render(request, "privacy/notice_accept.html", context)


@login_required
@require_POST
def notice_accept(request, organisation_pk):
    organisation = get_object_or_404(queries.organisations_of(request.user), pk=organisation_pk)
    form = AcceptNoticeForm(request.POST)
    if not form.is_valid():
        context = {"notice": queries.current_notice(organisation), "form": form}
        return render(request, "privacy/notice_accept.html", context)
    services.accept_notice(
        person=request.user, organisation=organisation, consents=form.cleaned_data["consents"]
    )
    messages.success(request, _("Thank you: you accepted the privacy notice."))
    if queries.notices_to_accept(request.user).exists():
        return redirect(f"{reverse('privacy:notice')}?{urlencode({'next': _next(request)})}")
    return redirect(_next(request))


def _own_organisation(request):
    organisation = request.user.facilitating_organisation
    if organisation is None:
        raise PermissionDenied
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request):
    organisation = _own_organisation(request)
    current = queries.current_notice(organisation)
    form = NoticeForm(request.POST or None, initial={"text": current.text})
    if request.method == "POST" and form.is_valid():
        services.write_notice(organisation=organisation, by=request.user, **form.cleaned_data)
        messages.success(request, _("The new version of the privacy notice is in force."))
        return redirect("privacy:notice_edit")
    context = {
        "organisation": organisation,
        "current": current,
        "form": form,
        "versions": queries.notice_versions(organisation),
    }
    return render(request, "privacy/notice_edit.html", context)


# --- Your data ---


@login_required
def your_data(request):
    person = request.user
    if request.htmx:  # the archive's progress, polled while it is built
        archive = queries.archives_of(person).first()
        return render(request, "privacy/_archive.html", {"archive": archive})
    context = {
        "consents": queries.consents_of(person),
        "acceptances": queries.acceptances_of(person),
        "archive": queries.archives_of(person).first(),
        "corrections": queries.corrections_of(person),
        "memberships": queries.memberships_of(person),
        "groups": queries.records_by_initiative(person),
    }
    return render(request, "privacy/your_data.html", context)


def _kind(kind):
    if kind not in ConsentKind.values:
        raise Http404
    return ConsentKind(kind)


@login_required
@require_POST
def consent_give(request, kind):
    services.set_consent(person=request.user, kind=_kind(kind), given=True)
    messages.success(request, _("Consent given: it applies from now on."))
    return redirect("privacy:your_data")


@login_required
@require_POST
def consent_withdraw(request, kind):
    services.set_consent(person=request.user, kind=_kind(kind), given=False)
    messages.success(request, _("Consent withdrawn: it applies from now on."))
    return redirect("privacy:your_data")


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
def archive_request(request):
    services.request_archive(person=request.user)
    messages.success(
        request, _("Your archive is being built; we will email you a link when it is ready.")
    )
    return redirect("privacy:your_data")


@login_required
def archive_download(request, archive_pk):
    archive = get_object_or_404(queries.archives_of(request.user), pk=archive_pk)
    if archive.is_downloadable and default_storage.exists(archive.path):
        return download(
            default_storage.open(archive.path),
            filename=f"peerlearn-data-{archive.ready_at:%Y-%m-%d}.zip",
            content_type="application/zip",
        )
    return render(request, "privacy/archive_expired.html", {"archive": archive}, status=410)


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


# --- corrections ---


@login_required
@require_http_methods(["GET", "POST"])
def correction_new(request, pk):
    initiative, _roles = initiative_for(request.user, pk)
    membership = Membership.objects.filter(initiative=initiative, user=request.user).first()
    if membership is None:
        raise PermissionDenied
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ask_correction(membership=membership, **form.cleaned_data)
        messages.success(request, _("Your request is with the facilitators."))
        return redirect("privacy:your_data")
    return render(request, "privacy/correction_new.html", {"initiative": initiative, "form": form})


@login_required
def corrections(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    rows = queries.corrections_of_initiative(initiative)
    return render(request, "privacy/corrections.html", {"initiative": initiative, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def correction_answer(request, pk, correction_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    correction = get_object_or_404(
        queries.corrections_of_initiative(initiative).open(), pk=correction_pk
    )
    form = CorrectionAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.answer_correction(request=correction, by=request.user, **form.cleaned_data)
        messages.success(request, _("Answered; the person has been told."))
        return redirect("privacy:corrections", pk=initiative.pk)
    context = {"initiative": initiative, "correction": correction, "form": form}
    return render(request, "privacy/correction_answer.html", context)


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
