"""An initiative's history: who changed what, for its facilitators, on screen or as CSV."""

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from peerlearn import audit
from peerlearn.spreadsheets import csv_response

from ..access import initiative_for
from ..forms import HistoryFilterForm
from ..models import Role

ENTRIES_PER_PAGE = 50
CSV_HEADER = ["when", "who", "email", "action", "change", "concerning", "details"]


def _filtered(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    form = HistoryFilterForm(request.GET, initiative=initiative)
    return initiative, form, audit.history(initiative, **form.filters())


@login_required
@require_GET
def history(request, pk):
    initiative, form, entries = _filtered(request, pk)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(entry, audit.label(entry.action), audit.summary(entry.data)) for entry in page]
    context = {"initiative": initiative, "form": form, "page": page, "rows": rows}
    return render(request, "initiatives/history.html", context)


@login_required
@require_GET
@audit.records_access()
def history_csv(request, pk):
    initiative, _form, entries = _filtered(request, pk)
    rows = (_csv_row(entry) for entry in entries.iterator(chunk_size=2000))
    return csv_response(filename=f"history-{initiative.pk}.csv", header=CSV_HEADER, rows=rows)


def _csv_row(entry):
    actor = entry.actor
    return [
        timezone.localtime(entry.at).isoformat(timespec="seconds"),
        str(actor) if actor else "",
        actor.email if actor else "",
        entry.action,
        str(audit.label(entry.action)),
        entry.target_label,
        json.dumps(entry.data, ensure_ascii=False) if entry.data else "",
    ]
