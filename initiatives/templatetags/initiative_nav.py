from django import template

from ..road_map import navigation

register = template.Library()


@register.inclusion_tag("initiatives/_initiative_nav_groups.html")
def initiative_nav(initiative, current=""):
    return {"groups": navigation(initiative, current)}
