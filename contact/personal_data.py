"""What the contact app forgets of a person erased, or of an initiative past its retention.

Posts, contacts and match history stay (the author shows as "a former peer"); files the
person authored are deleted, or kept with nothing naming them, as the facilitator chose."""

from django.db.models import Q

from peerlearn.anonymous import delete_files, scrub_app, traces

from .models import (
    Contact,
    HelpRequest,
    LibraryDocument,
    LogisticsRequest,
    LogisticsUpdate,
    MatchCheckIn,
    MatchNote,
    Post,
)


def forget_person(person, *, keep_files):
    if not keep_files:
        posts = Post.objects.filter(author=person)
        delete_files(posts, "attachment")
        posts.update(attachment_name="", attachment_type="")
        documents = LibraryDocument.objects.filter(
            Q(added_by=person) | Q(authors__user=person)
        ).distinct()
        for document in documents:
            if document.file:
                document.file.delete(save=False)
            document.delete()
    LogisticsRequest.objects.filter(membership__user=person).delete()
    scrub_app("contact", traces(person))


def anonymise_initiative(initiative):
    posts = Post.objects.filter(initiative=initiative)
    delete_files(posts, "attachment")
    posts.update(body="", attachment_name="", attachment_type="", hidden_reason="")
    Contact.objects.filter(initiative=initiative).update(note="", helped_with="", outcome="")
    MatchCheckIn.objects.filter(match__run__initiative=initiative).update(comment="")
    HelpRequest.objects.filter(match__run__initiative=initiative).update(text="", note="")
    MatchNote.objects.filter(match__run__initiative=initiative).update(text="")
    LogisticsRequest.objects.filter(initiative=initiative).update(details="")
    LogisticsUpdate.objects.filter(request__initiative=initiative).update(note="")
