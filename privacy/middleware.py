"""The notice gate: a signed-in person accepts each organisation's privacy notice first."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .queries import notices_all_accepted

# Pages open before the notice is accepted: the notice itself, signing in and out,
# static files, the language switch, the unsubscribe link and the admin.
OPEN_PREFIXES = ("/privacy/notice/", "/accounts/", "/i18n/", "/admin/", "/email/unsubscribe/")


def _open(path):
    return path.startswith((*OPEN_PREFIXES, f"/{settings.STATIC_URL.lstrip('/')}"))


def notice_gate(get_response):
    """Sends a signed-in person with a notice still to accept to the notice page (one
    query, or none once all are known to be accepted)."""

    def middleware(request):
        user = request.user
        if (
            settings.PRIVACY_NOTICE_GATE
            and user.is_authenticated
            and not _open(request.path_info)
            and not notices_all_accepted(user)
        ):
            target = request.get_full_path() if request.method == "GET" else "/"
            return redirect(f"{reverse('privacy:notice')}?{urlencode({'next': target})}")
        return get_response(request)

    return middleware
