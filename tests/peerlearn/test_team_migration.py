"""Facilitators of a database made before team seats keep their rights; nobody else gains any."""

import pytest

from ..migrations import migrate

BEFORE = [("peerlearn", "0001_initial")]
AFTER = [("peerlearn", "0003_remove_user_organisation")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_accounts_of_a_facilitating_organisation_get_its_team_seat():
    old = migrate(BEFORE)
    Organisation = old.get_model("peerlearn", "Organisation")
    User = old.get_model("peerlearn", "User")
    network = Organisation.objects.create(name="Network", kind="facilitating")
    ministry = Organisation.objects.create(name="Ministry of Finance", kind="ministry")
    facilitator = User.objects.create(email="maria@network.example.org", organisation=network)
    User.objects.create(email="nino@mof.example.ge", organisation=ministry)
    User.objects.create(email="nobody@example.org")

    new = migrate(AFTER)

    seats = new.get_model("peerlearn", "TeamMembership").objects.values_list(
        "user_id", "organisation_id"
    )
    assert list(seats) == [(facilitator.pk, network.pk)]
    assert new.get_model("peerlearn", "User").objects.count() == 3
