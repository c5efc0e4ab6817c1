import datetime

from demo.reports import load_reports
from evaluation.models import Report, ReportSchedule
from peerlearn.models import OutboxEmail


def test_load_reports_builds_past_periods_once(world, django_capture_on_commit_callbacks):
    initiative = world.initiative
    initiative.stage = 3
    initiative.starts_on = datetime.date(2026, 1, 15)
    initiative.save(update_fields=["stage", "starts_on"])
    ReportSchedule.objects.create(initiative=initiative, cadence="monthly")

    with django_capture_on_commit_callbacks(execute=True):
        first = load_reports(initiative, today=datetime.date(2026, 6, 10))
    with django_capture_on_commit_callbacks(execute=True):
        again = load_reports(initiative, today=datetime.date(2026, 6, 10))

    assert (first, again) == (6, 0)
    periods = sorted(set(Report.objects.values_list("period_start", flat=True)))
    assert periods == [
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 1),
        datetime.date(2026, 5, 1),
    ]
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.SENT}
    assert OutboxEmail.objects.count() == 6
