from peerlearn import audit
from peerlearn.models import AuditEntry

from ..factories import InitiativeFactory, MembershipFactory, UserFactory


def test_log_records_who_did_what_to_which_object_in_which_initiative(db):
    membership = MembershipFactory()
    facilitator = UserFactory(name="Maria")

    audit.log(actor=facilitator, action="test.withdraw", target=membership, reason="moved job")

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.initiative_id) == (
        facilitator,
        "test.withdraw",
        membership.initiative_id,
    )
    assert entry.target_label == str(membership)
    assert entry.data == {"reason": "moved job"}
    assert list(AuditEntry.objects.of_initiative(membership.initiative)) == [entry]


def test_log_of_an_initiative_itself_is_found_under_it(db):
    initiative = InitiativeFactory()

    audit.log(actor=None, action="test.create", target=initiative, initiative=initiative)

    assert AuditEntry.objects.of_initiative(initiative).get().actor is None


def test_described_actions_are_named_and_others_shown_as_code():
    audit.describe(**{"test.named": "Named action"})

    assert (audit.label("test.named"), audit.label("test.unknown")) == (
        "Named action",
        "test.unknown",
    )
