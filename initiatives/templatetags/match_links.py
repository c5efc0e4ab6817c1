from django import template

from ..road_map import match_links as links_of

register = template.Library()


@register.simple_tag
def match_links(initiative, match):
    """`{% match_links initiative match as links %}`: the links other apps add to a match."""
    return links_of(initiative.pk, match.pk)
