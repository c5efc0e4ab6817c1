"""The one way a post's text becomes HTML."""

import re

import nh3
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# A link runs to the next space or angle bracket or quote; closing punctuation is
# more likely the sentence's than the address's.
LINK = re.compile(r"""\b(?:https?://|mailto:)[^\s<>"']+""", re.IGNORECASE)
TRAILING = ".,;:!?)]}"
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
REL = "nofollow noopener noreferrer ugc"


def _linked(text):
    """`text` escaped, with its web and mail addresses made into links."""
    pieces, start = [], 0
    for found in LINK.finditer(text):
        address = found.group().rstrip(TRAILING)
        end = found.start() + len(address)
        pieces.append(escape(text[start : found.start()]))
        pieces.append(f'<a href="{escape(address)}">{escape(address)}</a>')
        start = end
    pieces.append(escape(text[start:]))
    return "".join(pieces)


def plain_text_html(text):
    """Plain text as paragraphs and links, and nothing else.

    Everything typed is escaped (so no tag survives), addresses become links, and nh3
    then keeps only p, br and a[href] with http, https or mailto, adding REL to links.
    """
    text = text.replace("\r\n", "\n").strip()
    paragraphs = [part for part in PARAGRAPH_BREAK.split(text) if part.strip()]
    html = "".join(
        "<p>" + _linked(paragraph).replace("\n", "<br>") + "</p>" for paragraph in paragraphs
    )
    return nh3.clean(
        html,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=REL,
    )


@register.filter
def plain_text(text):
    return mark_safe(plain_text_html(text or ""))  # noqa: S308 (sanitised just above)
