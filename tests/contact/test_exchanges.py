import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contact import services
from contact.models import Post, PostDigest, PostEmails
from contact.road_map import read_new_posts
from initiatives.models import Role
from initiatives.road_map import next_steps
from matching.models import Match, MatchMember
from peerlearn.models import AuditEntry, OutboxEmail, TeamMembership

from ..factories import MembershipFactory
from .factories import NOTES, in_stage_two, membership_of, notes_upload, pair, post_in

WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 400


def _board(world):
    return reverse("contact:board", args=[world.initiative.pk])


def _conversation(world, match):
    return reverse("contact:conversation", args=[world.initiative.pk, match.pk])


def _other_match(world):
    """A published match of two other peers of the initiative."""
    match = Match.objects.create(
        run=Match.objects.get().run if Match.objects.exists() else pair(world)[0].run,
        number=2,
        status=Match.Status.PUBLISHED,
    )
    others = [MembershipFactory(initiative=world.initiative) for _ in range(2)]
    MatchMember.objects.bulk_create(MatchMember(match=match, membership=m) for m in others)
    return match, others


def _page(client, url):
    return client.get(url).content.decode()


# Posting and reading


def test_peer_posts_in_the_match_conversation_and_the_partner_reads_it(client, world):
    match = pair(world)[0]
    client.force_login(world.peer)

    response = client.post(
        reverse("contact:conversation_post", args=[world.initiative.pk, match.pk]),
        {"body": "Shall we compare our payroll audits?"},
    )

    assert response.status_code == 302
    assert response.url == _conversation(world, match)
    post = Post.objects.get()
    assert (post.match, post.author) == (match, world.peer)
    assert AuditEntry.objects.get(action="contact.post").actor == world.peer
    client.force_login(world.peer_elsewhere)
    assert "Shall we compare our payroll audits?" in _page(client, _conversation(world, match))


def test_board_post_is_read_by_peers_and_facilitators(client, world):
    client.force_login(world.peer_elsewhere)

    client.post(
        reverse("contact:board_post", args=[world.initiative.pk]), {"body": "Hello everyone"}
    )

    for reader in (world.peer, world.facilitator):
        client.force_login(reader)
        assert "Hello everyone" in _page(client, _board(world))


def test_posted_text_cannot_carry_script_or_javascript_links(client, world):
    client.force_login(world.peer)
    body = (
        "<script>alert('board')</script>\n"
        '<a href="javascript:alert(1)">click</a> javascript:alert(2)\n\n'
        '<img src="x" onerror="alert(3)"> see https://example.org/guide?a=1&b=2.'
    )

    client.post(reverse("contact:board_post", args=[world.initiative.pk]), {"body": body})

    page = _page(client, _board(world))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert('board')&lt;/script&gt;" in page
    assert '<a href="javascript' not in page
    assert "<img" not in page
    assert '&lt;img src="x" onerror="alert(3)"&gt;' in page
    assert (
        '<a href="https://example.org/guide?a=1&amp;b=2" rel="nofollow noopener noreferrer ugc">'
        in page
    )
    assert "<br>" in page
    assert page.count('<div class="post-body"><p>') == 1


def test_a_message_too_long_keeps_the_typed_text(client, world):
    client.force_login(world.peer)
    body = "Our arrears plan. " + "x" * 5000

    response = client.post(
        reverse("contact:board_post", args=[world.initiative.pk]), {"body": body}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "A message can be at most 5000 characters; this one has 5018." in page
    assert "Our arrears plan. xxx" in page
    assert Post.objects.count() == 0


def test_an_empty_message_says_so(client, world):
    client.force_login(world.peer)

    response = client.post(reverse("contact:board_post", args=[world.initiative.pk]), {"body": ""})

    assert "Write a message first." in response.content.decode()
    assert Post.objects.count() == 0


def test_a_program_renamed_pdf_is_refused_and_the_text_stays(client, world):
    client.force_login(world.peer)
    program = SimpleUploadedFile("audit-report.pdf", WINDOWS_PROGRAM)

    response = client.post(
        reverse("contact:board_post", args=[world.initiative.pk]),
        {"body": "The audit report is attached", "attachment": program},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a PDF, Office document, image or plain text file" in page
    assert "The audit report is attached" in page
    assert Post.objects.count() == 0


def test_an_attached_file_is_kept_with_its_type_and_downloaded_by_a_reader(client, world):
    match = pair(world)[0]
    client.force_login(world.peer)
    client.post(
        reverse("contact:conversation_post", args=[world.initiative.pk, match.pk]),
        {"body": "My figures", "attachment": notes_upload("figures.txt")},
    )
    post = Post.objects.get()
    client.force_login(world.peer_elsewhere)

    response = client.get(reverse("contact:attachment", args=[world.initiative.pk, post.pk]))

    assert (post.attachment_name, post.attachment_type, post.attachment_size) == (
        "figures.txt",
        "text/plain",
        len(NOTES),
    )
    assert "/media/" not in post.attachment.name
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="figures.txt"'
    assert response["Content-Type"] == "text/plain"
    assert b"".join(response.streaming_content).startswith(b"Arrears by month")
    page = _page(client, _conversation(world, match))
    assert reverse("contact:attachment", args=[world.initiative.pk, post.pk]) in page


# Who sees what


def test_peer_of_another_match_gets_not_found_on_the_conversation_and_its_file(client, world):
    match = pair(world)[0]
    post = post_in(world, match=match, attachment=notes_upload())
    _other, others = _other_match(world)
    client.force_login(others[0].user)

    urls = [
        _conversation(world, match),
        reverse("contact:attachment", args=[world.initiative.pk, post.pk]),
        reverse("contact:reply", args=[world.initiative.pk, post.pk]),
    ]

    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    response = client.post(
        reverse("contact:conversation_post", args=[world.initiative.pk, match.pk]),
        {"body": "Let me in"},
    )
    assert response.status_code == 404
    assert Post.objects.count() == 1


def test_stranger_and_authoriser_cannot_download(client, world):
    post = post_in(world, attachment=notes_upload())
    url = reverse("contact:attachment", args=[world.initiative.pk, post.pk])

    client.force_login(world.stranger)
    assert client.get(url).status_code == 404
    client.force_login(world.authoriser)
    assert client.get(url).status_code == 403


def test_a_conversation_of_a_match_not_published_is_not_found(client, world):
    match = pair(world)[0]
    Match.objects.filter(pk=match.pk).update(status=Match.Status.PROPOSED)
    client.force_login(world.peer)

    assert client.get(_conversation(world, match)).status_code == 404


def test_board_does_not_accept_a_post_by_get_nor_the_page_by_post(client, world):
    client.force_login(world.peer)

    assert client.get(reverse("contact:board_post", args=[world.initiative.pk])).status_code == 405
    assert client.post(_board(world)).status_code == 405


# Replies, edits, deletions


def test_reply_shows_under_its_post(client, world):
    post = post_in(world, body="First question")
    post_in(world, body="A later post")
    client.force_login(world.peer_elsewhere)

    response = client.post(
        reverse("contact:reply", args=[world.initiative.pk, post.pk]), {"body": "An answer"}
    )

    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="contact.reply").count() == 1
    page = _page(client, _board(world))
    assert page.index("A later post") < page.index("First question") < page.index("An answer")


def test_a_reply_cannot_be_replied_to(client, world):
    post = post_in(world)
    answer = post_in(world, by=world.peer_elsewhere, parent=post, body="An answer")
    client.force_login(world.peer)

    response = client.get(reverse("contact:reply", args=[world.initiative.pk, answer.pk]))

    assert response.status_code == 404


def test_author_edits_their_post(client, world):
    post = post_in(world)
    client.force_login(world.peer)

    response = client.post(
        reverse("contact:edit_post", args=[world.initiative.pk, post.pk]),
        {"body": "How did you clear your payroll arrears?"},
    )

    post.refresh_from_db()
    assert response.status_code == 302
    assert post.body == "How did you clear your payroll arrears?"
    assert post.edited_at is not None
    assert AuditEntry.objects.filter(action="contact.edit_post", actor=world.peer).count() == 1


def test_nobody_else_edits_or_deletes_a_post(client, world):
    post = post_in(world)

    for other in (world.peer_elsewhere, world.facilitator):
        client.force_login(other)
        edit = reverse("contact:edit_post", args=[world.initiative.pk, post.pk])
        delete = reverse("contact:delete_post", args=[world.initiative.pk, post.pk])
        assert client.post(edit, {"body": "Changed"}).status_code == 404
        assert client.post(delete).status_code == 404

    post.refresh_from_db()
    assert post.body == "How did you clear your arrears?"


def test_deleting_a_post_without_replies_removes_it_and_its_file(
    client, world, django_capture_on_commit_callbacks
):
    post = post_in(world, attachment=notes_upload())
    storage, name = post.attachment.storage, post.attachment.name
    client.force_login(world.peer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contact:delete_post", args=[world.initiative.pk, post.pk]))

    assert response.status_code == 302
    assert Post.objects.count() == 0
    assert not storage.exists(name)
    assert AuditEntry.objects.filter(action="contact.delete_post", actor=world.peer).count() == 1


def test_deleting_a_post_with_replies_leaves_deleted_in_its_place(client, world):
    post = post_in(world, body="My private worry", attachment=notes_upload())
    post_in(world, by=world.peer_elsewhere, parent=post, body="An answer")
    client.force_login(world.peer)

    client.post(reverse("contact:delete_post", args=[world.initiative.pk, post.pk]))

    page = _page(client, _board(world))
    assert "This message was deleted." in page
    assert "My private worry" not in page
    assert "An answer" in page
    post.refresh_from_db()
    assert (post.body, post.attachment.name) == ("", "")


def test_deleting_the_last_reply_of_a_deleted_post_removes_both(client, world):
    post = post_in(world)
    answer = post_in(world, by=world.peer_elsewhere, parent=post, body="An answer")
    services.delete_post(post=post, by=world.peer)
    client.force_login(world.peer_elsewhere)

    client.post(reverse("contact:delete_post", args=[world.initiative.pk, answer.pk]))

    assert Post.objects.count() == 0


# Hiding


def _hide(client, world, post, reason="Names a colleague without consent"):
    client.force_login(world.facilitator)
    return client.post(
        reverse("contact:hide_post", args=[world.initiative.pk, post.pk]), {"reason": reason}
    )


def test_facilitator_hides_a_post_members_see_a_placeholder(client, world):
    match = pair(world)[0]
    post = post_in(world, match=match, body="About my director", attachment=notes_upload())

    response = _hide(client, world, post)

    assert response.status_code == 302
    assert AuditEntry.objects.get(action="contact.hide_post").data == {
        "reason": "Names a colleague without consent"
    }
    client.force_login(world.peer_elsewhere)
    page = _page(client, _conversation(world, match))
    assert "A facilitator has hidden this message." in page
    assert "About my director" not in page
    download = reverse("contact:attachment", args=[world.initiative.pk, post.pk])
    assert client.get(download).status_code == 404
    for reader in (world.peer, world.facilitator):
        client.force_login(reader)
        page = _page(client, _conversation(world, match))
        assert "About my director" in page
        assert "Hidden from the members by a facilitator: Names a colleague" in page
    client.force_login(world.peer)
    assert client.get(download).status_code == 200


def test_hiding_without_a_reason_says_so(client, world):
    post = post_in(world)

    response = _hide(client, world, post, reason="")

    assert "Say why the message is hidden." in response.content.decode()
    post.refresh_from_db()
    assert post.hidden_at is None


def test_a_peer_cannot_hide(client, world):
    post = post_in(world, by=world.peer_elsewhere)
    client.force_login(world.peer)

    response = client.post(
        reverse("contact:hide_post", args=[world.initiative.pk, post.pk]), {"reason": "No"}
    )

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.hidden_at is None


# Lists: the same queries for one post and many


def _busy(world, count, match=None):
    for number in range(count):
        post = post_in(world, match=match, body=f"Post {number}", attachment=notes_upload())
        for by in (world.peer_elsewhere, world.facilitator):
            post_in(world, match=match, by=by, parent=post, body=f"Reply to {number}")


@pytest.mark.parametrize("count", [1, 25])
def test_board_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    _busy(world, count)
    client.force_login(world.peer_elsewhere)

    with django_assert_max_num_queries(14):
        page = _page(client, _board(world))

    assert page.count("Reply to ") == 2 * count


@pytest.mark.parametrize("count", [1, 25])
def test_conversation_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    match = pair(world)[0]
    _busy(world, count, match=match)
    client.force_login(world.facilitator)

    with django_assert_max_num_queries(15):
        page = _page(client, _conversation(world, match))

    assert page.count("Reply to ") == 2 * count


def test_board_shows_25_threads_a_page_newest_first(client, world):
    for number in range(26):
        post_in(world, body=f"Post number {number:02d}")
    client.force_login(world.peer)

    first = client.get(_board(world))
    second = client.get(_board(world), {"page": 2})

    assert [p.body for p in first.context["page"].object_list][:2] == [
        "Post number 25",
        "Post number 24",
    ]
    assert [p.body for p in second.context["page"].object_list] == ["Post number 00"]


@pytest.mark.parametrize("count", [1, 30])
def test_exchanges_tab_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    run = pair(world)[0].run
    for number in range(2, count + 1):
        match = Match.objects.create(run=run, number=number, status=Match.Status.PUBLISHED)
        peers = [MembershipFactory(initiative=world.initiative) for _ in range(2)]
        MatchMember.objects.bulk_create(MatchMember(match=match, membership=m) for m in peers)
        post_in(world, by=peers[0].user, match=match)
    client.force_login(world.facilitator)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("contact:exchanges", args=[world.initiative.pk]))

    assert len(response.context["page"].object_list) == min(count, 25)


def test_exchanges_tab_lists_the_board_and_each_conversation(client, world):
    match = pair(world)[0]
    post_in(world, match=match)
    post_in(world, match=match, by=world.peer_elsewhere)
    post_in(world)
    client.force_login(world.facilitator)

    response = client.get(reverse("contact:exchanges", args=[world.initiative.pk]))

    conversation = response.context["page"].object_list[0]
    assert (conversation.pk, conversation.post_count) == (match.pk, 2)
    assert response.context["board"]["post_count"] == 1
    page = response.content.decode()
    assert _conversation(world, match) in page
    assert _board(world) in page


def test_exchanges_tab_shows_in_the_initiative_navigation(client, world):
    in_stage_two(world)
    client.force_login(world.facilitator)

    page = _page(client, reverse("initiatives:detail", args=[world.initiative.pk]))

    assert reverse("contact:exchanges", args=[world.initiative.pk]) in page


# Email


def _choose(world, user, choice):
    membership = world.initiative.memberships.get(user=user)
    services.choose_post_emails(membership=membership, choice=choice, by=user)
    return membership


def test_at_once_sends_one_email_per_post_to_each_reader_but_the_author(world):
    match = pair(world)[0]
    elsewhere = _choose(world, world.peer_elsewhere, PostEmails.AT_ONCE)
    _choose(world, world.peer, PostEmails.AT_ONCE)
    facilitator = _choose(world, world.facilitator, PostEmails.AT_ONCE)

    post = post_in(world, match=match, body="Our new arrears dashboard")

    emails = OutboxEmail.objects.filter(kind="exchange_post").order_by("to")
    assert sorted(email.key for email in emails) == sorted(
        [f"post:{post.pk}:{elsewhere.pk}", f"post:{post.pk}:{facilitator.pk}"]
    )
    assert "Our new arrears dashboard" in emails[0].body
    assert _conversation(world, match) in emails[0].body


def test_post_emails_skip_the_unsubscribed_and_carry_the_unsubscribe_link(world):
    match = pair(world)[0]
    elsewhere = _choose(world, world.peer_elsewhere, PostEmails.AT_ONCE)
    _choose(world, world.facilitator, PostEmails.AT_ONCE)
    world.facilitator.set_unsubscribed(timezone.now())

    post = post_in(world, match=match)

    email = OutboxEmail.objects.get(kind="exchange_post")
    assert email.key == f"post:{post.pk}:{elsewhere.pk}"
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/email/unsubscribe/" in email.headers["List-Unsubscribe"]


def test_digest_skips_the_unsubscribed(world):
    pair(world)
    _choose(world, world.facilitator, PostEmails.OFF)
    world.peer_elsewhere.set_unsubscribed(timezone.now())
    post = post_in(world, by=world.facilitator)
    Post.objects.filter(pk=post.pk).update(created_at=_morning(hour=6))

    services.send_post_digests(now=_morning())

    assert [email.to for email in OutboxEmail.objects.filter(kind="exchange_digest")] == [
        world.peer.email
    ]


def test_at_once_from_a_conversation_does_not_reach_other_matches(world):
    match = pair(world)[0]
    _other, others = _other_match(world)
    for membership in others:
        _choose(world, membership.user, PostEmails.AT_ONCE)

    post_in(world, match=match)

    assert OutboxEmail.objects.filter(kind="exchange_post").count() == 0


def test_digest_and_off_send_nothing_at_once(world):
    _choose(world, world.peer_elsewhere, PostEmails.OFF)

    post_in(world)

    assert OutboxEmail.objects.count() == 0


def _morning(days=0, hour=8):
    today = timezone.now().astimezone(datetime.UTC).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(today, datetime.time(hour), tzinfo=datetime.UTC)


def test_digest_lists_new_posts_once_a_day(world):
    pair(world)
    _choose(world, world.facilitator, PostEmails.OFF)
    post = post_in(world, body="Board news")
    Post.objects.filter(pk=post.pk).update(created_at=_morning(hour=7))

    first = services.send_post_digests(now=_morning())
    again = services.send_post_digests(now=_morning(hour=9))

    assert (first, again) == (1, 0)
    email = OutboxEmail.objects.get(kind="exchange_digest")
    assert email.to == world.peer_elsewhere.email
    assert (
        email.key == f"digest:{membership_of(world, world.peer_elsewhere).pk}:{_morning().date()}"
    )
    assert "Board news" in email.body
    assert "1 new message in" in email.subject


def test_digest_waits_for_the_morning_and_skips_quiet_days(world):
    post = post_in(world)
    Post.objects.filter(pk=post.pk).update(created_at=_morning(hour=5))

    early = services.send_post_digests(now=_morning(hour=6))
    morning = services.send_post_digests(now=_morning())
    next_day = services.send_post_digests(now=_morning(days=1))

    assert (early, morning, next_day) == (0, 2, 0)
    assert OutboxEmail.objects.filter(kind="exchange_digest").count() == 2
    assert PostDigest.objects.filter(day=_morning(days=1).date(), posts=0).count() == 3


def test_digest_leaves_out_those_who_chose_otherwise(world):
    _choose(world, world.peer_elsewhere, PostEmails.OFF)
    _choose(world, world.facilitator, PostEmails.AT_ONCE)
    post = post_in(world)
    Post.objects.filter(pk=post.pk).update(created_at=_morning(hour=7))

    sent = services.send_post_digests(now=_morning())

    assert sent == 0
    assert OutboxEmail.objects.filter(kind="exchange_digest").count() == 0


def test_email_choice_form_saves_and_goes_back(client, world):
    match = pair(world)[0]
    client.force_login(world.peer)
    page = _page(client, _conversation(world, match))
    assert reverse("contact:post_emails", args=[world.initiative.pk]) in page

    response = client.post(
        reverse("contact:post_emails", args=[world.initiative.pk]),
        {"choice": "at_once", "next": _conversation(world, match)},
    )

    assert response.url == _conversation(world, match)
    assert membership_of(world, world.peer).post_email_choice.choice == "at_once"
    assert AuditEntry.objects.filter(action="contact.post_emails", actor=world.peer).count() == 1


def test_email_choice_form_refuses_an_unknown_choice_and_an_outside_address(client, world):
    client.force_login(world.peer)
    url = reverse("contact:post_emails", args=[world.initiative.pk])

    wrong = client.post(url, {"choice": "hourly"})
    outside = client.post(url, {"choice": "off", "next": "https://evil.example/"})

    assert wrong.status_code == 200
    assert "Select a valid choice." in wrong.content.decode()
    assert outside.url == _board(world)


# Unread posts as next steps


def test_peer_is_told_of_new_posts_until_they_read_them(client, world):
    match = pair(world)[0]
    post_in(world, by=world.peer_elsewhere, match=match)
    post_in(world, by=world.peer_elsewhere, match=match)
    post_in(world, by=world.facilitator)
    post_in(world, match=match)  # their own post is not news
    membership = membership_of(world, world.peer)

    before = [step.text for step in next_steps(membership)]
    client.force_login(world.peer)
    client.get(_conversation(world, match))
    after = [step.text for step in next_steps(membership)]

    assert "2 new posts in your match conversation." in before
    assert "1 new post on the board." in before
    assert "2 new posts in your match conversation." not in after
    assert "1 new post on the board." in after


def test_home_page_links_to_the_conversation_with_news(client, world):
    match = pair(world)[0]
    post_in(world, by=world.peer_elsewhere, match=match)
    client.force_login(world.peer)

    page = _page(client, reverse("home"))

    assert "1 new post in your match conversation." in page
    assert _conversation(world, match) in page


@pytest.mark.parametrize("count", [1, 20])
def test_new_posts_step_costs_two_queries(world, django_assert_max_num_queries, count):
    match = pair(world)[0]
    extra = [MembershipFactory(initiative=world.initiative) for _ in range(count)]
    for membership in extra:
        post_in(world, by=membership.user)
    post_in(world, by=world.peer_elsewhere, match=match)
    memberships = list(
        world.initiative.memberships.filter(role=Role.PEER).select_related("initiative")
    )

    with django_assert_max_num_queries(2):
        steps = list(read_new_posts(memberships))

    mine = [step.text for membership, step in steps if membership.user == world.peer]
    assert mine == [
        "1 new post in your match conversation.",
        f"{count} new post on the board." if count == 1 else f"{count} new posts on the board.",
    ]


def test_my_match_and_my_contacts_link_to_the_conversation(client, world):
    match = pair(world)[0]
    client.force_login(world.peer)

    for name in ("matching:my_match", "contact:mine"):
        assert _conversation(world, match) in _page(
            client, reverse(name, args=[world.initiative.pk])
        )


def test_a_facilitator_who_left_the_team_gets_no_email(world):
    _choose(world, world.facilitator, PostEmails.AT_ONCE)
    TeamMembership.objects.filter(user=world.facilitator).delete()

    post = post_in(world)
    Post.objects.filter(pk=post.pk).update(created_at=_morning(hour=7))
    services.send_post_digests(now=_morning())

    assert not OutboxEmail.objects.filter(to=world.facilitator.email).exists()
    assert OutboxEmail.objects.filter(to=world.peer_elsewhere.email).count() == 1
