from django import template

register = template.Library()


@register.simple_tag
def survey_url(survey, view, **kwargs):
    """{% survey_url survey "edit_question" question_pk=question.pk %}: see Survey.url."""
    return survey.url(view, **kwargs)
