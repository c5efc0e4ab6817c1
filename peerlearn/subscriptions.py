"""Optional email: the one-click unsubscribe link, its headers, and the person's choice.

Essential email (sign-in codes, invitations, logistics status) is always sent; optional
email (nudges, later digests) is sent only to people who want it, and carries
List-Unsubscribe headers (RFC 8058) so mail programs offer a one-click unsubscribe.
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import User
from .outbox import absolute_url

SALT = "peerlearn.unsubscribe"

audit.describe(
    **{
        "email.unsubscribe": _("Unsubscribed from optional email"),
        "email.subscribe": _("Subscribed to optional email again"),
    }
)


def unsubscribe_url(user):
    """The absolute, signed link that unsubscribes `user`; it does not expire."""
    token = signing.dumps({"u": user.pk}, salt=SALT)
    return absolute_url(reverse("unsubscribe", args=[token]))


def user_from_token(token):
    """The person a link was made for, or None for a link that was tampered with."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("u"), is_active=True).first()


def optional_email_headers(user):
    """Headers for an optional email to `user`: the one-click unsubscribe link."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe(*, user, by=None):
    """Stop optional email to `user` (again is harmless). Side effects: one audit entry."""
    if not user.wants_optional_email:
        return
    with transaction.atomic():
        user.set_unsubscribed(timezone.now())
        audit.log(actor=by or user, action="email.unsubscribe", target=user)


def subscribe_again(*, user):
    """Send optional email to `user` again. Side effects: one audit entry."""
    if user.wants_optional_email:
        return
    with transaction.atomic():
        user.set_unsubscribed(None)
        audit.log(actor=user, action="email.subscribe", target=user)
