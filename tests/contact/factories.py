import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contact import services
from initiatives.models import Role, Stage
from matching.models import Match, MatchMember, MatchRun


def pair(world):
    """A published match of the world's two peers; returns their memberships."""
    run = MatchRun.objects.create(
        initiative=world.initiative,
        status=MatchRun.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    match = Match.objects.create(run=run, number=1, status=Match.Status.PUBLISHED)
    peer = membership_of(world, world.peer)
    elsewhere = membership_of(world, world.peer_elsewhere)
    MatchMember.objects.bulk_create(
        [MatchMember(match=match, membership=peer), MatchMember(match=match, membership=elsewhere)]
    )
    return match, peer, elsewhere


def membership_of(world, user):
    return world.initiative.memberships.get(user=user, role=Role.PEER)


def in_stage_two(world):
    world.initiative.stage = Stage.SUSTAINED_CONTACT
    world.initiative.save(update_fields=["stage"])


def logged_by_partner(world, *, note="We talked about arrears", days_ago=1, match=None):
    """A call logged by the other peer: the world's peer is asked to confirm it."""
    match = match or pair(world)[0]
    peer, elsewhere = membership_of(world, world.peer), membership_of(world, world.peer_elsewhere)
    return services.log_contact(
        initiative=world.initiative,
        by=world.peer_elsewhere,
        participants=[elsewhere, peer],
        confirmed=[elsewhere],
        match=match,
        kind="call",
        happened_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        note=note,
        helped_with="Our arrears plan",
        outcome="A shared checklist",
    )


# --- library ---

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pdf_upload(name="arrears-note.pdf"):
    """An upload as DocumentField leaves it: typed from its bytes."""
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def library_document(world, *, by=None, authors=None, upload="default", **fields):
    """A document added by the world's peer (by default a PDF they wrote)."""
    by = by or world.peer
    if authors is None:
        authors = [membership_of(world, world.peer)]
    values = {
        "title": "Arrears checklist",
        "kind": "template",
        "dated": datetime.date(2026, 3, 1),
        **fields,
    }
    if upload == "default":
        upload = None if values.get("url") else pdf_upload()
    return services.add_document(
        initiative=world.initiative, by=by, authors=authors, upload=upload, **values
    )


def document_kwargs(world):
    return {"pk": world.initiative.pk, "document_pk": library_document(world).pk}


# --- momentum ---


def nudged(world, **changes):
    """A nudge to the world's pair; returns it and the peer's membership."""
    from contact.models import Nudge

    match = pair(world)[0]
    fields = {"kind": Nudge.Kind.MEMBERS, "spell": timezone.localdate(), **changes}
    return Nudge.objects.create(match=match, **fields), membership_of(world, world.peer)


def help_requested(world, text="We cannot find a time"):
    match, peer, _elsewhere = pair(world)
    return services.ask_for_help(match=match, membership=peer, text=text)


# --- exchanges ---

NOTES = b"Arrears by month\nJanuary 12\nFebruary 9\n"


def notes_upload(name="arrears.txt"):
    """A text file as DocumentField leaves it: typed from its bytes."""
    return SimpleUploadedFile(name, NOTES, content_type="text/plain")


def post_in(world, *, by=None, match=None, body="How did you clear your arrears?", **fields):
    """A post by the world's peer (by default) on the board, or in `match`'s conversation."""
    return services.create_post(
        initiative=world.initiative, match=match, by=by or world.peer, body=body, **fields
    )


def conversation_kwargs(world):
    match = pair(world)[0]
    return {"pk": world.initiative.pk, "match_pk": match.pk}


def partner_post_kwargs(world):
    """A post with a file by the peer's match partner, in their conversation."""
    match = pair(world)[0]
    post = post_in(world, by=world.peer_elsewhere, match=match, attachment=notes_upload())
    return {"pk": world.initiative.pk, "post_pk": post.pk}


def own_post_kwargs(world):
    """A post by the world's peer on the board."""
    return {"pk": world.initiative.pk, "post_pk": post_in(world).pk}
