from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import FacilitatingOrganisationForm
from .models import OutboxEmail


@login_required
def start_organisation(request):
    """A person who signed up on their own starts their facilitating organisation."""
    if request.user.is_facilitator:
        raise PermissionDenied
    form = FacilitatingOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save_for(request.user)
        messages.success(request, _("Your organisation is ready. Create your first initiative."))
        return redirect("initiatives:create")
    return render(request, "peerlearn/start_organisation.html", {"form": form})


def mailbox(request):
    """Emails the platform sent, for demo installations without a mail server."""
    if not settings.SHOW_MAILBOX:
        raise Http404
    emails = OutboxEmail.objects.all()[:50]
    return render(request, "peerlearn/mailbox.html", {"emails": emails})
