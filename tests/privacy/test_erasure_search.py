"""THE test: after erasure nothing in the whole database names the person."""

from django.core import mail

from peerlearn.models import OutboxEmail

from .factories import EMAIL, SEARCHED, erased, everywhere, mentions


def test_nothing_in_the_database_names_an_erased_person(world, django_capture_on_commit_callbacks):
    person = everywhere(world)
    assert {term for _table, _column, term in mentions(SEARCHED)} == set(SEARCHED)

    with django_capture_on_commit_callbacks(execute=True):
        request = erased(person, by=world.facilitator, keep_files=True)
    # The final email goes out once the erasure is committed; then its row is blanked.
    with django_capture_on_commit_callbacks(execute=True):
        pass

    request.refresh_from_db()
    assert request.status == "erased"
    assert mentions(SEARCHED) == []
    assert [message.to for message in mail.outbox if "erased" in message.subject] == [[EMAIL]]
    assert not OutboxEmail.objects.filter(to=EMAIL).exists()
