"""What diffusion forgets of a person erased, or of an initiative past its retention:
report-backs, stories and commitments stay, without names."""

from peerlearn.anonymous import scrub_app, scrub_rows, traces, traces_of_all

from .models import ChangeStory, Community, HomeCommitment, ReportBack, SharingItem


def forget_person(person, *, keep_files):
    scrub_app("diffusion", traces(person))


def _unnamed(lines):
    """One dash per name, so the counts of colleagues stay."""
    return "\n".join("—" for line in lines.splitlines() if line.strip())


def anonymise_initiative(initiative):
    for report_back in ReportBack.objects.filter(initiative=initiative).exclude(colleague_names=""):
        report_back.colleague_names = _unnamed(report_back.colleague_names)
        report_back.save(update_fields=["colleague_names"])
    for community in Community.objects.filter(initiative=initiative).exclude(colleagues=""):
        community.colleagues = _unnamed(community.colleagues)
        community.save(update_fields=["colleagues"])
    ChangeStory.objects.filter(initiative=initiative).update(
        verified_by_name="", verified_by_role=""
    )
    terms = traces_of_all(m.user for m in initiative.memberships.select_related("user"))
    for model in (ReportBack, ChangeStory, Community):
        scrub_rows(model.objects.filter(initiative=initiative), terms)
    scrub_rows(SharingItem.objects.filter(membership__initiative=initiative), terms)
    scrub_rows(HomeCommitment.objects.filter(membership__initiative=initiative), terms)
