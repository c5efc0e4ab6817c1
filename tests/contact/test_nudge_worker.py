"""The quiet-match sweep run by real Celery workers, repeated and at once, and the
nudges received by a real SMTP server: each member gets one."""

import datetime
from email import message_from_bytes

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import ChannelError

from contact.models import Nudge
from contact.tasks import nudge_quiet_matches
from initiatives.models import Role, Stage
from matching.models import Match, MatchMember, MatchRun
from peerlearn import outbox
from peerlearn.celery import app as celery_app
from peerlearn.tasks import send_pending_emails

from ..factories import FacilitatorFactory, InitiativeFactory, MembershipFactory
from ..peerlearn import test_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# The real worker and SMTP server of the outbox test, shared rather than rebuilt.
inbox = test_worker.inbox
queue_name = test_worker.queue_name
wait_for = test_worker.wait_for


def quiet_match():
    initiative = InitiativeFactory(stage=Stage.SUSTAINED_CONTACT)
    facilitator = FacilitatorFactory(organisation=initiative.organisation)
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    run = MatchRun.objects.create(
        initiative=initiative,
        status=MatchRun.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(days=45),
    )
    match = Match.objects.create(run=run, number=1, status=Match.Status.PUBLISHED)
    peers = [MembershipFactory(initiative=initiative) for _ in range(2)]
    MatchMember.objects.bulk_create(MatchMember(match=match, membership=p) for p in peers)
    return [p.user.email for p in peers]


def waiting_in(queue):
    """Jobs not yet taken by a worker; Redis forgets a queue once it is empty."""
    with celery_app.connection_for_write() as connection:
        try:
            return connection.default_channel.queue_declare(queue=queue, passive=True).message_count
        except ChannelError:
            return 0


def test_sweep_run_again_and_at_once_nudges_each_member_once(inbox, queue_name):
    members = quiet_match()
    workers = [test_worker.start_worker(inbox, queue_name) for _ in range(2)]
    try:
        for _ in range(4):
            nudge_quiet_matches.delay()
        assert wait_for(lambda: waiting_in(queue_name) == 0 and Nudge.objects.exists())
    finally:
        for worker in workers:
            test_worker.stop(worker)  # a warm shutdown: a sweep under way finishes first
    worker = test_worker.start_worker(inbox, queue_name)
    try:
        nudge_quiet_matches.delay()
        send_pending_emails.delay()
        with transaction.atomic():
            outbox.queue_email(
                to="marker@example.org", kind="test", key="marker", subject="Marker", body="."
            )
        send_pending_emails.delay()
        assert wait_for(lambda: inbox.subjects_to("marker@example.org"))
    finally:
        test_worker.stop(worker)

    assert Nudge.objects.count() == 1
    for address in members:
        [subject] = inbox.subjects_to(address)
        assert subject.startswith("How is your peer match going?")
    assert len(inbox.messages) == 3
    nudge = message_from_bytes(inbox.messages[0].content)
    assert nudge["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/email/unsubscribe/" in nudge["List-Unsubscribe"]
