import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from diffusion.models import ReportBack, SharingItem
from peerlearn.models import AuditEntry
from tests.factories import MembershipFactory

from .factories import membership_of, plan_item, report_back

TODAY = timezone.localdate


def _data(**changes):
    return {
        "held_on": TODAY().isoformat(),
        "format": "group_learning",
        "title": "Lessons on cash planning",
        "summary": "We went through the treasury's forecast",
        "audience_size": "12",
        "colleagues_reached": "10",
        "colleague_names": "Ana\nIon",
        **changes,
    }


def test_peer_records_a_report_back_for_a_plan_item(client, world):
    item = plan_item(world)
    client.force_login(world.peer)

    response = client.post(
        reverse("diffusion:report_back_add", args=[world.initiative.pk]),
        _data(plan_item=item.pk),
    )

    assert response.status_code == 302
    recorded = ReportBack.objects.get()
    assert recorded.membership == membership_of(world, world.peer)
    assert recorded.colleagues_reached == 10
    assert recorded.recorded_by == world.peer
    item.refresh_from_db()
    assert item.status == SharingItem.Status.DONE
    assert AuditEntry.objects.get(action="diffusion.report_back").data == {
        "format": "group_learning",
        "colleagues_reached": 10,
    }
    assert "Lessons on cash planning" in client.get(response.url).content.decode()


def test_report_back_in_the_future_is_refused_with_the_text_kept(client, world):
    client.force_login(world.peer)
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()

    response = client.post(
        reverse("diffusion:report_back_add", args=[world.initiative.pk]),
        _data(held_on=tomorrow, colleagues_reached="many"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["held_on"] == ["This date is in the future."]
    assert "colleagues_reached" in errors
    assert "We went through the treasury&#x27;s forecast" in response.content.decode()
    assert ReportBack.objects.count() == 0


def test_peer_cannot_link_another_peers_plan_item(client, world):
    item = plan_item(world, user=world.peer_elsewhere)
    client.force_login(world.peer)

    response = client.post(
        reverse("diffusion:report_back_add", args=[world.initiative.pk]),
        _data(plan_item=item.pk),
    )

    assert response.status_code == 200
    assert "plan_item" in response.context["form"].errors


def test_facilitator_records_a_report_back_for_a_peer(client, world):
    peer = membership_of(world, world.peer)
    client.force_login(world.facilitator)

    response = client.post(
        reverse("diffusion:report_back_record", args=[world.initiative.pk]),
        _data(membership=peer.pk),
    )

    assert response.status_code == 302
    recorded = ReportBack.objects.get()
    assert recorded.membership == peer
    assert recorded.recorded_by == world.facilitator


def test_facilitator_cannot_link_a_plan_item_of_another_peer(client, world):
    item = plan_item(world, user=world.peer_elsewhere)
    client.force_login(world.facilitator)

    response = client.post(
        reverse("diffusion:report_back_record", args=[world.initiative.pk]),
        _data(membership=membership_of(world, world.peer).pk, plan_item=item.pk),
    )

    assert response.context["form"].errors["plan_item"] == [
        "This plan item belongs to another peer."
    ]


def test_report_backs_filter_by_format_organisation_and_period(client, world):
    report_back(world, title="Old presentation", days_ago=40)
    report_back(world, title="Recent note", format="written_note", days_ago=2)
    report_back(world, user=world.peer_elsewhere, title="Treasury talk", days_ago=2)
    client.force_login(world.facilitator)
    url = reverse("diffusion:report_backs", args=[world.initiative.pk])

    by_format = client.get(url, {"format": "written_note"}).context["page"].object_list
    by_place = client.get(url, {"organisation": world.elsewhere.pk}).context["page"].object_list
    since = (TODAY() - datetime.timedelta(days=10)).isoformat()
    recent = client.get(url, {"since": since}).context["page"].object_list

    assert [r.title for r in by_format] == ["Recent note"]
    assert [r.title for r in by_place] == ["Treasury talk"]
    assert sorted(r.title for r in recent) == ["Recent note", "Treasury talk"]


def test_bad_filter_says_why_and_lists_everything(client, world):
    report_back(world)
    client.force_login(world.facilitator)

    response = client.get(
        reverse("diffusion:report_backs", args=[world.initiative.pk]), {"since": "yesterday"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["since"]
    assert len(response.context["page"].object_list) == 1


def test_csv_export_follows_the_filters(client, world):
    report_back(world, title="=Presentation", colleague_names="Ana")
    report_back(world, user=world.peer_elsewhere, format="written_note", title="Memo")
    client.force_login(world.facilitator)

    response = client.get(
        reverse("diffusion:report_backs_csv", args=[world.initiative.pk]),
        {"format": "presentation"},
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Date", "Peer", "Home organisation", "Format"]
    assert len(rows) == 2
    assert rows[1][2:9] == [
        "Ministry of Finance",
        "Presentation",
        "'=Presentation",
        "Five lessons from the treasury visit",
        "20",
        "15",
        "Ana",
    ]


def test_xlsx_export_holds_the_report_backs(client, world):
    report_back(world)
    client.force_login(world.facilitator)

    response = client.get(reverse("diffusion:report_backs_xlsx", args=[world.initiative.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 2
    assert sheet.cell(row=2, column=5).value == "What Chisinau taught us about arrears"


@pytest.mark.parametrize("count", [1, 30])
def test_report_backs_list_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    for number in range(count):
        peer = MembershipFactory(initiative=world.initiative)
        item = plan_item(world, user=peer.user)
        report_back(world, user=peer.user, title=f"Session {number}", plan_item=item)
    client.force_login(world.facilitator)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("diffusion:report_backs", args=[world.initiative.pk]))

    assert response.content.decode().count("Session ") == count


@pytest.mark.parametrize("count", [1, 30])
def test_peer_page_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    for number in range(count):
        item = plan_item(world, what=f"Item {number}")
        report_back(world, title=f"Session {number}", plan_item=item)
    client.force_login(world.peer)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("diffusion:mine", args=[world.initiative.pk]))

    page = response.content.decode()
    assert page.count("Session ") == count
    assert page.count("Item ") == count
