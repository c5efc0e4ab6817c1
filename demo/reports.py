"""Demo data of the reports to authorisers: the past periods' progress reports of an
initiative, claimed as the beat sweep claims them, oldest first; the worker builds each
(frozen content, PDF, email to each authoriser) once the demo is loaded, so loading
stays quick.

`load_reports(initiative)` may run any number of times: a period already reported is
left as it is (the report's unique constraint), and nothing is emailed twice.
"""

from django.utils import timezone

from evaluation import queries, services
from evaluation.models import ReportSchedule

PERIODS = 3


def past_periods(schedule, today, stage_changes, count=PERIODS):
    """The last `count` ended periods of `schedule`, oldest first, none before the start."""
    begun = schedule.initiative_start()
    if schedule.cadence == ReportSchedule.Cadence.OFF:
        return []
    if schedule.cadence == ReportSchedule.Cadence.STAGE:
        bounds = [begun] + [day for day in stage_changes if begun < day <= today]
        return list(zip(bounds, bounds[1:], strict=False))[-count:]
    periods = []
    day = today
    while len(periods) < count:
        start, end = schedule.due_period(day)
        if end <= begun:
            break
        periods.append((start, end))
        day = start
    return list(reversed(periods))


def load_reports(initiative, *, today=None):
    """Build the initiative's past progress reports; returns how many were new."""
    today = today or timezone.localdate()
    schedule = queries.report_schedule_of(initiative)
    schedule.initiative = initiative
    claimed = 0
    for start, end in past_periods(schedule, today, queries.stage_change_days(initiative)):
        for organisation in queries.reporting_organisations(initiative):
            report = services.claim_report(
                initiative=initiative, organisation=organisation, start=start, end=end
            )
            claimed += report is not None
    return claimed
