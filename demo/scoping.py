"""Demo data of the start: the network, its initiative and people, the scoping answers."""

import functools
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from initiatives.models import Initiative, Membership, Risk, Role, Scoping, Stage
from initiatives.models.scoping import Priority
from initiatives.services.scoping import scoping_for
from peerlearn.models import Organisation, TeamMembership, User

PASSWORD = "peerlearn-demo"
FACILITATOR = "facilitator@demo.peerlearn.test"
PEER = "peer01@demo.peerlearn.test"
AUTHORISER = "authoriser01@demo.peerlearn.test"

HOME_ORGANISATIONS = [
    ("Ministry of Finance", Organisation.Kind.MINISTRY, "Moldova", ["en", "ru", "ro"]),
    ("Ministry of Finance", Organisation.Kind.MINISTRY, "Georgia", ["en", "ka", "ru"]),
    ("State Treasury Service", Organisation.Kind.AGENCY, "Ukraine", ["uk", "en", "ru"]),
    ("Ministry of Finance", Organisation.Kind.MINISTRY, "Armenia", ["hy", "ru", "en"]),
    ("Ministry of Finance and Economy", Organisation.Kind.MINISTRY, "Albania", ["sq", "en"]),
    ("City of Almaty, Budget Department", Organisation.Kind.CITY, "Kazakhstan", ["kk", "ru"]),
    ("Ministry of Finance", Organisation.Kind.MINISTRY, "Kyrgyz Republic", ["ky", "ru"]),
    ("Ministry of Economy and Finance", Organisation.Kind.MINISTRY, "Morocco", ["ar", "fr"]),
    ("Ministry of Finance and Budget", Organisation.Kind.MINISTRY, "Senegal", ["fr", "en"]),
    ("Ministry of Finance", Organisation.Kind.MINISTRY, "Mongolia", ["mn", "en", "ru"]),
]
# Two organisations deliberately have no authoriser yet, so the road map has something open.
ORGANISATIONS_WITHOUT_AUTHORISER = 2

FIRST_NAMES = [
    "Ana",
    "Levan",
    "Olena",
    "Armen",
    "Elira",
    "Aigerim",
    "Bakyt",
    "Youssef",
    "Awa",
    "Bat-Erdene",
    "Ion",
    "Nino",
    "Taras",
    "Lilit",
    "Arben",
    "Dauren",
    "Aida",
    "Salma",
    "Moussa",
    "Saraa",
    "Elena",
    "Giorgi",
    "Iryna",
    "Karen",
    "Besa",
    "Madina",
    "Nurlan",
    "Karim",
    "Fatou",
    "Oyun",
]
LAST_NAMES = [
    "Rusu",
    "Beridze",
    "Kovalenko",
    "Sargsyan",
    "Hoxha",
    "Nurpeisova",
    "Asanov",
    "Benali",
    "Diop",
    "Ganbold",
]


def load_initiative():
    """The network, its facilitator, its initiative in the foundation stage, its peers and
    authorisers from ten countries, and the scoping answers; (initiative, facilitator)."""
    secretariat, _created = Organisation.objects.get_or_create(
        name="Budget Reform Network Secretariat",
        country="",
        kind=Organisation.Kind.FACILITATING,
    )
    facilitator = person(FACILITATOR, "Maria Facilitator")
    TeamMembership.objects.get_or_create(user=facilitator, defaults={"organisation": secretariat})
    initiative, _created = Initiative.objects.get_or_create(
        organisation=secretariat,
        title="Budget Execution Community of Practice 2027",
        defaults={
            "description": (
                "Treasury and budget officials from ten countries learn from each other "
                "how to control arrears, bring spending commitments under control and "
                "publish in-year budget reports people can read."
            ),
            "reform_areas": ["pfm", "performance", "monitoring_evaluation"],
            "languages": ["en", "ru", "fr"],
            "starts_on": min(
                timezone.localdate().replace(month=1, day=15),
                timezone.localdate() - timedelta(days=150),
            ),
            "stage": Stage.FOUNDATION,
            "created_by": facilitator,
        },
    )
    member(initiative, facilitator, Role.FACILITATOR)
    scope(initiative, facilitator)
    number = 0
    for index, (name, kind, country, _languages) in enumerate(HOME_ORGANISATIONS):
        organisation, _created = Organisation.objects.home_organisations().get_or_create(
            name=name, country=country, defaults={"kind": kind}
        )
        for _seat in range(3):
            number += 1
            full_name = f"{FIRST_NAMES[number - 1]} {LAST_NAMES[index]}"
            peer = person(f"peer{number:02d}@demo.peerlearn.test", full_name)
            # The last few peers have not answered their invitation yet.
            status = Membership.Status.INVITED if number > 27 else Membership.Status.ACTIVE
            member(initiative, peer, Role.PEER, organisation, status)
        if index < len(HOME_ORGANISATIONS) - ORGANISATIONS_WITHOUT_AUTHORISER:
            authoriser = person(
                f"authoriser{index + 1:02d}@demo.peerlearn.test",
                f"Director, {name} ({country})",
            )
            membership = member(initiative, authoriser, Role.AUTHORISER, organisation)
            membership.authorised_organisations.add(organisation)
    return initiative, facilitator


@functools.cache
def demo_password_hash():
    return make_password(PASSWORD)


def person(email, name):
    user = User.objects.for_email(email)
    if user is None:
        user = User.objects.create_user(email, name=name)
        # One slow hash shared by every demo account, instead of one per account.
        user.password = demo_password_hash()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    return user


def member(initiative, user, role, organisation=None, status=Membership.Status.ACTIVE):
    membership, _created = Membership.objects.get_or_create(
        initiative=initiative,
        user=user,
        role=role,
        defaults={
            "home_organisation": organisation,
            "status": status,
            "joined_at": timezone.now() if status == Membership.Status.ACTIVE else None,
        },
    )
    return membership


# Every part answered except costs, so the road map shows what scoping left open.
SCOPING_ANSWERS = {
    "focal_area": (
        "Public financial management, and within it budget execution: commitment "
        "control, arrears and in-year reporting."
    ),
    "existing_networks": (
        "A regional community of practice of treasury officials has met yearly since 2019; "
        "two of its working groups already cover commitment control and reporting."
    ),
    "goals": (
        "Arrears fall below 2% of spending in every member country\n"
        "Commitments are recorded before money is promised\n"
        "In-year budget reports are published on time and read"
    ),
    "means": (
        "Treasury officials who solved a problem coach those who face it now\n"
        "Paired work on one live reform per country\n"
        "Site visits to treasuries that changed their controls"
    ),
    "assumptions": (
        "Officials change practice faster when they see a peer's system working\n"
        "Heads of treasury give staff time for the exchanges\n"
        "Controls that worked next door can be adapted, not copied"
    ),
    "knowledge_gaps": (
        "How to bring line ministries to register commitments; how to stage a new control "
        "without blocking payments; how to present reports ministers read."
    ),
    "other_approaches": (
        "Regional training covers the rules but not the politics of enforcing them; "
        "advisers rarely stay long enough to help through the resistance."
    ),
    "why_peers": (
        "Mostly learning: the know-how sits with officials who have done it. Also mutual "
        "support for staff pushing unpopular controls, and some friendly pressure."
    ),
    "peer_profile": (
        "Heads of treasury units and budget execution departments, 5 or more years of "
        "service, working in English, Russian or French, three per country."
    ),
    "attracting_peers": (
        "Invitations through ministers of finance, the network's newsletter, and a "
        "pre-event survey that lets each official name the problem they want solved."
    ),
    "who_learns_what": (
        "Officials whose arrears are rising learn from those who brought theirs down; "
        "report writers learn from the two countries whose reports are widely cited."
    ),
    "impact_on_reform": (
        "Each pair agrees one change to try at home; report-back sessions spread it inside "
        "the ministry."
    ),
    "success_measures": (
        "Self-assessments at the start, after one year and at the end; arrears and report "
        "timeliness from each country's own data, every six months."
    ),
    "engagement_length": "Two years, with a call every month and a meeting every six months.",
    "activities": (
        "A foundational workshop, paired calls, two site visits, a shared guide on "
        "commitment control written by the peers."
    ),
    "political_challenges": (
        "Elections in three countries may replace the heads of treasury; some ministries "
        "are wary of showing their arrears to neighbours."
    ),
    "logistical_challenges": (
        "Visas for site visits, three working languages, time zones from Dakar to "
        "Ulaanbaatar, weak connections in two capitals."
    ),
}


def scope(initiative, facilitator):
    _scoping, created = Scoping.objects.get_or_create(
        initiative=initiative,
        defaults={
            **SCOPING_ANSWERS,
            "learning_goals": {
                "experiential_knowledge": Priority.HIGH,
                "support": Priority.MEDIUM,
                "formal_knowledge": Priority.LOW,
                "peer_pressure": Priority.LOW,
            },
        },
    )
    scoping_for(initiative)
    if created:
        initiative.risks.filter(stage__lte=Stage.FOUNDATION).update(
            status=Risk.Status.MITIGATED, owner=facilitator
        )
