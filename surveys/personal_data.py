"""What the surveys app forgets of a person erased, or of an initiative past its retention:
free-text answers go; choices and scales stay, for the figures."""

from peerlearn.anonymous import scrub_app, traces

from .models import Question, Response

TEXT_KINDS = [Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT]


def _without_free_text(responses):
    responses = list(responses.select_related("survey"))
    text_questions = {
        str(pk)
        for pk in Question.objects.filter(
            survey__in={response.survey_id for response in responses}, kind__in=TEXT_KINDS
        ).values_list("pk", flat=True)
    }
    for response in responses:
        kept = {key: value for key, value in response.answers.items() if key not in text_questions}
        if kept != response.answers:
            response.answers = kept
            response.save(update_fields=["answers"])


def forget_person(person, *, keep_files):
    _without_free_text(Response.objects.filter(membership__user=person))
    scrub_app("surveys", traces(person))


def anonymise_initiative(initiative):
    _without_free_text(Response.objects.filter(survey__initiative=initiative))
