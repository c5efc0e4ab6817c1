"""What matching forgets of a person erased, or of an initiative past its retention:
profiles and imported files go; matches stay, with their members anonymous."""

from peerlearn.anonymous import mentioning, scrub_app, traces

from .models import KeptApart, Match, PeerImport, PeerProfile


def forget_person(person, *, keep_files):
    terms = traces(person)
    PeerProfile.objects.filter(membership__user=person).delete()
    KeptApart.objects.filter(first__user=person).update(reason="")
    KeptApart.objects.filter(second__user=person).update(reason="")
    # The uploaded spreadsheet held their row; what was read from it is scrubbed below.
    mentioning(PeerImport.objects.all(), terms).update(content=b"")
    scrub_app("matching", terms)


def anonymise_initiative(initiative):
    PeerProfile.objects.filter(membership__initiative=initiative).delete()
    PeerImport.objects.filter(initiative=initiative).update(
        content=b"", rows=[], notes=[], filename="", error=""
    )
    KeptApart.objects.filter(initiative=initiative).update(reason="")
    Match.objects.filter(run__initiative=initiative).update(end_reason="")
