from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from demo import contact, foundation, matching, scoping


class Command(BaseCommand):
    help = "Create (or refresh) the demo initiative with its facilitator, peers and authorisers."

    def handle(self, *args, **options):
        with transaction.atomic():
            initiative, facilitator = scoping.load_initiative()
            foundation.load_foundation(initiative, facilitator)
            matching.load_survey(initiative)
            matching.publish_demo_matches(initiative, facilitator)
            contact.load_sustained_contact(initiative, facilitator)
        self.stdout.write(self.style.SUCCESS(f"Demo initiative ready: {initiative.title}"))
        self.stdout.write(
            f"Sign in at {settings.SITE_URL}/accounts/login/ with password "
            f"'{scoping.PASSWORD}' (or ask for a sign-in code and read it in the Demo mailbox):\n"
            f"  facilitator  {scoping.FACILITATOR}\n"
            f"  peer         {scoping.PEER}\n"
            f"  authoriser   {scoping.AUTHORISER}"
        )
