"""What evaluation forgets of a person erased, or of an initiative past its retention.

Reflections lose their text (they still count); reports to authorisers keep their figures
and lose the names: their frozen content is rewritten and their PDF drawn again."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from peerlearn.anonymous import (
    delete_files,
    mentioning,
    scrub,
    scrub_app,
    traces,
    traces_of_all,
)

from .models import (
    LearningObjective,
    ObjectiveRating,
    Reflection,
    Report,
    ReportNote,
    ReportReply,
)
from .report_content import render_pdf


def forget_person(person, *, keep_files):
    terms = traces(person)
    Reflection.objects.filter(membership__user=person).update(text="")
    if not keep_files:
        objectives = LearningObjective.objects.filter(membership__user=person)
        delete_files(objectives, "evidence_file")
        objectives.update(evidence_name="", evidence_content_type="")
    _rewrite_reports(mentioning(Report.objects.all(), terms), terms)
    scrub_app("evaluation", terms)


def anonymise_initiative(initiative):
    terms = traces_of_all(m.user for m in initiative.memberships.select_related("user"))
    Reflection.objects.filter(initiative=initiative).update(text="")
    objectives = LearningObjective.objects.filter(initiative=initiative)
    delete_files(objectives, "evidence_file")
    objectives.update(evidence="", evidence_name="", evidence_content_type="")
    ObjectiveRating.objects.filter(objective__initiative=initiative).update(comment="")
    ReportNote.objects.filter(initiative=initiative).update(text="")
    ReportReply.objects.filter(report__initiative=initiative).update(text="")
    _rewrite_reports(Report.objects.filter(initiative=initiative), terms)


def _rewrite_reports(reports, terms):
    for report in reports:
        report.content = scrub(report.content, terms)
        if report.pdf:
            # The same path, so emails still waiting to be sent attach the new file.
            default_storage.delete(report.pdf)
            report.pdf = default_storage.save(report.pdf, ContentFile(render_pdf(report.content)))
        report.save(update_fields=["content", "pdf"])
