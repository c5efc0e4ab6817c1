"""Check-ins answered before they moved from matching to contact keep every row."""

import datetime

import pytest
from django.utils import timezone

from ..migrations import migrate

BEFORE = [("matching", "0007_survey_moves_to_surveys"), ("contact", "0001_initial")]
AFTER = [("contact", "0003_check_ins_move_in")]


def old_content_type(old):
    """As in a database made before the move: check-ins are known under matching."""
    ContentType = old.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="contact", model="matchcheckin").delete()
    return ContentType.objects.get_or_create(app_label="matching", model="matchcheckin")[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_answered_check_ins_keep_their_rows_when_they_move_to_contact():
    old = migrate(BEFORE)
    Organisation = old.get_model("peerlearn", "Organisation")
    Initiative = old.get_model("initiatives", "Initiative")
    Membership = old.get_model("initiatives", "Membership")
    User = old.get_model("peerlearn", "User")
    MatchRun = old.get_model("matching", "MatchRun")
    Match = old.get_model("matching", "Match")
    OldCheckIn = old.get_model("matching", "MatchCheckIn")
    initiative = Initiative.objects.create(
        organisation=Organisation.objects.create(name="Network"), title="Old check-ins"
    )
    membership = Membership.objects.create(
        initiative=initiative, user=User.objects.create(email="ana@example.org"), role="peer"
    )
    match = Match.objects.create(run=MatchRun.objects.create(initiative=initiative), number=1)
    asked = timezone.now() - datetime.timedelta(days=3)
    answered = OldCheckIn.objects.create(
        match=match,
        membership=membership,
        number=1,
        due_at=asked,
        sent_at=asked,
        rating=2,
        not_working=True,
        comment="We never found a time",
        answered_at=asked + datetime.timedelta(days=1),
    )
    content_type = old_content_type(old)

    new = migrate(AFTER)

    CheckIn = new.get_model("contact", "MatchCheckIn")
    moved = CheckIn.objects.get(pk=answered.pk)
    assert (moved.match_id, moved.membership_id, moved.number) == (match.pk, membership.pk, 1)
    assert (moved.rating, moved.not_working, moved.comment) == (2, True, "We never found a time")
    assert moved.answered_at == answered.answered_at
    assert CheckIn._meta.db_table == "contact_matchcheckin"
    moved_type = new.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk)
    assert (moved_type.app_label, moved_type.model) == ("contact", "matchcheckin")
    later = CheckIn.objects.create(
        match_id=match.pk, membership_id=membership.pk, number=2, due_at=timezone.now()
    )
    assert later.pk > answered.pk
