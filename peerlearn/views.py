from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from . import subscriptions
from .forms import FacilitatingOrganisationForm, ProfileForm
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


@csrf_exempt  # mail programs POST the one-click link with no form (RFC 8058); the link is signed
@require_http_methods(["GET", "POST"])
def unsubscribe(request, unsubscribe_token):
    """The link in optional email: GET asks, POST unsubscribes at once, no sign-in needed."""
    person = subscriptions.user_from_token(unsubscribe_token)
    if person is None:
        return render(request, "peerlearn/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        subscriptions.unsubscribe(user=person)
    context = {"person": person, "done": request.method == "POST"}
    return render(request, "peerlearn/unsubscribe.html", context)


@login_required
@require_GET
def email_preferences(request):
    return render(request, "peerlearn/email_preferences.html")


@login_required
@require_POST
def email_subscribe(request):
    subscriptions.subscribe_again(user=request.user)
    messages.success(request, _("You will receive optional email again."))
    return redirect("email_preferences")


@login_required
@require_POST
def email_unsubscribe(request):
    subscriptions.unsubscribe(user=request.user)
    messages.success(request, _("You will no longer receive optional email."))
    return redirect("email_preferences")


@require_POST
def set_language(request):
    """Switch the interface language; a signed-in person keeps it for their emails too."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


# --- content languages: the person's profile (name and language) ---


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """A person's name and language; the language rules their pages and emails from now."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        translation.activate(person.language)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("profile")
        # This browser's earlier choice with the switch would hide the new language.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            person.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "peerlearn/profile.html", {"form": form})
