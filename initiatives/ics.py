"""One event as an iCalendar file (RFC 5545), written by hand: it is a few lines of text."""

from datetime import UTC

from django.conf import settings
from django.utils import timezone

from peerlearn.outbox import absolute_url

LINE_LIMIT = 75  # octets, before folding


def escape(text):
    """Escape a TEXT value: backslash, semicolon, comma and line breaks."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line):
    """Split a content line into chunks of at most 75 octets, never inside a character."""
    chunks, current, size = [], "", 0
    for character in line:
        width = len(character.encode())
        limit = LINE_LIMIT if not chunks else LINE_LIMIT - 1
        if size + width > limit:
            chunks.append(current)
            current, size = "", 0
        current += character
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def utc_stamp(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def host():
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "peerlearn"


def event_description(event):
    parts = [event.description.strip()] if event.description.strip() else []
    for item in event.agenda_items.all():
        line = f"{item.starts_at:%H:%M} {item.title}"
        if item.facilitated_by:
            line += f" ({item.facilitated_by})"
        parts.append(line)
    if event.online_link:
        parts.append(event.online_link)
    return "\n".join(parts)


def event_calendar(event):
    """The text of a one-event calendar, with CRLF line ends."""
    location = ", ".join(part for part in (event.venue, event.online_link) if part)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//PeerLearn//Peer learning events//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{host()}",
        f"DTSTAMP:{utc_stamp(timezone.now())}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape(event.title)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    description = event_description(event)
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    lines.append(f"URL:{absolute_url(event.get_absolute_url())}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
