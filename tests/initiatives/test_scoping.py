from django.core.management import call_command
from django.urls import reverse

from initiatives import road_map
from initiatives.defaults import STANDARD_RISKS
from initiatives.forms.scoping import section_form
from initiatives.models import Initiative, Risk, Role, Scoping, Stage, StageChange
from initiatives.models.scoping import SECTIONS, SECTIONS_BY_SLUG, Priority
from initiatives.services.scoping import scoping_for

from ..factories import FacilitatorFactory, MembershipFactory

FULL_ANSWERS = {
    question.field: f"An answer to {question.field}."
    for section in SECTIONS
    for question in section.questions
}

CREATE_DEFAULTS = {"follow_up_every_days": 30}


def section_url(world, slug):
    return reverse("initiatives:scoping_section", args=[world.initiative.pk, slug])


def url(world, name, *args):
    return reverse(f"initiatives:{name}", args=[world.initiative.pk, *args])


def fill_scoping(initiative, **overrides):
    scoping = scoping_for(initiative)
    for field, value in {**FULL_ANSWERS, **overrides}.items():
        setattr(scoping, field, value)
    scoping.learning_goals = {"experiential_knowledge": Priority.HIGH}
    scoping.save()
    return scoping


def test_section_saves_its_answers_and_keeps_other_sections(client, world):
    scoping = scoping_for(world.initiative)
    scoping.why_peers = "Officials trust each other more than consultants."
    scoping.save()
    client.force_login(world.facilitator)

    response = client.post(
        section_url(world, "theory-of-change"),
        {"goals": "Fewer arrears\nOn-time reports\n\n", "means": "Commitment controls"},
    )

    assert response.status_code == 302
    assert response.url == url(world, "scoping")
    scoping.refresh_from_db()
    assert scoping.lines("goals") == ["Fewer arrears", "On-time reports"]
    assert scoping.means == "Commitment controls"
    assert scoping.assumptions == ""
    assert scoping.why_peers == "Officials trust each other more than consultants."


def test_saving_a_part_can_go_on_to_the_next_one(client, world):
    client.force_login(world.facilitator)

    middle = client.post(
        section_url(world, "theory-of-change") + "?then=next", {"goals": "Fewer arrears"}
    )
    last = client.post(section_url(world, "costs") + "?then=next", {"support": "Enough"})

    assert middle.url == section_url(world, "knowledge-gaps")
    assert last.url == url(world, "learning_goals")


def test_section_save_leaves_a_colleagues_answers_alone(world):
    scoping = scoping_for(world.initiative)
    form = section_form(SECTIONS_BY_SLUG["why-peers"], {"why_peers": "Trust."}, instance=scoping)
    Scoping.objects.filter(pk=scoping.pk).update(support="The minister backs it.")

    form.is_valid()
    form.save()

    scoping.refresh_from_db()
    assert (scoping.why_peers, scoping.support) == ("Trust.", "The minister backs it.")


def test_section_with_overlong_line_keeps_what_was_typed(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        section_url(world, "theory-of-change"),
        {"goals": "x" * 301, "means": "Peer visits to treasuries"},
    )

    assert response.status_code == 200
    assert "Keep each line under 300 characters" in response.text
    assert "Peer visits to treasuries" in response.text
    assert scoping_for(world.initiative).means == ""


def test_section_with_overlong_answer_is_refused(client, world):
    client.force_login(world.facilitator)

    response = client.post(section_url(world, "why-peers"), {"why_peers": "y" * 4001})

    assert response.status_code == 200
    assert response.context["form"].errors["why_peers"]
    assert scoping_for(world.initiative).why_peers == ""


def test_section_unknown_slug_is_not_found(client, world):
    client.force_login(world.facilitator)

    response = client.get(section_url(world, "budget"))

    assert response.status_code == 404


def test_section_shows_guiding_questions_as_help(client, world):
    client.force_login(world.facilitator)

    response = client.get(section_url(world, "target-peers"))

    assert "Who exactly are the peers you want to engage?" in response.text
    assert "Channels, sponsors and what is in it for them." in response.text


def test_overview_lists_progress_and_unanswered_questions(client, world):
    fill_scoping(world.initiative, attracting_peers="", political_difficulty="", support="")
    scoping = Scoping.objects.get()
    scoping.resources_needed = ""
    scoping.save()
    client.force_login(world.facilitator)

    response = client.get(url(world, "scoping"))

    rows = {row["section"].slug: row for row in response.context["sections"]}
    assert rows["theory-of-change"]["progress"] == "answered"
    assert rows["target-peers"]["progress"] == "partly"
    assert rows["costs"]["progress"] == "unanswered"
    assert [q.field for q in rows["target-peers"]["unanswered"]] == ["attracting_peers"]
    assert "How will you attract them?" in response.text
    assert response.context["answered"] == 6


def test_overview_refuses_post(client, world):
    client.force_login(world.facilitator)

    response = client.post(url(world, "scoping"))

    assert response.status_code == 405


def test_form_pages_refuse_other_methods(client, world):
    client.force_login(world.facilitator)

    responses = [
        client.put(section_url(world, "why-peers")),
        client.delete(url(world, "learning_goals")),
        client.put(url(world, "add_risk")),
    ]

    assert [response.status_code for response in responses] == [405, 405, 405]


def test_learning_goal_priorities_are_saved(client, world):
    client.force_login(world.facilitator)
    choices = {
        "formal_knowledge": Priority.LOW,
        "experiential_knowledge": Priority.HIGH,
        "support": Priority.MEDIUM,
        "collaboration": Priority.NOT_CHOSEN,
        "training": Priority.NOT_CHOSEN,
        "group_identity": Priority.NOT_CHOSEN,
        "peer_pressure": Priority.LOW,
    }

    response = client.post(url(world, "learning_goals"), choices)

    assert response.status_code == 302
    scoping = Scoping.objects.get()
    assert scoping.learning_goals == {
        "formal_knowledge": 1,
        "experiential_knowledge": 3,
        "support": 2,
        "peer_pressure": 1,
    }
    assert [name for name, _priority in scoping.chosen_learning_goals()][:2] == [
        "Experiential knowledge sharing",
        "Peer-to-peer support",
    ]


def test_learning_goals_with_bad_priority_keep_other_choices(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        url(world, "learning_goals"), {"formal_knowledge": "9", "support": Priority.HIGH}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["formal_knowledge"]
    assert response.context["form"]["support"].value() == str(Priority.HIGH)
    assert Scoping.objects.get().learning_goals == {}


def test_risk_register_is_seeded_once(client, world):
    client.force_login(world.facilitator)

    client.get(url(world, "risks"))
    client.get(url(world, "scoping"))
    response = client.get(url(world, "risks"))

    assert world.initiative.risks.count() == len(STANDARD_RISKS)
    assert [risk.stage for risk in response.context["risks"]] == sorted(
        stage for _key, stage, _description, _mitigation in STANDARD_RISKS
    )
    assert "Magic bullet" in response.text


def test_seeding_again_adds_no_duplicate(world):
    scoping = scoping_for(world.initiative)
    Scoping.objects.filter(pk=scoping.pk).update(risks_seeded_at=None)

    scoping_for(world.initiative)

    assert world.initiative.risks.count() == len(STANDARD_RISKS)


def test_add_risk_saves_it_open(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        url(world, "add_risk"),
        {
            "stage": Stage.FOUNDATION,
            "description": "Ministers change after the elections.",
            "mitigation": "Brief the new team early.",
            "owner": world.facilitator.pk,
            "status": Risk.Status.OPEN,
        },
    )

    assert response.status_code == 302
    risk = world.initiative.risks.get(description="Ministers change after the elections.")
    assert (risk.stage, risk.owner, risk.status) == (
        Stage.FOUNDATION,
        world.facilitator,
        Risk.Status.OPEN,
    )


def test_add_risk_without_description_keeps_what_was_typed(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        url(world, "add_risk"),
        {"stage": Stage.SCOPING, "description": "  ", "mitigation": "Ask the funders early."},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["description"]
    assert "Ask the funders early." in response.text
    assert world.initiative.risks.count() == 0


def test_edit_risk_marks_it_mitigated(client, world):
    scoping_for(world.initiative)
    risk = world.initiative.risks.first()
    client.force_login(world.facilitator)

    response = client.post(
        url(world, "edit_risk", risk.pk),
        {
            "stage": risk.stage,
            "description": risk.description,
            "mitigation": "Theory of change written with two ministries.",
            "owner": "",
            "status": Risk.Status.MITIGATED,
        },
    )

    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.status == Risk.Status.MITIGATED
    assert risk.mitigation == "Theory of change written with two ministries."


def test_edit_risk_refuses_an_owner_from_outside_the_team(client, world):
    risk = Risk.objects.create(initiative=world.initiative, description="Peers drift away.")
    client.force_login(world.facilitator)

    response = client.post(
        url(world, "edit_risk", risk.pk),
        {
            "stage": risk.stage,
            "description": risk.description,
            "owner": world.peer.pk,
            "status": Risk.Status.OPEN,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["owner"]
    risk.refresh_from_db()
    assert risk.owner is None


def test_edit_risk_of_another_initiative_is_not_found(client, world):
    other = MembershipFactory(role=Role.FACILITATOR).initiative
    risk = Risk.objects.create(initiative=other, description="Not yours.")
    client.force_login(world.facilitator)

    response = client.get(url(world, "edit_risk", risk.pk))

    assert response.status_code == 404


def test_close_risk_closes_it(client, world):
    risk = Risk.objects.create(initiative=world.initiative, description="Peers drift away.")
    client.force_login(world.facilitator)

    response = client.post(url(world, "close_risk", risk.pk))

    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.status == Risk.Status.CLOSED


def test_close_risk_refuses_get(client, world):
    risk = Risk.objects.create(initiative=world.initiative, description="Peers drift away.")
    client.force_login(world.facilitator)

    response = client.get(url(world, "close_risk", risk.pk))

    assert response.status_code == 405
    risk.refresh_from_db()
    assert risk.status == Risk.Status.OPEN


def test_leaving_scoping_asks_to_acknowledge_scoping_items(client, world):
    fill_scoping(world.initiative, goals="", means="", assumptions="")
    client.force_login(world.facilitator)
    road_map = reverse("initiatives:road_map", args=[world.initiative.pk])

    refused = client.post(road_map, {"stage": Stage.FOUNDATION})
    accepted = client.post(road_map, {"stage": Stage.FOUNDATION, "acknowledge": "on"})

    assert "Tick the box to move on anyway." in refused.text
    assert accepted.status_code == 302
    assert StageChange.objects.get().acknowledged_items == [
        "No start date has been set.",
        "Theory of change is not answered yet.",
        "2 scoping risks are still open.",
    ]


def test_scoping_answered_with_risks_handled_has_nothing_open(world):
    world.initiative.starts_on = "2027-01-15"
    world.initiative.save()
    fill_scoping(world.initiative)
    world.initiative.risks.filter(stage=Stage.SCOPING).update(status=Risk.Status.MITIGATED)

    items = road_map.open_items(world.initiative, Stage.SCOPING)

    assert items == []


def test_partly_answered_section_and_missing_goals_are_open_items(world):
    scoping = fill_scoping(world.initiative, support="")
    scoping.learning_goals = {}
    scoping.save()

    items = road_map.open_items(world.initiative, Stage.SCOPING)

    assert "Costs, resources and support is only partly answered." in items
    assert "No learning goal has been chosen." in items


def test_open_risks_count_for_their_own_stage(world):
    scoping_for(world.initiative)
    world.initiative.risks.filter(stage=Stage.FOUNDATION).update(status=Risk.Status.CLOSED)

    foundation = road_map.open_items(world.initiative, Stage.FOUNDATION)
    diffusion = road_map.open_items(world.initiative, Stage.DIFFUSION)

    assert "risk of this stage" not in " ".join(foundation)
    assert diffusion == ["2 risks of this stage are still open."]


def test_summary_shows_the_answers(client, world):
    fill_scoping(world.initiative, goals="Fewer arrears\nOn-time reports")
    scoping = Scoping.objects.get()
    scoping.learning_goals = {"support": Priority.LOW, "experiential_knowledge": Priority.HIGH}
    scoping.save()
    client.force_login(world.facilitator)

    response = client.get(url(world, "scoping_summary"))

    text = response.text
    assert "<li>Fewer arrears</li>" in text
    assert "An answer to peer_profile." in text
    assert "Public financial management" in text
    assert text.index("Experiential knowledge sharing (high)") < text.index(
        "Peer-to-peer support (low)"
    )
    assert "Nobody can say clearly what the peers are meant to gain." in text
    assert "css/scoping_summary.css" in text
    assert "style=" not in text


def test_risk_list_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    scoping_for(world.initiative)
    client.force_login(world.facilitator)
    with django_assert_max_num_queries(20) as few:
        client.get(url(world, "risks"))
    for number in range(12):
        owner = FacilitatorFactory(organisation=world.initiative.organisation)
        MembershipFactory(initiative=world.initiative, user=owner, role=Role.FACILITATOR)
        Risk.objects.create(initiative=world.initiative, description=f"Risk {number}", owner=owner)

    with django_assert_max_num_queries(20) as many:
        response = client.get(url(world, "risks"))

    assert len(response.context["risks"]) == len(STANDARD_RISKS) + 12
    assert len(many) == len(few)


def test_workspace_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    scoping_for(world.initiative)
    client.force_login(world.facilitator)
    with django_assert_max_num_queries(20) as few:
        client.get(url(world, "scoping"))
    fill_scoping(world.initiative)
    for number in range(12):
        Risk.objects.create(initiative=world.initiative, description=f"Risk {number}")

    with django_assert_max_num_queries(20) as many:
        response = client.get(url(world, "scoping"))

    assert response.context["open_risks"] == len(STANDARD_RISKS) + 12
    assert len(many) == len(few)


def test_demo_has_scoping_with_one_part_open_and_some_risks_mitigated(db):
    call_command("load_demo")
    call_command("load_demo")

    initiative = Initiative.objects.get(title="Budget Execution Community of Practice 2027")
    scoping = initiative.scoping
    open_parts = [s.slug for s in SECTIONS if scoping.progress(s) != "answered"]
    assert open_parts == ["costs"]
    assert initiative.risks.count() == len(STANDARD_RISKS)
    assert initiative.risks.filter(status=Risk.Status.MITIGATED).count() == 3
    assert scoping.chosen_learning_goals()[0][0] == "Experiential knowledge sharing"


def test_new_initiative_starts_with_its_risk_register(client, world):
    client.force_login(world.facilitator)

    client.post(reverse("initiatives:create"), {"title": "Audit peers", **CREATE_DEFAULTS})

    initiative = Initiative.objects.get(title="Audit peers")
    assert initiative.scoping.risks_seeded_at is not None
    assert initiative.risks.count() == len(STANDARD_RISKS)


def test_learning_goals_page_explains_each_goal(client, world):
    client.force_login(world.facilitator)

    page = client.get(url(world, "learning_goals"))

    assert "This tacit knowledge is rarely written anywhere." in page.text
    assert "pushes each to move their own reform forward." in page.text
