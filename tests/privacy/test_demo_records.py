"""Every registered provider returns plain records for the demo's people."""

import json

import pytest
from django.core.management import call_command
from django.db.models.fields.files import FieldFile

from initiatives.road_map import records_of
from peerlearn.models import User

KEYS = {"initiative_id", "title", "fields", "files"}


@pytest.fixture
def demo(db):
    call_command("load_demo")


def test_records_are_plain_for_every_demo_person(demo):
    kinds = set()
    for person in User.objects.filter(memberships__isnull=False).distinct().order_by("pk")[:12]:
        for entry, records in records_of(person):
            for record in records:
                assert set(record) == KEYS
                json.dumps(record["fields"])
                assert all(isinstance(file, FieldFile) for file in record["files"])
                kinds.add(entry.key)
    assert {"account", "memberships", "survey_answers", "matching", "contact"} <= kinds
    assert {"learning", "diffusion"} <= kinds


def test_demo_people_consented_beyond_the_contract(demo, client):
    from privacy.models import Consent

    assert Consent.objects.filter(given=True).exists()
