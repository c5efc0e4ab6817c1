"""Surveys made before texts were kept in several languages: their default questions and
title, where still as shipped in English, get every site language's version."""

from django.db import migrations


def fill_versions(apps, schema_editor):
    # The shipped defaults as they read today: rows that no longer match are left alone.
    from peerlearn.content_languages import versions_of_untouched_defaults
    from surveys.defaults import default_questions, default_title

    Question = apps.get_model("surveys", "Question")
    Survey = apps.get_model("surveys", "Survey")
    defaults = {field: (text, help_text) for text, help_text, _k, _r, field in default_questions("pre_event")}
    questions = Question.objects.filter(translations={}, survey__purpose="pre_event").exclude(
        profile_field=""
    )
    changed = []
    for question in questions.iterator():
        text, help_text = defaults.get(question.profile_field, (None, None))
        question.translations = versions_of_untouched_defaults(
            question, text=text, help_text=help_text
        )
        if question.translations:
            changed.append(question)
    Question.objects.bulk_update(changed, ["translations"], batch_size=500)
    surveys = []
    for survey in Survey.objects.filter(translations={}, purpose="pre_event").iterator():
        survey.translations = versions_of_untouched_defaults(
            survey, title=default_title("pre_event", "")
        )
        if survey.translations:
            surveys.append(survey)
    Survey.objects.bulk_update(surveys, ["translations"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_texts_in_several_languages")]

    operations = [migrations.RunPython(fill_versions, migrations.RunPython.noop)]
