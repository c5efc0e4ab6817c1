"""What diffusion forgets of a person erased, or of an initiative past its retention:
report-backs, stories and commitments stay, without names."""

from peerlearn.anonymous import scrub_app, traces

from .models import ChangeStory, Community, ReportBack


def forget_person(person, *, keep_files):
    scrub_app("diffusion", traces(person))


def anonymise_initiative(initiative):
    ReportBack.objects.filter(initiative=initiative).update(colleague_names="")
    Community.objects.filter(initiative=initiative).update(colleagues="")
    ChangeStory.objects.filter(initiative=initiative).update(
        verified_by_name="", verified_by_role=""
    )
