"""The report cadence facilitators chose on the initiative moves to the reports' schedule."""

import pytest

from ..migrations import migrate

BEFORE = [("initiatives", "0005_peer_import_moves_out"), ("evaluation", "0003_reports")]
AFTER = [("initiatives", "0006_report_cadence_moves_to_reports")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_monthly_reports_stay_monthly_when_the_setting_moves():
    old = migrate(BEFORE)
    Organisation = old.get_model("peerlearn", "Organisation")
    Initiative = old.get_model("initiatives", "Initiative")
    network = Organisation.objects.create(name="Network")
    monthly = Initiative.objects.create(organisation=network, title="Monthly", report_cadence=1)
    Initiative.objects.create(organisation=network, title="Yearly", report_cadence=12)

    new = migrate(AFTER)

    ReportSchedule = new.get_model("evaluation", "ReportSchedule")
    assert list(ReportSchedule.objects.values_list("initiative_id", "cadence")) == [
        (monthly.pk, "monthly")
    ]
