from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from initiatives.models import Initiative, Membership, Role, Stage
from matching.demo import load_survey
from peerlearn.models import Organisation, User

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


class Command(BaseCommand):
    help = "Create (or refresh) the demo initiative with its facilitator, peers and authorisers."

    def handle(self, *args, **options):
        with transaction.atomic():
            initiative = self.load()
        self.stdout.write(self.style.SUCCESS(f"Demo initiative ready: {initiative.title}"))
        self.stdout.write(
            "Sign in at http://127.0.0.1:8000/accounts/login/ with password "
            f"'{PASSWORD}' (or ask for a sign-in code and read it in the Demo mailbox):\n"
            f"  facilitator  {FACILITATOR}\n"
            f"  peer         {PEER}\n"
            f"  authoriser   {AUTHORISER}"
        )

    def load(self):
        secretariat, _created = Organisation.objects.get_or_create(
            name="Budget Reform Network Secretariat",
            country="",
            defaults={"kind": Organisation.Kind.FACILITATING},
        )
        facilitator = person(FACILITATOR, "Maria Facilitator", secretariat)
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
                "starts_on": timezone.localdate().replace(month=1, day=15),
                "stage": Stage.FOUNDATION,
                "created_by": facilitator,
            },
        )
        member(initiative, facilitator, Role.FACILITATOR)
        number = 0
        for index, (name, kind, country, _languages) in enumerate(HOME_ORGANISATIONS):
            organisation, _created = Organisation.objects.get_or_create(
                name=name, country=country, defaults={"kind": kind}
            )
            for _seat in range(3):
                number += 1
                full_name = f"{FIRST_NAMES[number - 1]} {LAST_NAMES[index]}"
                peer = person(f"peer{number:02d}@demo.peerlearn.test", full_name, organisation)
                # The last few peers have not answered their invitation yet.
                status = Membership.Status.INVITED if number > 27 else Membership.Status.ACTIVE
                member(initiative, peer, Role.PEER, organisation, status)
            if index < len(HOME_ORGANISATIONS) - ORGANISATIONS_WITHOUT_AUTHORISER:
                authoriser = person(
                    f"authoriser{index + 1:02d}@demo.peerlearn.test",
                    f"Director, {name} ({country})",
                    organisation,
                )
                membership = member(initiative, authoriser, Role.AUTHORISER, organisation)
                membership.authorised_organisations.add(organisation)
        load_survey(initiative)
        return initiative


def person(email, name, organisation):
    user = User.objects.for_email(email)
    if user is None:
        user = User.objects.create_user(email, PASSWORD, name=name, organisation=organisation)
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
