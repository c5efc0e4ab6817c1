"""A Russian-speaking peer is invited, accepts, answers a Russian survey and reads Russian
emails and match reasons (what issue 15 asks of languages, end to end)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from initiatives import services
from initiatives.models import Membership, Role
from peerlearn.models import OutboxEmail, User
from privacy.models import ConsentKind
from privacy.services import set_consent
from surveys.models import Question, Response

from .factories import MembershipFactory, OrganisationFactory
from .matching.factories import PeerProfileFactory, published_run
from .surveys.factories import open_survey_for

RUSSIAN = re.compile("[А-Яа-яЁё]{4,}")
CHALLENGES = "Which challenges and problems are you facing in your work right now?"
Field = Question.ProfileField


@pytest.fixture(autouse=True)
def english_around():
    with translation.override("en"):
        yield


def in_russian(message):
    with translation.override("ru"):
        return gettext(message)


def answers(survey):
    def key(field):
        return f"q{survey.questions.get(profile_field=field).pk}"

    return {
        key(Field.CHALLENGES): "Payment arrears pile up because commitments are not recorded.",
        key(Field.CHALLENGE_TAGS): ["pfm"],
        key(Field.POSITION): "Head of budget execution",
        key(Field.YEARS_OF_SERVICE): "11",
        key(Field.LANGUAGES): ["ru", "en"],
        key(Field.TIME_ZONE): "UTC+3",
    }


def partner_with_the_same_problem(world):
    membership = MembershipFactory(
        initiative=world.initiative, role=Role.PEER, home_organisation=OrganisationFactory()
    )
    PeerProfileFactory(
        membership=membership,
        challenges="Arrears keep piling up: commitments are not recorded before payment.",
        languages=["ru", "en"],
    )
    return membership.user


def test_a_russian_speaking_peer_goes_through_in_russian(
    client, world, django_capture_on_commit_callbacks
):
    survey = open_survey_for(world.initiative)
    for membership in Membership.objects.filter(initiative=world.initiative, role=Role.PEER):
        membership.delete()  # Olga and her partner are the only peers to match
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            initiative=world.initiative,
            email="olga@example.org",
            role=Role.PEER,
            by=world.facilitator,
            name="Olga Petrova",
        )
    (invited,) = [message for message in mail.outbox if message.to == ["olga@example.org"]]

    client.post(invitation.get_absolute_url())
    olga = User.objects.get(email="olga@example.org")
    client.force_login(olga)
    survey_page = client.get(reverse("surveys:survey", args=[world.initiative.pk])).text
    submitted = client.post(reverse("surveys:submit", args=[world.initiative.pk]), answers(survey))

    partner = partner_with_the_same_problem(world)
    for person in (olga, partner):
        set_consent(person=person, kind=ConsentKind.ANSWERS_TO_MATCHES, given=True)
    with django_capture_on_commit_callbacks(execute=True):
        run = published_run(world.initiative, by=world.facilitator)
    match = run.matches.get(members__membership__user=olga)
    match_page = client.get(reverse("matching:my_match", args=[world.initiative.pk])).text
    told = OutboxEmail.objects.get(to=olga.email, kind="match_published")  # no code in it

    assert RUSSIAN.search(invited.subject) and RUSSIAN.search(invited.body)
    assert olga.language == "ru"
    assert in_russian(CHALLENGES) in survey_page and CHALLENGES not in survey_page
    assert submitted.status_code == 302
    assert Response.objects.get(membership__user=olga).submitted_at is not None
    assert RUSSIAN.search(told.subject) and RUSSIAN.search(told.body)
    with translation.override("ru"):
        reasons = match.reason_sentences
    assert reasons and all(RUSSIAN.search(reason) for reason in reasons)
    assert escape(reasons[0]) in match_page
