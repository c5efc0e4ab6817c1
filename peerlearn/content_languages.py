"""Texts kept in rows (survey questions, risks, commitments) in several languages.

A row keeps its original text in its own fields and the same texts in other languages in
a JSON column `translations`, {"fr": {"text": "…"}}. A reader gets the version in their
language when there is one, else the original; exports keep the original. Default content
is stored with every site language's rendering of its translatable message, so a
Russian peer reads the default questions in Russian without another query.
"""

from crispy_forms.layout import HTML, Layout
from django import forms
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


def translations_field():
    return models.JSONField(_("texts in other languages"), default=dict, blank=True)


def site_languages():
    return [code for code, _name in settings.LANGUAGES]


def current_language():
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def every_language(**messages):
    """{language: {field: text}}: each translatable message rendered in every site language."""
    rendered = {}
    for language in site_languages():
        with translation.override(language):
            rendered[language] = {field: str(text) for field, text in messages.items() if text}
    return rendered


def in_language(row, field, language=None):
    """The row's `field` in `language` (the active one by default), else the original."""
    version = (row.translations or {}).get(language or current_language(), {}).get(field)
    return version or getattr(row, field)


def lines_in_language(row, field, language=None):
    """The lines of a one-per-line field in the reader's language, with the original lines
    they stand for: [(original, shown)]. A version with another number of lines is ignored."""
    original = [line.strip() for line in getattr(row, field).splitlines() if line.strip()]
    shown = [
        line.strip() for line in in_language(row, field, language).splitlines() if line.strip()
    ]
    if len(shown) != len(original):
        shown = original
    return list(zip(original, shown, strict=True))


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def version_name(field, language):
    return f"{field}__{language}"


class OtherLanguagesMixin:
    """A model form that also takes its texts in the site's other languages.

    Set `translated_fields`; call `add_other_languages()` at the end of __init__ (after
    setting `self.helper`); read `translations()` when saving. The versions sit in an
    "Other languages" block under the form's own fields. When an original text changes
    and a language's version of it does not, that version is dropped: it translated the
    old text.
    """

    translated_fields = ()

    def add_other_languages(self):
        names = dict(settings.LANGUAGES)
        self.other_languages = [code for code in site_languages() if code != current_language()]
        stored = self.instance.translations or {}
        own_fields = list(self.fields)
        for field in self.translated_fields:
            for language in self.other_languages:
                self.fields[version_name(field, language)] = self._version_field(
                    field, names[language], stored.get(language, {}).get(field, "")
                )
        summary = format_html(
            '<details class="mb-3"><summary>{}</summary><p class="form-text">{}</p>',
            _("Other languages"),
            _("People reading one of these languages see its words; the others see the original."),
        )
        versions = [name for name in self.fields if name not in own_fields]
        self.helper.layout = Layout(*own_fields, HTML(summary), *versions, HTML("</details>"))

    def _version_field(self, field, language_name, initial):
        original = self.fields[field]
        return forms.CharField(
            label=format_html("{} ({})", original.label, language_name),
            required=False,
            initial=initial,
            max_length=getattr(original, "max_length", None),
            widget=type(original.widget)(attrs=dict(original.widget.attrs)),
        )

    def save(self, commit=True):
        self.instance.translations = self.translations()
        return super().save(commit)

    def fields_to_save(self):
        """A model form's columns as services take them, the versions included."""
        return {name: self.cleaned_data[name] for name in self._meta.fields} | {
            "translations": self.translations()
        }

    def translations(self):
        """The row's versions as they should be saved."""
        stored = self.instance.translations or {}
        kept = {
            language: dict(texts)
            for language, texts in stored.items()
            if language not in self.other_languages
        }
        for language in kept:
            for field in self.translated_fields:
                if field in self.changed_data:
                    kept[language].pop(field, None)
        for language in self.other_languages:
            texts = dict(stored.get(language, {}))
            for field in self.translated_fields:
                name = version_name(field, language)
                value = self.cleaned_data.get(name, "").strip()
                if field in self.changed_data and name not in self.changed_data:
                    value = ""
                if value:
                    texts[field] = value
                else:
                    texts.pop(field, None)
            kept[language] = texts
        return {language: texts for language, texts in kept.items() if texts}


def versions_of_untouched_defaults(row, **messages):
    """For rows made before texts were kept in every language: the versions of the fields
    that still read exactly as the shipped default message does in English."""
    with translation.override("en"):
        untouched = {
            field: message
            for field, message in messages.items()
            if message and getattr(row, field) == str(message)
        }
    return every_language(**untouched) if untouched else {}
