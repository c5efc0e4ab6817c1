from django import template

from peerlearn.content_languages import in_language, lines_in_language

register = template.Library()


@register.filter
def in_my_language(row, field):
    """{{ question|in_my_language:"text" }}: the text in the active language, else the original."""
    return in_language(row, field)


@register.filter
def lines_in_my_language(row, field):
    """The shown lines of a one-per-line field, in the active language when given."""
    return [shown for _original, shown in lines_in_language(row, field)]
