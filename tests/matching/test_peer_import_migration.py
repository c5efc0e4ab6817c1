"""Lists uploaded before the peer import moved from initiatives to matching keep every row."""

import pytest

from ..migrations import migrate

BEFORE = [
    ("initiatives", "0004_peer_import_in_background"),
    ("matching", "0005_one_number_per_match"),
]
AFTER = [("matching", "0006_peer_import_moves_in")]


def old_content_types(old):
    """As in a database made before the move: peer lists are known under initiatives."""
    ContentType = old.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="matching", model="peerimport").delete()
    return ContentType.objects.get_or_create(app_label="initiatives", model="peerimport")[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_uploaded_lists_keep_their_rows_when_the_import_moves_to_matching():
    old = migrate(BEFORE)
    Organisation = old.get_model("peerlearn", "Organisation")
    Initiative = old.get_model("initiatives", "Initiative")
    OldImport = old.get_model("initiatives", "PeerImport")
    initiative = Initiative.objects.create(
        organisation=Organisation.objects.create(name="Network"), title="Old lists"
    )
    rows = [{"line": 2, "row": {"email": "ana@example.org"}, "errors": [], "outcome": "new"}]
    imported = OldImport.objects.create(
        initiative=initiative, filename="a.csv", rows=rows, status="imported", invited_count=1
    )
    waiting = OldImport.objects.create(initiative=initiative, filename="b.xlsx", status="ready")
    content_type = old_content_types(old)

    new = migrate(AFTER)

    PeerImport = new.get_model("matching", "PeerImport")
    assert list(
        PeerImport.objects.order_by("pk").values_list("pk", "filename", "status", "invited_count")
    ) == [(imported.pk, "a.csv", "imported", 1), (waiting.pk, "b.xlsx", "ready", 0)]
    assert PeerImport.objects.get(pk=imported.pk).rows == rows
    assert PeerImport._meta.db_table == "matching_peerimport"
    moved_type = new.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk)
    assert (moved_type.app_label, moved_type.model) == ("matching", "peerimport")
