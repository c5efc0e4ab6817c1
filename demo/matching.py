"""Demo data for matching: survey answers, then a published run."""

from datetime import timedelta

from django.utils import timezone

from initiatives.models import Role
from matching import queries, services
from matching.models import MatchRun
from surveys import services as surveys
from surveys.models import Response


def publish_demo_matches(initiative, facilitator):
    """Match and publish the demo peers once; nothing when they have no profiles yet.

    Side effects: at most one MatchRun with its matches, published (emails in the outbox).
    """
    if initiative.match_runs.exists() or not queries.matchable_profiles(initiative).exists():
        return None
    run = MatchRun.objects.create(initiative=initiative, created_by=facilitator)
    services.run_matching(run=run)
    if run.status == MatchRun.Status.PROPOSED:
        services.publish_matches(run=run, by=facilitator)
    return run


# (challenges, tags, position, task, years, background, can offer, wants to learn)
# Several peers describe the same problem in different words, as real peers do.
ANSWERS = [
    (
        "Spending units sign contracts without checking that budget is left, so arrears appear "
        "at year end.",
        ["pfm"],
        "Head of budget execution",
        "Commitment control rollout",
        14,
        "Economist",
        "How we cleaned the arrears stock in 2024",
        "Commitment controls in the IFMIS",
    ),
    (
        "Unpaid bills to suppliers keep growing; we only find out when suppliers complain.",
        ["pfm", "risk"],
        "Deputy director, treasury",
        "Arrears monitoring",
        9,
        "Accountant",
        "Monthly arrears survey template",
        "How to stop new arrears at the source",
    ),
    (
        "Ministries commit money before cash is released, and we cannot see commitments in the "
        "system.",
        ["pfm"],
        "Treasury IT lead",
        "IFMIS upgrade",
        7,
        "IT engineer",
        "System design of our payment module",
        "Recording commitments at contract signature",
    ),
    (
        "Our in-year budget reports come out three months late and nobody reads them.",
        ["pfm", "monitoring_evaluation"],
        "Head of reporting",
        "Monthly execution reports",
        11,
        "Statistician",
        "Dashboards for parliament",
        "Faster in-year reporting",
    ),
    (
        "Parliament complains that quarterly execution reports are hard to understand.",
        ["pfm", "democratic"],
        "Budget analyst",
        "Citizen budget",
        4,
        "Economist",
        "Plain-language budget summaries",
        "Report formats that committees use",
    ),
    (
        "Many ministries still hold commercial bank accounts outside the treasury single account.",
        ["pfm"],
        "Head of cash management",
        "Treasury single account",
        16,
        "Banker",
        "Negotiating with the central bank",
        "Closing the remaining bank accounts",
    ),
    (
        "Cash sits idle in hundreds of agency accounts while we borrow short term.",
        ["pfm", "risk"],
        "Cash forecasting specialist",
        "Treasury single account",
        6,
        "Finance",
        "Cash forecasting spreadsheet",
        "Consolidating agency accounts",
    ),
    (
        "Payroll is not linked to the HR register, so we pay people who have left.",
        ["pfm", "civil_service"],
        "Payroll controller",
        "Payroll audit",
        12,
        "Auditor",
        "Payroll control checklist",
        "Linking HR and payroll data",
    ),
    (
        "Ghost workers on the municipal payroll; salaries are paid late every winter.",
        ["municipal", "pfm"],
        "Head of municipal finance",
        "Payroll clean-up",
        19,
        "Accountant",
        "Head count method",
        "Automating payroll checks",
    ),
    (
        "Budget execution is very slow in the first half of the year and rushed in December.",
        ["pfm", "performance"],
        "Head of budget planning",
        "Cash plans for ministries",
        10,
        "Economist",
        "Quarterly allotment rules",
        "Smoothing spending over the year",
    ),
    (
        "Capital projects underspend every year because procurement starts too late.",
        ["pfm", "procurement"],
        "Investment budget officer",
        "Public investment management",
        8,
        "Engineer",
        "Project pipeline database",
        "Linking procurement plans to budget",
    ),
    (
        "Internal auditors find the same control weaknesses in payments each year and nothing "
        "changes.",
        ["internal_audit", "pfm"],
        "Head of internal audit",
        "Payment controls",
        15,
        "Auditor",
        "Risk-based audit plan",
        "Getting management to act on findings",
    ),
    (
        "We cannot reconcile treasury and central bank balances at month end.",
        ["pfm"],
        "Chief accountant",
        "Bank reconciliation",
        21,
        "Accountant",
        "Daily reconciliation routine",
        "Automated reconciliation",
    ),
    (
        "Arrears to suppliers are hidden because invoices are not registered when received.",
        ["pfm", "anti_corruption"],
        "Expenditure control officer",
        "Invoice register",
        5,
        "Lawyer",
        "Legal basis for late-payment interest",
        "Registering invoices on receipt",
    ),
    (
        "Local governments report budget execution in different formats, so we cannot consolidate.",
        ["municipal", "monitoring_evaluation"],
        "Head of subnational finance",
        "Chart of accounts",
        13,
        "Economist",
        "Uniform reporting template",
        "Consolidating local government data",
    ),
    (
        "Performance information in the budget is never used in decisions.",
        ["performance", "pfm"],
        "Programme budgeting advisor",
        "Programme budgeting",
        9,
        "Public administration",
        "Indicator handbook",
        "Using results in budget talks",
    ),
    (
        "Monthly cash releases do not follow the commitment plan, so units overspend early.",
        ["pfm"],
        "Budget execution officer",
        "Commitment control rollout",
        3,
        "Finance",
        "Cash release calendar",
        "Commitment ceilings per quarter",
    ),
    (
        "Salary costs overrun the budget: new hires are approved outside the budget process.",
        ["civil_service", "pfm"],
        "Head of wage bill unit",
        "Wage bill control",
        17,
        "Economist",
        "Position control table",
        "Controlling hiring against the wage bill",
    ),
    (
        "Our year-end reports are not trusted because adjustments are made by hand.",
        ["pfm", "audit"],
        "Financial reporting lead",
        "Accrual accounting pilot",
        12,
        "Accountant",
        "Closing checklist",
        "Audit-ready year-end statements",
    ),
    (
        "Donor project money is kept outside the treasury and not reported in execution reports.",
        ["pfm", "governance"],
        "Aid coordination officer",
        "On-budget donor funds",
        8,
        "Development economist",
        "Donor mapping",
        "Bringing donor funds into the TSA",
    ),
    (
        "Tax refunds are paid late, which creates arrears to companies.",
        ["tax", "pfm"],
        "Head of refunds",
        "Refund automation",
        10,
        "Tax inspector",
        "Risk rules for refunds",
        "Paying refunds on time",
    ),
    (
        "The budget is executed on paper first and entered into the system weeks later.",
        ["pfm", "project_management"],
        "IFMIS project manager",
        "IFMIS rollout",
        6,
        "Project manager",
        "Rollout plan across ministries",
        "Getting users to work in the system",
    ),
]
LANGUAGES = [["en", "ru"], ["en", "fr"], ["ru"], ["en"], ["fr", "ar"], ["en", "ka", "ru"]]
AVAILABILITY = ["Tuesday and Thursday afternoons", "Mornings before 11:00", "Friday mornings"]
TIME_ZONES = ["UTC+2", "UTC+4", "UTC+5", "UTC+0", "UTC+8", "UTC+6"]
DRAFTS = 3


def _answers(questions, index):
    challenges, tags, position, task, years, background, offer, learn = ANSWERS[
        index % len(ANSWERS)
    ]
    by_field = {
        "challenges": challenges,
        "challenge_tags": tags,
        "position": position,
        "task": task,
        "years_of_service": years,
        "background": background,
        "languages": LANGUAGES[index % len(LANGUAGES)],
        "can_offer": offer,
        "wants_to_learn": learn,
        "availability": AVAILABILITY[index % len(AVAILABILITY)],
        "time_zone": TIME_ZONES[index % len(TIME_ZONES)],
    }
    return {str(q.pk): by_field[q.profile_field] for q in questions if q.profile_field in by_field}


def load_survey(initiative):
    """Most active peers have submitted, a few hold drafts, the rest have not started."""
    survey = surveys.survey_for(initiative=initiative)
    if survey.closes_at is None:
        # Closed before the matches were published, four months ago.
        survey.closes_at = timezone.now() - timedelta(days=124)
        # Opened to peers three weeks before it closed (no email: it is the past).
        survey.opened_at = survey.closes_at - timedelta(days=21)
        survey.save(update_fields=["closes_at", "opened_at"])
    questions = list(survey.questions.all())
    peers = list(
        initiative.memberships.filter(role=Role.PEER, status="active").order_by("user__email")
    )
    done = set(survey.responses.submitted().values_list("membership_id", flat=True))
    submitting = len(ANSWERS)
    for index, membership in enumerate(peers):
        if membership.pk in done:
            continue
        answers = _answers(questions, index)
        if index < submitting:
            surveys.submit_survey(
                survey=survey, membership=membership, answers=answers, questions=questions
            )
        elif index < submitting + DRAFTS:
            draft = {k: v for k, v in answers.items() if k == str(questions[0].pk)}
            Response.objects.update_or_create(
                survey=survey, membership=membership, defaults={"answers": draft}
            )
    return survey
