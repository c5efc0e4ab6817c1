"""Demo data of sustained contact: four months of contacts, check-ins, requests,
conversations and a library, most matches alive and one gone quiet.

Everything goes through the contact services (so it appears in History); the dates the
services set to "now" are then moved back to when each thing happened.
"""

from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from contact import services
from contact.models import (
    Contact,
    ContactParticipant,
    HelpRequest,
    LibraryDocument,
    LogisticsRequest,
    LogisticsUpdate,
    MatchCheckIn,
    Post,
)
from initiatives.models import Membership, Role, Stage, StageChange
from initiatives.services import move_stage
from matching.models import MatchRun
from peerlearn.models import AuditEntry, Organisation

from .scoping import PEER

PUBLISHED_DAYS_AGO = 120
STAGE_MOVED_DAYS_AGO = 116
Kind = Contact.Kind


def day(days_ago):
    return timezone.localdate() - timedelta(days=days_ago)


def moment(days_ago, hour=10):
    return datetime.combine(day(days_ago), time(hour), tzinfo=timezone.get_current_timezone())


@contextmanager
def happened(days_ago, hour=10):
    """Audit entries written inside the block are dated `days_ago` instead of now."""
    last = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    yield
    AuditEntry.objects.filter(pk__gt=last).update(at=moment(days_ago, hour))


def load_sustained_contact(initiative, facilitator):
    """Move the demo initiative into stage 2, with a published run four months old and
    what its peers did since. Once: nothing when it is in stage 2 already or has no
    published run. Side effects: one email for a logistics request that was dealt with."""
    run = initiative.match_runs.filter(status=MatchRun.Status.PUBLISHED).first()
    if run is None or initiative.stage >= Stage.SUSTAINED_CONTACT:
        return
    backdate_run(run)
    with happened(STAGE_MOVED_DAYS_AGO):
        change = move_stage(
            initiative=initiative,
            to_stage=Stage.SUSTAINED_CONTACT,
            by=facilitator,
            acknowledged=True,
        )
    StageChange.objects.filter(pk=change.pk).update(changed_at=moment(STAGE_MOVED_DAYS_AGO))
    pairs = Pairs(run)
    match_contacts(initiative, pairs)
    group_contacts(initiative, facilitator)
    check_ins(run, pairs)
    requests(initiative, facilitator, pairs)
    exchanges(initiative, facilitator, pairs)
    library(initiative, pairs)


def backdate_run(run):
    MatchRun.objects.filter(pk=run.pk).update(published_at=moment(PUBLISHED_DAYS_AGO))
    run.refresh_from_db()
    made = AuditEntry.objects.filter(
        action__in=["run.finish", "run.publish"], target_id=str(run.pk)
    )
    made.update(at=run.published_at)


class Pairs:
    """The published matches as (match, [memberships by email]): peer01's first, then the
    lively ones, then the one waiting for help and the quiet one."""

    def __init__(self, run):
        matches = run.matches.order_by("number").prefetch_related("members__membership__user")
        found = [
            (match, sorted((m.membership for m in match.members.all()), key=_email))
            for match in matches
        ]
        self.peer01 = next(pair for pair in found if _email(pair[1][0]) == PEER)
        others = [pair for pair in found if pair is not self.peer01]
        *self.lively, self.help, self.quiet = others

    def all(self):
        return [self.peer01, *self.lively, self.help, self.quiet]


def _email(membership):
    return membership.user.email


# --- contacts ---

# (days ago, kind, note, what it helped with), oldest first; the logger alternates.
LIVELY_STORIES = [
    [
        (108, Kind.CALL, "First call: compared how our treasuries register commitments.", ""),
        (71, Kind.ONLINE, "Swapped our arrears reports by email and commented on them.", ""),
        (36, Kind.CALL, "Went through the draft commitment ceilings for next quarter.", ""),
        (9, Kind.CALL, "Monthly call; agreed to test the invoice register in one ministry.", ""),
    ],
    [
        (101, Kind.CALL, "Introductions and one reform each we want to move this year.", ""),
        (52, Kind.ONLINE, "Shared our cash release calendars and discussed the gaps.", ""),
        (14, Kind.CALL, "Reviewed how the new calendar worked in its first month.", "cash plans"),
    ],
    [
        (97, Kind.CALL, "First call, in Russian: payroll controls in both ministries.", ""),
        (60, Kind.CALL, "Compared head counts and the HR register links.", "payroll audit"),
        (
            24,
            Kind.KNOWLEDGE_PRODUCT,
            "Drafted the payroll chapter of the guide on commitment controls.",
            "",
        ),
    ],
    [
        (89, Kind.ONLINE, "Exchanged templates of in-year reports.", ""),
        (43, Kind.CALL, "Discussed what parliament's budget committee reads.", ""),
        (6, Kind.CALL, "Tried the one-page summary on the June report.", "report formats"),
    ],
]
HELP_STORY = [
    (99, Kind.CALL, "First call; agreed to write a joint note on arrears at the source.", ""),
    (63, Kind.ONLINE, "Exchanged outlines of the note.", ""),
    (21, Kind.CALL, "Call about the note's scope; we did not agree yet.", ""),
]
QUIET_STORY = [
    (104, Kind.CALL, "First call: we both work on the treasury single account.", ""),
    (58, Kind.ONLINE, "Short exchange about closing agency bank accounts.", ""),
]
PEER01_STORY = [
    (112, Kind.CALL, "Met at the kick-off; first call about arrears monitoring.", ""),
    (80, Kind.ONLINE, "Exchanged our monthly arrears survey templates.", "arrears survey"),
    (47, Kind.CALL, "Walked through how invoices are registered when received.", ""),
    (
        18,
        Kind.JOINT_ACTIVITY,
        "Wrote a short article together on stopping arrears at the source.",
        "a shared case",
    ),
]
# Logged by peer01's partner and waiting for peer01 to confirm.
PEER01_PENDING = [
    (9, Kind.PUBLICATION, "Our article appeared in the network's newsletter.", ""),
    (4, Kind.CALL, "Monthly call: next steps on commitment ceilings.", ""),
]


def match_contacts(initiative, pairs):
    stories = [
        (pairs.peer01, PEER01_STORY),
        *zip(pairs.lively, _cycle(LIVELY_STORIES, len(pairs.lively)), strict=True),
        (pairs.help, HELP_STORY),
        (pairs.quiet, QUIET_STORY),
    ]
    for (match, members), story in stories:
        for number, (days_ago, kind, note, helped_with) in enumerate(story):
            logger = members[number % len(members)]
            log(initiative, match, members, logger, days_ago, kind, note, helped_with)
    match, members = pairs.peer01
    for days_ago, kind, note, helped_with in PEER01_PENDING:
        log(initiative, match, members, members[1], days_ago, kind, note, helped_with, False)


def _cycle(items, count):
    return [items[index % len(items)] for index in range(count)]


def log(initiative, match, members, logger, days_ago, kind, note, helped_with, confirm=True):
    """A peer logs a contact of their match; the others confirm it the next day."""
    with happened(days_ago, 17):
        contact = services.log_contact(
            initiative=initiative,
            by=logger.user,
            participants=members,
            confirmed=[logger],
            match=match,
            kind=kind,
            happened_on=day(days_ago),
            note=note,
            helped_with=helped_with,
        )
    Contact.objects.filter(pk=contact.pk).update(created_at=moment(days_ago, 17))
    if not confirm:
        return contact
    answered = max(days_ago - 1, 0)
    for participant in contact.participants.exclude(membership=logger):
        with happened(answered, 9):
            services.confirm_contact(participant=participant, by=participant.membership.user)
        ContactParticipant.objects.filter(pk=participant.pk).update(answered_at=moment(answered, 9))
    return contact


def group_contacts(initiative, facilitator):
    """A webinar for many peers and a site visit to the Georgian treasury, logged by the
    facilitator (confirmed for everyone)."""
    peers = list(
        initiative.memberships.peers()
        .filter(status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("user__email")
    )
    georgia = Organisation.objects.home_organisations().get(
        name="Ministry of Finance", country="Georgia"
    )
    group_log(
        initiative,
        facilitator,
        peers[:14],
        days_ago=66,
        kind=Kind.TRAINING,
        note="Webinar: counting arrears every month, with examples from Moldova and Ukraine.",
        outcome="Slides and a recording in the library.",
    )
    group_log(
        initiative,
        facilitator,
        [peer for peer in peers[:9] if peer.home_organisation_id != georgia.pk],
        days_ago=31,
        kind=Kind.SITE_VISIT,
        note="Two days at the Georgian treasury: payment controls and the commitment register.",
        host_organisation=georgia,
        outcome="A checklist for registering commitments at contract signature.",
    )


def group_log(initiative, facilitator, participants, *, days_ago, **fields):
    with happened(days_ago, 18):
        contact = services.log_contact(
            initiative=initiative,
            by=facilitator,
            participants=participants,
            confirmed=participants,
            happened_on=day(days_ago),
            **fields,
        )
    Contact.objects.filter(pk=contact.pk).update(created_at=moment(days_ago, 18))


# --- check-ins ---

CHECK_IN_DAYS_AGO = PUBLISHED_DAYS_AGO - services.FIRST_CHECK_IN_AFTER.days
# (rating, not working, comment) of the first check-in; None: not answered yet.
CHECK_IN_ANSWERS = [
    (5, False, "Very useful: my partner solved the problem we face now."),
    (4, False, ""),
    (4, False, "Good, though finding a time across time zones takes effort."),
    (5, False, ""),
    None,
]
QUIET_ANSWERS = [
    (
        2,
        True,
        "We cannot find a time that suits us both, and our reforms differ more than we thought.",
    ),
    None,
]


def check_ins(run, pairs):
    """The first check-in, sent 30 days after publishing (its emails went out then, so
    none are queued now) and answered by most; the second is due for the sweep."""
    sent = run.published_at + services.FIRST_CHECK_IN_AFTER
    answers = _cycle(CHECK_IN_ANSWERS, 2 * len(pairs.all()))
    for index, (match, members) in enumerate(pairs.all()):
        mine = QUIET_ANSWERS if (match, members) == pairs.quiet else answers[2 * index :]
        for membership, answer in zip(members, mine, strict=False):
            check_in = MatchCheckIn.objects.create(
                match=match, membership=membership, number=1, due_at=sent, sent_at=sent
            )
            if answer is not None:
                answer_check_in(check_in, *answer, days_ago=CHECK_IN_DAYS_AGO - 2 - index % 4)


def answer_check_in(check_in, rating, not_working, comment, *, days_ago):
    with happened(days_ago, 12):
        services.answer_check_in(
            check_in=check_in, rating=rating, not_working=not_working, comment=comment
        )
    MatchCheckIn.objects.filter(pk=check_in.pk).update(answered_at=moment(days_ago, 12))


# --- help and logistics requests ---


def requests(initiative, facilitator, pairs):
    match, members = pairs.help
    with happened(8, 15):
        help_request = services.ask_for_help(
            match=match,
            membership=members[0],
            text=(
                "We agreed to write a note on arrears together but cannot agree on its scope. "
                "Could a facilitator join our next call?"
            ),
        )
    HelpRequest.objects.filter(pk=help_request.pk).update(created_at=moment(8, 15))
    match, members = pairs.lively[0]
    with happened(100, 11):
        done = services.request_logistics(
            membership=members[1],
            by=members[1].user,
            kind=LogisticsRequest.Kind.VIDEO_LINK,
            details="A video link for our monthly calls; our ministry blocks most services.",
            match=match,
        )
    with happened(98, 16):
        services.update_logistics_request(
            request=done,
            by=facilitator,
            status=LogisticsRequest.Status.DONE,
            note="A standing meeting room is booked for you on the network's video service.",
        )
    LogisticsRequest.objects.filter(pk=done.pk).update(
        created_at=moment(100, 11), updated_at=moment(98, 16)
    )
    LogisticsUpdate.objects.filter(request=done).update(created_at=moment(98, 16))
    match, members = pairs.help
    with happened(5, 10):
        still_open = services.request_logistics(
            membership=members[1],
            by=members[1].user,
            kind=LogisticsRequest.Kind.INTERPRETATION,
            details="Russian–French interpretation for a two-hour call about our joint note.",
            match=match,
            needed_on=day(-24),
        )
    LogisticsRequest.objects.filter(pk=still_open.pk).update(created_at=moment(5, 10))


# --- exchanges ---


def exchanges(initiative, facilitator, pairs):
    match, (peer01, partner) = pairs.peer01
    first = post(
        initiative,
        match,
        peer01,
        78,
        "Here is how we run the monthly arrears survey: each spending unit lists unpaid "
        "invoices older than 30 days, by supplier. The aging table is what ministers read.",
    )
    post(
        initiative,
        match,
        partner,
        77,
        "Thank you, this is clear. We will try it with two ministries next quarter.",
        parent=first,
    )
    second = post(
        initiative,
        match,
        partner,
        20,
        "Before our next call: could you send the instruction your treasury gives spending "
        "units about registering commitments?",
    )
    post(initiative, match, peer01, 19, "Yes, I will translate the key pages first.", parent=second)
    post(
        initiative,
        match,
        partner,
        3,
        "I logged our call and the newsletter article; please confirm them when you can.",
    )
    lively = [members for _match, members in pairs.lively]
    question = post(
        initiative,
        None,
        lively[2][0],
        33,
        "Has anyone linked payroll checks to the HR register inside the IFMIS? We are "
        "choosing between a nightly file and a direct link.",
    )
    post(
        initiative,
        None,
        lively[1][1],
        32,
        "We use a nightly file: simpler to audit. Happy to show it on a call.",
        parent=question,
    )
    facilitator_membership = initiative.memberships.get(user=facilitator, role=Role.FACILITATOR)
    post(
        initiative,
        None,
        facilitator_membership,
        15,
        "The webinar's slides and the site visit checklist are now in the library.",
    )


def post(initiative, match, membership, days_ago, body, parent=None):
    with happened(days_ago, 14):
        made = services.create_post(
            initiative=initiative, match=match, by=membership.user, body=body, parent=parent
        )
    Post.objects.filter(pk=made.pk).update(created_at=moment(days_ago, 14))
    return made


# --- library ---


def library(initiative, pairs):
    _match, (peer01, partner) = pairs.peer01
    writers = [members[0] for _match, members in pairs.lively]
    documents = [
        (
            [peer01, partner],
            {
                "title": "Monthly arrears survey: how we count unpaid invoices",
                "description": "The survey form, the aging table and how we check the answers.",
                "kind": LibraryDocument.Kind.CASE_NOTE,
                "language": "en",
                "dated": day(72),
            },
            tiny_pdf(
                [
                    "Monthly arrears survey",
                    "1. Each spending unit lists invoices unpaid after 30 days.",
                    "2. The treasury ages them: 30-60, 60-90, over 90 days.",
                    "3. Ministers see one table a month.",
                ]
            ),
            "arrears-survey.pdf",
            "application/pdf",
        ),
        (
            writers[:2],
            {
                "title": "Checklist: registering commitments at contract signature",
                "description": "Written after the site visit to the Georgian treasury.",
                "kind": LibraryDocument.Kind.TEMPLATE,
                "language": "en",
                "dated": day(27),
            },
            CHECKLIST.encode(),
            "commitment-checklist.txt",
            "text/plain",
        ),
        (
            [writers[2]],
            {
                "title": "Arrears webinar: slides and recording",
                "description": "Counting arrears every month, with examples from two countries.",
                "kind": LibraryDocument.Kind.PRESENTATION,
                "language": "ru",
                "dated": day(65),
                "url": "https://media.example.org/budget-network/arrears-webinar",
            },
            None,
            "",
            "",
        ),
        (
            writers[1:4],
            {
                "title": "Guide on commitment controls (draft chapters)",
                "description": "Peers from four countries write it together; comments welcome.",
                "kind": LibraryDocument.Kind.GUIDANCE,
                "language": "en",
                "dated": day(12),
                "url": "https://docs.example.org/budget-network/commitment-controls-guide",
            },
            None,
            "",
            "",
        ),
        (
            [writers[3]],
            {
                "title": "One-page in-year budget report for parliament",
                "description": "The model summary a budget committee asked for.",
                "kind": LibraryDocument.Kind.REPORT,
                "language": "fr",
                "dated": day(5),
                "url": "https://reports.example.org/in-year-summary",
            },
            None,
            "",
            "",
        ),
    ]
    for authors, fields, content, name, content_type in documents:
        upload = SimpleUploadedFile(name, content, content_type) if content else None
        days_ago = (timezone.localdate() - fields["dated"]).days
        with happened(days_ago, 16):
            document = services.add_document(
                initiative=initiative,
                by=authors[0].user,
                authors=authors,
                upload=upload,
                reform_area="pfm",
                **fields,
            )
        added = moment(days_ago, 16)
        LibraryDocument.objects.filter(pk=document.pk).update(added_at=added, changed_at=added)


CHECKLIST = """Registering commitments at contract signature: a checklist

1. The contract names its budget line.
2. The budget line has room left for the whole contract this year.
3. The commitment is entered in the system before the contract is signed.
4. Multi-year contracts show each year's amount.
5. Changes to the contract change the commitment the same day.
"""


def tiny_pdf(lines):
    """A one-page PDF showing `lines` (plain ASCII), small and valid."""
    text = " T* ".join(f"({_pdf_text(line)}) Tj" for line in lines)
    stream = f"BT /F1 12 Tf 16 TL 72 770 Td {text} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    table = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{table}\n%%EOF\n"
    return out + trailer.encode("ascii")


def _pdf_text(line):
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
