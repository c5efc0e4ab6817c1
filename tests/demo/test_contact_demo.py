from django.core.management import call_command

from contact import services
from contact.models import (
    Contact,
    ContactParticipant,
    HelpRequest,
    LibraryDocument,
    LogisticsRequest,
    MatchCheckIn,
    Nudge,
    Post,
)
from initiatives.models import Initiative, Stage
from matching.models import Match
from peerlearn.models import OutboxEmail

PEER01 = "peer01@demo.peerlearn.test"
# The first demo initiative, in stage 2 (the second one is in stage 4).
FIRST = "Budget Execution Community of Practice 2027"


def sign_in(client, name):
    client.post(
        "/accounts/login/",
        {"login": f"{name}@demo.peerlearn.test", "password": "peerlearn-demo"},
    )


def test_load_demo_puts_the_initiative_in_stage_two_with_every_kind_of_contact(db):
    call_command("load_demo")

    initiative = Initiative.objects.get(title=FIRST)
    kinds = set(Contact.objects.filter(initiative=initiative).values_list("kind", flat=True))
    site_visit = Contact.objects.get(initiative=initiative, kind=Contact.Kind.SITE_VISIT)
    assert initiative.stage == Stage.SUSTAINED_CONTACT
    assert kinds == set(Contact.Kind.values)
    assert str(site_visit.host_organisation) == "Ministry of Finance (Georgia)"
    assert site_visit.logged_by.email == "facilitator@demo.peerlearn.test"
    assert site_visit.outcome != ""
    waiting = ContactParticipant.objects.filter(status=ContactParticipant.Status.PENDING)
    assert set(waiting.values_list("membership__user__email", flat=True)) == {PEER01}
    assert HelpRequest.objects.filter(status=HelpRequest.Status.OPEN).count() == 1
    assert LogisticsRequest.objects.filter(status=LogisticsRequest.Status.OPEN).count() == 1
    assert (
        MatchCheckIn.objects.filter(match__run__initiative=initiative, not_working=True).count()
        == 1
    )


def test_facilitator_sees_one_quiet_match_and_one_asking_for_help(client, db):
    call_command("load_demo")
    initiative = Initiative.objects.get(title=FIRST)
    sign_in(client, "facilitator")

    page = client.get(f"/initiatives/{initiative.pk}/contacts/momentum/")
    quiet = client.get(f"/initiatives/{initiative.pk}/contacts/momentum/?state=quiet")

    states = [match.state for match in page.context["page"]]
    assert states.count("quiet") == 1
    assert states.count("help") == 1
    assert states.count("alive") == Match.objects.filter(run__initiative=initiative).count() - 2
    assert [match.state for match in quiet.context["page"]] == ["quiet"]
    assert "Quiet" in quiet.text
    assert quiet.context["page"][0].quiet_days > initiative.follow_up_every_days


def test_nudge_sweep_after_loading_nudges_only_the_quiet_match(client, db):
    call_command("load_demo")
    initiative = Initiative.objects.get(title=FIRST)
    sign_in(client, "facilitator")
    quiet = client.get(f"/initiatives/{initiative.pk}/contacts/momentum/?state=quiet")
    quiet_match = quiet.context["page"][0]

    made = services.nudge_quiet_matches()

    assert made == 1
    assert list(Nudge.objects.values_list("match", "kind")) == [
        (quiet_match.pk, Nudge.Kind.MEMBERS)
    ]
    nudged = OutboxEmail.objects.filter(kind="contact_nudge").values_list("to", flat=True)
    members = quiet_match.members.values_list("membership__user__email", flat=True)
    assert sorted(nudged) == sorted(members)


def test_peer01_sees_their_conversation_and_contacts_to_confirm(client, db):
    call_command("load_demo")
    initiative = Initiative.objects.get(title=FIRST)
    match = Match.objects.get(run__initiative=initiative, members__membership__user__email=PEER01)
    sign_in(client, "peer01")

    conversation = client.get(f"/initiatives/{initiative.pk}/exchanges/matches/{match.pk}/")
    mine = client.get(f"/initiatives/{initiative.pk}/contacts/mine/")

    assert conversation.status_code == 200
    threads = list(conversation.context["page"])
    assert len(threads) == 3
    assert sum(len(thread.replies.all()) for thread in threads) == 2
    assert "monthly arrears survey" in conversation.text
    assert mine.text.count("Waiting for confirmation") >= 2


def test_library_lists_the_demo_documents_files_and_links(client, db):
    call_command("load_demo")
    initiative = Initiative.objects.get(title=FIRST)
    sign_in(client, "peer01")

    page = client.get(f"/initiatives/{initiative.pk}/library/")

    documents = LibraryDocument.objects.all()
    assert len(page.context["page"]) == documents.count() == 5
    for document in documents:
        assert document.title in page.text
        assert document.authors.exists()
    files = documents.exclude(file="")
    assert sorted(files.values_list("content_type", flat=True)) == [
        "application/pdf",
        "text/plain",
    ]
    pdf = files.get(content_type="application/pdf")
    download = client.get(f"/initiatives/{initiative.pk}/library/{pdf.pk}/download/")
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")


def test_load_demo_twice_keeps_one_copy_of_stage_two_and_queues_few_emails(db):
    call_command("load_demo")
    counts = [
        model.objects.count()
        for model in (Contact, ContactParticipant, MatchCheckIn, Post, LibraryDocument)
    ]
    emails = OutboxEmail.objects.exclude(kind="match_published").count()

    call_command("load_demo")

    again = [
        model.objects.count()
        for model in (Contact, ContactParticipant, MatchCheckIn, Post, LibraryDocument)
    ]
    assert again == counts
    assert HelpRequest.objects.count() == 1
    assert LogisticsRequest.objects.count() == 2
    assert OutboxEmail.objects.exclude(kind="match_published").count() == emails == 1
    assert Post.objects.filter(initiative__title=FIRST, match=None).count() == 3
