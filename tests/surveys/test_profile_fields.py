"""The peer profile fields are declared once, in surveys/profile.py; the rest follows."""

import subprocess
import sys

from matching.engine import Peer
from matching.models import PeerProfile
from matching.peers_file import COLUMNS, PROFILE_COLUMNS, peer_from_row
from surveys import profile
from surveys.models import Question

DECLARED = [field.name for field in profile.PROFILE_FIELDS]


def test_peer_profile_has_one_column_per_declared_field():
    columns = {field.name for field in PeerProfile._meta.concrete_fields}

    assert columns - {"id", "membership", "survey_completed_at", "updated_at"} == set(DECLARED)


def test_survey_questions_may_fill_exactly_the_declared_fields():
    assert Question.ProfileField.values == DECLARED


def test_peer_list_reads_the_imported_fields_after_who_the_peer_is():
    assert ("email", "name", "organisation", "country", *PROFILE_COLUMNS) == COLUMNS
    assert set(PROFILE_COLUMNS) == set(DECLARED) - {"availability", "time_zone"}


def test_engine_receives_every_matched_field():
    row = {name: "" for name in COLUMNS} | {
        "email": "nino@mof.example.ge",
        "challenges": "Arrears",
        "challenge_tags": ["pfm"],
        "languages": ["ka", "en"],
        "years_of_service": 12,
    }

    peer = peer_from_row(row)

    assert peer == Peer(
        id="nino@mof.example.ge",
        challenges="Arrears",
        challenge_tags=frozenset({"pfm"}),
        years_of_service=12,
        languages=frozenset({"ka", "en"}),
    )
    assert set(profile.MATCHED) <= set(Peer.__dataclass_fields__)


def test_declaration_and_match_file_import_without_django():
    code = (
        "import sys, surveys.profile, matching.peers_file; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )

    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert loaded.strip() == "[]"
