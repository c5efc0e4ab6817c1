"""Default risks and commitments in every site language; facilitators' own versions."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from initiatives.defaults import STANDARD_RISKS
from initiatives.models import ContractTemplate, PeerContract, Stage

COMMITMENT = "I will take part in the meetings of this initiative, in person or online."
RISK = "Nobody can say clearly what the peers are meant to gain."


@pytest.fixture(autouse=True)
def set_up_in_english():
    """Rows are set up by someone reading English (a view's language stays active after it)."""
    with translation.override("en"):
        yield


def rendered(language, message):
    with translation.override(language):
        return gettext(message)


def reading_in(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def url(world, name, *args):
    return reverse(f"initiatives:{name}", args=[world.initiative.pk, *args])


def test_default_risks_are_read_in_the_reader_s_language(client, world):
    client.force_login(reading_in(world.facilitator, "ru"))

    page = client.get(url(world, "risks")).content.decode()

    risk = world.initiative.risks.get(seed_key="unclear-purpose")
    assert rendered("ru", RISK) != RISK  # the catalogue has it: a real check
    assert rendered("ru", RISK) in page
    assert risk.translations["ru"]["description"] == rendered("ru", RISK)
    assert len(world.initiative.risks.all()) == len(STANDARD_RISKS)


def test_a_risk_s_french_version_is_shown_to_french_readers_only(client, world):
    client.force_login(world.facilitator)
    client.post(
        url(world, "add_risk"),
        {
            "stage": Stage.FOUNDATION,
            "description": "Ministers change after the elections.",
            "description__fr": "Les ministres changent après les élections.",
            "status": "open",
        },
    )

    english = client.get(url(world, "risks")).content.decode()
    reading_in(world.facilitator, "fr")
    french = client.get(url(world, "risks")).content.decode()

    assert "Ministers change after the elections." in english
    assert "Les ministres changent" not in english
    assert "Les ministres changent après les élections." in french


def test_a_russian_peer_reads_and_signs_the_default_commitments_in_russian(client, world):
    ContractTemplate.for_initiative(world.initiative)  # set up by an English facilitator
    client.force_login(reading_in(world.peer, "ru"))

    page = client.get(url(world, "contract")).content.decode()
    client.post(url(world, "contract"), {"commit": "on", "full_name": "Ольга Петрова"})

    assert rendered("ru", COMMITMENT) != COMMITMENT
    assert rendered("ru", COMMITMENT) in page
    contract = PeerContract.objects.get(membership__user=world.peer)
    assert contract.signed_text.splitlines()[0] == rendered("ru", COMMITMENT)
    template = ContractTemplate.objects.get(initiative=world.initiative)
    assert template.commitments.splitlines()[0] == COMMITMENT  # the original stays


def test_facilitators_give_commitments_in_french_for_french_peers(client, world):
    client.force_login(world.facilitator)
    response = client.post(
        url(world, "contract_template"),
        {
            "commitments": "I will come to the meetings.\nI will answer my peers.",
            "commitments__fr": "Je viendrai aux réunions.\nJe répondrai à mes pairs.",
        },
    )
    assert response.status_code == 302

    client.force_login(reading_in(world.peer, "fr"))
    french = client.get(url(world, "contract")).content.decode()
    client.force_login(reading_in(world.peer_elsewhere, "en"))
    english = client.get(url(world, "contract")).content.decode()

    assert "Je répondrai à mes pairs." in french
    assert "I will answer my peers." not in french
    assert "I will answer my peers." in english


def test_a_version_with_another_number_of_commitments_is_refused(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        url(world, "contract_template"),
        {
            "commitments": "I will come to the meetings.\nI will answer my peers.",
            "commitments__fr": "Je viendrai aux réunions.",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["commitments__fr"]
    assert "Je viendrai aux réunions." in response.text  # nothing typed is lost
