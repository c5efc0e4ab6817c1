"""Whatever facilitators and peers type is shown as text, never as markup, on every page.

One initiative is filled with one of everything; then every text a person can write is
overwritten with a payload that would redirect the reader's browser if it became markup,
and every page of the permission matrix is opened by everyone allowed to see it.
"""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.urls import get_resolver, reverse
from django.utils import timezone

from contact import services as contact_services
from contact.models import MatchCheckIn
from evaluation.models import ReportReply
from initiatives.models import (
    AgendaItem,
    Attendance,
    ContractTemplate,
    EngagementOption,
    EngagementSignUp,
    Event,
    Risk,
    Role,
    Scoping,
)
from initiatives.models.scoping import SECTIONS
from initiatives.services import contracts, invite
from matching import services as matching
from matching.models import MatchMember
from matching.peer_import import prepare
from surveys.models import Question, Response
from surveys.services import add_question, save_draft

from .contact.factories import library_document, logged_by_partner, notes_upload, pair, post_in
from .contact.matrix_contact import help_kwargs, nudge_token, unsubscribe_kwargs
from .diffusion import factories as diffusion
from .evaluation.factories import evaluation_world, sent_report
from .matching.factories import add_surveyed_peers, profile_world, proposed_run, published_run
from .permissions import visitor
from .privacy.factories import correction_asked, ready_archive
from .privacy.matrix_erasure import confirmation_kwargs
from .surveys.factories import open_survey_for
from .test_permission_matrix import MATRIX

PAYLOAD = '<meta http-equiv="refresh" content="0;url=https://evil.example">"\'><b>x</b>'
NOT_WRITTEN_BY_PEOPLE = {
    *("password", "email", "time_zone", "seed_key", "key", "kind", "to"),
    *("action", "target_id"),  # the audit log's codes
    *("token", "pdf", "language"),  # a report's access token, stored file and language code
    "path",  # where a data archive is stored
}
TEXT_ANSWERS = {
    Question.Kind.SHORT_TEXT,
    Question.Kind.LONG_TEXT,
    Question.Kind.SINGLE_CHOICE,
}


def fill(world):
    """One of everything a page can show, in the world's initiative."""
    initiative, peer = world.initiative, world.initiative.memberships.get(user=world.peer)
    Scoping.objects.get_or_create(initiative=initiative)
    risk = Risk.objects.create(initiative=initiative, description="Peers drift away.")
    starts = timezone.now() + timedelta(days=10)
    event = Event.objects.create(
        initiative=initiative,
        kind=Event.Kind.LARGE_GROUP,
        title="Kick-off",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        time_zone="Europe/Chisinau",
    )
    item = AgendaItem.objects.create(event=event, starts_at="09:00", title="Welcome")
    Attendance.objects.create(event=event, membership=peer, present=True, recorded_at=starts)
    ContractTemplate.for_initiative(initiative)
    contract = contracts.sign_contract(membership=peer, name="Peer Person")
    option = EngagementOption.objects.create(
        initiative=initiative, kind=EngagementOption.Kind.ONLINE_GROUP, title="Online group"
    )
    EngagementSignUp.objects.create(option=option, membership=peer)
    survey = open_survey_for(initiative)
    for kind in (Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE):
        add_question(
            survey=survey, by=world.facilitator, text="Pick", kind=kind, choices="One\nTwo"
        )
    save_draft(survey=survey, membership=peer, answers={})
    profile_world(world)
    run = published_run(initiative, world.facilitator)
    contact_services.send_match_check_ins(
        now=run.published_at + contact_services.FIRST_CHECK_IN_AFTER
    )
    # The peer's own match stays running: its story page is theirs to read too.
    peers_match = run.matches.get(members__membership=peer)
    ended = run.matches.exclude(pk=peers_match.pk).last()
    matching.end_match(match=ended, kind="other", reason="Moved on", by=None)
    others = initiative.memberships.filter(user__in=[world.peer, world.peer_elsewhere])
    apart = matching.keep_apart(initiative=initiative, first=others[0], second=others[1])
    add_surveyed_peers(initiative, 2)
    proposed = proposed_run(initiative, world.facilitator)
    invitation = invite(
        initiative=initiative, email="new@example.org", role=Role.PEER, by=world.facilitator
    )
    upload = prepare(
        initiative=initiative,
        filename=f"{PAYLOAD}.csv",
        content=f"email,name,organisation,position\nnew.peer@example.org,{PAYLOAD},{PAYLOAD},"
        f"{PAYLOAD}\nbroken,{PAYLOAD},,\n".encode(),
        by=world.facilitator,
    )
    check_in = MatchCheckIn.objects.filter(membership=peer).first()
    contact_services.answer_check_in(check_in=check_in, rating=1, not_working=True, comment="Hm")
    logistics = contact_services.request_logistics(
        membership=peer, by=world.peer, kind="venue", details="A room", match=peers_match
    )
    contact_services.update_logistics_request(
        request=logistics, by=world.facilitator, status="declined", note="No budget"
    )
    paired = pair(world)[0]  # the world's peer is in it, whatever the engine proposed
    contact = logged_by_partner(world, match=paired)
    contact.host_organisation = peer.home_organisation
    contact.save(update_fields=["host_organisation"])
    post = post_in(world, attachment=notes_upload())
    post_in(world, by=world.peer_elsewhere, parent=post)
    post_in(world, match=peers_match, by=world.facilitator)
    momentum = momentum_kwargs(world)
    sharing = diffusion.plan_item(world)
    diffusion.report_back(world, plan_item=sharing, colleague_names="Ana")
    change_story = diffusion.story(world)
    change_story.verify(name="Ana", role="Head of unit", on=timezone.localdate())
    home_commitment = diffusion.commitment(world)
    home_commitment.countersign(by=world.authoriser, when=timezone.now())
    local = diffusion.community(world)
    report = sent_report(world)
    ReportReply.objects.create(report=report, author=world.authoriser, text="We will.")
    return {
        **momentum,
        **evaluation_world(world, paired),
        "pk": initiative.pk,
        "risk_pk": risk.pk,
        "event_pk": event.pk,
        "item_pk": item.pk,
        "contract_pk": contract.pk,
        "option_pk": option.pk,
        "question_pk": survey.questions.last().pk,
        "membership_pk": peer.pk,
        "run_pk": proposed.pk,
        "match_pk": peers_match.pk,
        "member_pk": MatchMember.objects.filter(match__run=proposed).first().pk,
        "apart_pk": apart.pk,
        "check_in_pk": check_in.pk,
        "request_pk": logistics.pk,
        "token": invitation.token,
        "import_pk": upload.pk,
        "participant_pk": contact.participants.get(membership=peer).pk,
        "document_pk": library_document(world).pk,
        "post_pk": post.pk,
        "plan_item_pk": sharing.pk,
        "story_pk": change_story.pk,
        "community_pk": local.pk,
        "dimension": "diffusion",  # a trend chart of the evaluation dashboard
        "organisation_pk": world.home.pk,
        "report_token": report.token,
        "archive_pk": ready_archive(world).pk,
        "correction_pk": correction_asked(world).pk,
        **confirmation_kwargs(world),
    }


def momentum_kwargs(world):
    """A help request, the links of a nudge and the unsubscribe link."""
    tokens = [nudge_token(purpose)(world) for purpose in ("log", "in_touch", "help")]
    return {
        "help_pk": help_kwargs(world)["help_pk"],
        **{key: value for token in tokens for key, value in token.items()},
        **unsubscribe_kwargs(world),
    }


def poison():
    """Overwrite every text people write, in every row, with the payload."""
    for app in (
        "peerlearn",
        "initiatives",
        "surveys",
        "matching",
        "contact",
        "evaluation",
        "diffusion",
        "privacy",
    ):
        for model in apps.get_app_config(app).get_models():
            fields = [
                field.name
                for field in model._meta.concrete_fields
                if type(field) in (models.CharField, models.TextField)
                and not field.choices
                and field.name not in NOT_WRITTEN_BY_PEOPLE
            ]
            if fields:
                # The row's id keeps names unique where they must be.
                text = Concat(Value(PAYLOAD), Cast("pk", models.CharField()))
                model.objects.update(**dict.fromkeys(fields, text))
    Question.objects.exclude(choices="").update(choices=f"{PAYLOAD}\nTwo")
    for response in Response.objects.select_related("survey"):
        response.save_answers(
            {
                str(question.pk): PAYLOAD if question.kind in TEXT_ANSWERS else [PAYLOAD]
                for question in response.survey.questions.all()
                if question.kind in TEXT_ANSWERS | {Question.Kind.MULTIPLE_CHOICE}
            }
        )


class MarkupFinder(HTMLParser):
    """Tags in the page's body that only the payload could have put there."""

    def __init__(self):
        super().__init__()
        self.in_body = False
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        elif self.in_body and (tag in ("meta", "b") or "http-equiv" in dict(attrs)):
            self.found.append(tag)


def markup_in(html):
    finder = MarkupFinder()
    finder.feed(html)
    return finder.found


def pages(kwargs):
    """(url, roles allowed to see it) for every page of the site, every scoping section."""
    parameters = url_parameters()
    for name, (method, _builder, expected) in MATRIX.items():
        allowed = [role for role, status in expected.items() if status == 200]
        if method != "get" or not allowed:
            continue
        if name == "initiatives:scoping_section":
            for section in SECTIONS:
                yield reverse(name, kwargs={"pk": kwargs["pk"], "slug": section.slug}), allowed
        else:
            yield reverse(name, kwargs={key: kwargs[key] for key in parameters[name]}), allowed


def url_parameters():
    """{url name: names of its parameters} for the site's own URLs."""
    parameters = {}
    for included in get_resolver().url_patterns:
        for pattern in getattr(included, "url_patterns", [included]):
            if getattr(pattern, "name", None):
                namespace = getattr(included, "namespace", None)
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                # The first pattern of a name: survey pages come again with a survey key.
                parameters.setdefault(name, list(pattern.pattern.converters))
    return parameters


@pytest.mark.django_db
def test_text_people_write_never_becomes_markup(client, world, settings):
    settings.SHOW_MAILBOX = True
    kwargs = fill(world)
    poison()
    without_payload, failures = set(), []

    for url, roles in [*pages(kwargs), (reverse("mailbox"), ["facilitator"])]:
        for role in roles:
            client.logout()
            if role != "anonymous":
                client.force_login(visitor(world, role))
            response = client.get(url)
            if response.status_code != 200:
                failures.append((url, role, response.status_code))
            elif response["Content-Type"].startswith("text/html"):
                body = response.content.decode()
                if "&lt;meta http-equiv" not in body:
                    without_payload.add(url)
                if "<meta http-equiv" in body.lower() or markup_in(body):
                    failures.append((url, role, "markup"))

    assert failures == [], failures
    # Every other page showed the payload, as text.
    assert without_payload == {
        reverse("home"),  # to visitors who have not signed in
        reverse("start_organisation"),
        reverse("initiatives:create"),
        reverse("email_preferences"),  # says only which email one receives
        reverse("evaluation:my_reports"),  # to those who receive no report
        reverse("profile"),  # only the visitor's own name, unwritten for those made after
        reverse("privacy:notice"),  # to those in no initiative: no notice applies
        reverse("privacy:erasure"),  # to those in no initiative
    }
