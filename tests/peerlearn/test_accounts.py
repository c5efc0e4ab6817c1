import re
from uuid import uuid4

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from peerlearn.models import OutboxEmail, User

from ..factories import PASSWORD, UserFactory


def latest_code(email):
    body = OutboxEmail.objects.filter(to=email, kind="account_login_code").latest("pk").body
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE).group(1)


def test_sign_in_with_emailed_code(client, db):
    user = UserFactory(email="peer@example.org")

    client.post(reverse("account_request_login_code"), {"email": "Peer@Example.org"})
    response = client.post(reverse("account_confirm_login_code"), {"code": latest_code(user.email)})

    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


def test_sign_in_code_is_emailed_then_removed_from_the_outbox(
    client, db, django_capture_on_commit_callbacks
):
    user = UserFactory(email="peer@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": user.email})

    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[0].body, re.MULTILINE)
    stored = OutboxEmail.objects.get(to=user.email)
    assert (stored.status, stored.body, stored.html) == (
        OutboxEmail.Status.SENT,
        OutboxEmail.REMOVED_NOTE,
        "",
    )
    response = client.post(reverse("account_confirm_login_code"), {"code": code.group(1)})
    assert response.status_code == 302


def test_sign_in_with_wrong_code_is_refused(client, db):
    UserFactory(email="peer@example.org")
    client.post(reverse("account_request_login_code"), {"email": "peer@example.org"})

    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})

    assert response.status_code == 200
    assert "Incorrect code." in response.text
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_code_request_for_unknown_address_looks_the_same(client, db):
    UserFactory(email="known@example.org")

    known = client.post(reverse("account_request_login_code"), {"email": "known@example.org"})
    client.logout()
    unknown = client.post(reverse("account_request_login_code"), {"email": "nobody@example.org"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)


def test_sign_in_with_password(client, db):
    user = UserFactory(email="facilitator@example.org")

    response = client.post(
        reverse("account_login"), {"login": "FACILITATOR@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


def test_password_reset_email_goes_through_outbox(client, db):
    UserFactory(email="forgot@example.org")

    client.post(reverse("account_reset_password"), {"email": "forgot@example.org"})

    assert OutboxEmail.objects.filter(to="forgot@example.org").count() == 1


def test_one_account_per_address_whatever_its_case(db):
    User.objects.create_user("Same@Example.org")

    with pytest.raises(IntegrityError):
        User.objects.create(email="same@example.ORG ".strip().upper())


def test_sign_in_codes_are_limited_to_three_a_minute_per_address(client, db, settings):
    del settings.ACCOUNT_RATE_LIMITS  # the defaults, as on the live site
    email = f"limit-{uuid4().hex}@example.org"  # the shared cache may hold older counts
    UserFactory(email=email)

    responses = []
    for _attempt in range(4):
        client.logout()
        responses.append(client.post(reverse("account_request_login_code"), {"email": email}))

    assert OutboxEmail.objects.filter(to=email, kind="account_login_code").count() == 3
    assert [r.status_code for r in responses[:3]] == [302] * 3
    assert "Too many failed login attempts. Try again later." in responses[3].text
