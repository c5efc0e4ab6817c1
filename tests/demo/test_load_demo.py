from django.core.management import call_command

from initiatives.access import initiative_for
from initiatives.models import Initiative, Membership, Role
from matching.models import PeerProfile
from peerlearn.models import Organisation, User
from surveys.models import Response

# The first demo initiative; the second (in stage 4) has its own tests.
FIRST = "Budget Execution Community of Practice 2027"


def test_load_demo_twice_keeps_one_copy(db):
    call_command("load_demo")
    call_command("load_demo")

    initiative = Initiative.objects.get(title=FIRST)
    peers = initiative.memberships.filter(role=Role.PEER)
    assert peers.count() == 30
    assert peers.values("home_organisation").distinct().count() == 10
    assert (
        Organisation.objects.exclude(kind="facilitating").values("country").distinct().count() == 11
    )
    assert initiative.memberships.filter(role=Role.AUTHORISER).count() == 8
    # 39 people of the first initiative; the second adds 23 peers and 7 authorisers.
    assert User.objects.filter(email__endswith="@demo.peerlearn.test").count() == 39 + 30


def test_demo_people_sign_in_and_see_their_part(client, db):
    call_command("load_demo")
    initiative = Initiative.objects.get(title=FIRST)

    expected = {
        "facilitator": "Initiatives of Budget Reform Network Secretariat",
        "peer01": "Your initiatives as a peer",
        "authoriser01": "People you authorise",
    }
    for name, heading in expected.items():
        client.post(
            "/accounts/login/",
            {"login": f"{name}@demo.peerlearn.test", "password": "peerlearn-demo"},
        )
        home = client.get("/")
        assert home.context["user"].email == f"{name}@demo.peerlearn.test"
        assert heading in home.text
        assert initiative_for(home.context["user"], initiative.pk)[1]
        client.logout()
    authorised = Membership.objects.authorised_by(
        User.objects.get(email="authoriser01@demo.peerlearn.test")
    )
    assert authorised.filter(initiative=initiative).count() == 3


def test_load_demo_twice_gives_one_survey_mostly_answered(db):
    call_command("load_demo")
    call_command("load_demo")

    survey = Initiative.objects.get(title=FIRST).surveys.get()
    submitted = survey.responses.submitted()
    drafts = Response.objects.filter(survey=survey, submitted_at__isnull=True)
    assert (submitted.count(), drafts.count()) == (22, 3)
    profiles = PeerProfile.objects.filter(membership__initiative=survey.initiative)
    assert profiles.filter(survey_completed_at__isnull=False).count() == 22
    assert len(set(profiles.values_list("challenges", flat=True))) == 22
