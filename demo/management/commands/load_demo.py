from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from demo import (
    contact,
    diffusion,
    foundation,
    learning,
    matching,
    privacy,
    reports,
    scoping,
    second,
    self_assessment,
)


class Command(BaseCommand):
    help = "Create (or refresh) the demo initiatives with their facilitator, peers and authorisers."

    def handle(self, *args, **options):
        with transaction.atomic():
            initiative, facilitator = scoping.load_initiative()
            foundation.load_foundation(initiative, facilitator)
            matching.load_survey(initiative)
            matching.publish_demo_matches(initiative, facilitator)
            contact.load_sustained_contact(initiative, facilitator)
            # The second demo initiative: eighteen months on, in stage 4 (Diffusion).
            in_diffusion = second.load_second_initiative(facilitator)
            learning.load_learning(in_diffusion, facilitator)
            self_assessment.load_self_assessments(in_diffusion)
            diffusion.load_diffusion(in_diffusion, facilitator)
            privacy.load_consents([initiative, in_diffusion])
            # Its authorisers' past reports; the first initiative's come from the beat.
            reports.load_reports(in_diffusion)
        self.stdout.write(self.style.SUCCESS(f"Demo initiative ready: {initiative.title}"))
        self.stdout.write(
            self.style.SUCCESS(f"Second demo initiative ready (stage 4): {in_diffusion.title}")
        )
        self.stdout.write(
            f"Sign in at {settings.SITE_URL}/accounts/login/ with password "
            f"'{scoping.PASSWORD}' (or ask for a sign-in code and read it in the Demo mailbox):\n"
            f"  facilitator  {scoping.FACILITATOR}\n"
            f"  peer         {scoping.PEER}\n"
            f"  authoriser   {scoping.AUTHORISER}"
        )
