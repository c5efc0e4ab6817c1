"""A peer with contacts waiting for their confirmation is asked on the home page."""

from django.urls import reverse
from django.utils import formats

from contact.models import ContactParticipant
from initiatives.road_map import next_steps

from .factories import in_stage_two, logged_by_partner, membership_of, pair

MINE = "contact:mine"


def home(client, world):
    client.force_login(world.peer)
    return client.get(reverse("home")).content.decode()


def test_one_waiting_contact_names_who_logged_it_and_when(client, world):
    contact = logged_by_partner(world, days_ago=3)
    world.peer_elsewhere.name = "Ana Silva"
    world.peer_elsewhere.save(update_fields=["name"])

    page = home(client, world)

    date = formats.date_format(contact.happened_on)
    assert f"Confirm the contact Ana Silva logged on {date}." in page
    assert reverse(MINE, args=[world.initiative.pk]) in page


def test_several_waiting_contacts_are_counted(client, world):
    match, _peer, _elsewhere = pair(world)
    for days in (1, 2, 3):
        logged_by_partner(world, match=match, days_ago=days)

    steps = next_steps(membership_of(world, world.peer))

    assert "Confirm the 3 contacts logged with you." in [step.text for step in steps]


def test_answered_contacts_are_no_longer_asked(world):
    contact = logged_by_partner(world)
    ContactParticipant.objects.filter(contact=contact).update(status="declined")

    steps = next_steps(membership_of(world, world.peer))

    assert [step for step in steps if step.text.startswith("Confirm the")] == []


def test_the_logger_is_not_asked_to_confirm(world):
    logged_by_partner(world)

    steps = next_steps(membership_of(world, world.peer_elsewhere))

    assert [step for step in steps if step.text.startswith("Confirm the")] == []


def home_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.peer)
    with django_assert_max_num_queries(30) as captured:
        page = client.get(reverse("home")).content.decode()
    assert "Confirm the" in page
    return len(captured)


def test_home_page_queries_do_not_grow_with_waiting_contacts(
    client, world, django_assert_max_num_queries
):
    in_stage_two(world)
    match, _peer, _elsewhere = pair(world)
    logged_by_partner(world, match=match)
    one = home_queries(client, world, django_assert_max_num_queries)
    for days in range(1, 15):
        logged_by_partner(world, match=match, days_ago=days)

    many = home_queries(client, world, django_assert_max_num_queries)

    assert ContactParticipant.objects.filter(status="pending").count() == 15
    assert many == one
