import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.models import ReflectionPrompt
from peerlearn.models import OutboxEmail

from .factories import in_stage_three

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)


def _every(world, days):
    cadence = services.set_cadence(
        initiative=world.initiative, by=world.facilitator, every_days=days
    )
    cadence.since = START
    cadence.save(update_fields=["since"])
    return cadence


def test_prompts_go_out_once_per_period(world):
    in_stage_three(world.initiative)
    _every(world, 14)
    day = START + datetime.timedelta(days=15)

    first = services.send_reflection_prompts(today=day)
    second = services.send_reflection_prompts(today=day)

    assert (first, second) == (2, 0)
    emails = OutboxEmail.objects.filter(kind="reflection_prompt")
    assert sorted(e.to for e in emails) == sorted([world.peer.email, world.peer_elsewhere.email])
    link = reverse("evaluation:reflection_new", args=[world.initiative.pk])
    assert all(link in e.body and "List-Unsubscribe" in e.headers for e in emails)


def test_next_period_prompts_again(world):
    in_stage_three(world.initiative)
    _every(world, 14)

    services.send_reflection_prompts(today=START + datetime.timedelta(days=15))
    services.send_reflection_prompts(today=START + datetime.timedelta(days=29))

    assert ReflectionPrompt.objects.count() == 4


def test_no_prompt_before_the_first_period_ends_or_before_stage_three(world):
    _every(world, 14)

    early = services.send_reflection_prompts(today=START + datetime.timedelta(days=40))
    in_stage_three(world.initiative)
    too_soon = services.send_reflection_prompts(today=START + datetime.timedelta(days=13))

    assert (early, too_soon) == (0, 0)


def test_no_prompt_when_off_or_unsubscribed(world):
    in_stage_three(world.initiative)
    world.peer.set_unsubscribed(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    _every(world, 7)

    sent = services.send_reflection_prompts(today=START + datetime.timedelta(days=8))
    _every(world, 0)
    off = services.send_reflection_prompts(today=START + datetime.timedelta(days=30))

    assert (sent, off) == (1, 0)
    assert OutboxEmail.objects.get().to == world.peer_elsewhere.email


def test_facilitator_sets_the_cadence(client, world):
    client.force_login(world.facilitator)
    url = reverse("evaluation:cadence", args=[world.initiative.pk])

    bad = client.post(url, {"every_days": "-3"})
    client.post(url, {"every_days": "21"})

    assert "Give a number of days" in bad.content.decode()
    assert world.initiative.reflection_cadence.every_days == 21


def test_beat_runs_the_sweep():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "evaluation.send_reflection_prompts" in tasks


# --- mail: prompts in bulk ---
def test_prompt_already_written_by_a_concurrent_sweep_is_not_sent_again(world):
    in_stage_three(world.initiative)
    _every(world, 14)
    day = START + datetime.timedelta(days=15)
    peer = world.initiative.memberships.get(user=world.peer, role="peer")
    ReflectionPrompt.objects.create(
        membership=peer,
        period=1,
        period_starts_on=START + datetime.timedelta(days=14),
        sent_at=timezone.now(),
    )

    sent = services.send_reflection_prompts(today=day)

    assert sent == 1
    assert [e.to for e in OutboxEmail.objects.filter(kind="reflection_prompt")] == [
        world.peer_elsewhere.email
    ]


def test_prompt_queries_do_not_grow_with_the_number_of_peers(world, django_assert_max_num_queries):
    from tests.factories import MembershipFactory

    in_stage_three(world.initiative)
    _every(world, 14)
    MembershipFactory.create_batch(20, initiative=world.initiative)

    with django_assert_max_num_queries(12):
        sent = services.send_reflection_prompts(today=START + datetime.timedelta(days=15))

    assert sent == 22
    assert OutboxEmail.objects.filter(kind="reflection_prompt").count() == 22
