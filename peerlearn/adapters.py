import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from .outbox import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return settings.ACCOUNT_SIGNUP_OPEN

    def login(self, request, user):
        super().login(request, user)
        user.remember_language(translation.get_language())

    def send_mail(self, template_prefix, email, context):
        """Account emails (codes, resets, confirmations) go through the outbox too."""
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mime in getattr(message, "alternatives", [])
                if mime == "text/html"
            ),
            "",
        )
        kind = template_prefix.rsplit("/", 1)[-1]
        queue_email(
            to=email,
            kind=f"account_{kind}",
            key=f"account:{kind}:{uuid.uuid4().hex}",
            subject=message.subject,
            body=message.body,
            html=html,
        )
