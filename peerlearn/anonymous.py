"""Forgetting a person: the words that identify them, and rewriting stored text without them.

Each app's anonymiser (initiatives.road_map.anonymiser) deletes what it no longer needs
and then calls `scrub_app`, so no text, JSON or file name of its tables still names the
person: every mention becomes "a former peer".
"""

import re
from pathlib import PurePath

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

ERASED_DOMAIN = "erased.invalid"
SHORTEST_TERM = 3


def former_peer():
    """What stands for an erased person in stored text (in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("a former peer")


def is_erased(person):
    return person.email.endswith(f"@{ERASED_DOMAIN}")


def erased_address(pk):
    return f"former-peer-{pk}@{ERASED_DOMAIN}"


def traces(person):
    """The words that identify `person` in stored text: their email, its local part, their
    name and each part of it, a hyphenated one split too (longest first); none once they
    are erased."""
    if is_erased(person):
        return []
    local = person.email.split("@")[0]
    words = {person.email, local, person.name, *re.split(r"[\s\-]+", person.name)}
    return sorted(
        (word for word in words if len(word.strip()) >= SHORTEST_TERM),
        key=len,
        reverse=True,
    )


def traces_of_all(people):
    """The words that identify any of `people`, longest first."""
    words = {word for person in people for word in traces(person)}
    return sorted(words, key=len, reverse=True)


def _pattern(terms):
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


def scrub(value, terms):
    """`value` (text, or JSON of lists and dicts) with every mention of `terms` replaced."""
    if not terms:
        return value
    pattern, replacement = _pattern(terms), former_peer()
    return _scrubbed(value, pattern, replacement)


def _scrubbed(value, pattern, replacement):
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_scrubbed(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {
            _scrubbed(key, pattern, replacement): _scrubbed(item, pattern, replacement)
            for key, item in value.items()
        }
    return value


def _text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(
            field, models.CharField | models.TextField | models.JSONField | models.FileField
        )
    ]


def mentioning(queryset, terms):
    """Rows of `queryset` whose text, JSON or file name mentions any of `terms`."""
    fields = _text_fields(queryset.model)
    if not terms or not fields:
        return queryset.none()
    condition = Q()
    for field in fields:
        for term in terms:
            condition |= Q(**{f"{field.attname}__icontains": term})
    return queryset.filter(condition)


def scrub_rows(queryset, terms):
    """Rewrite the rows of `queryset` that mention `terms`; a file named after the person is
    stored again under a name without them. Returns how many rows changed."""
    changed = 0
    fields = _text_fields(queryset.model)
    for row in mentioning(queryset, terms):
        for field in fields:
            value = getattr(row, field.attname)
            if isinstance(field, models.FileField):
                _rename_file(row, field, terms)
            elif field.choices:
                continue
            else:
                new = scrub(value, terms)
                if isinstance(new, str) and getattr(field, "max_length", None):
                    new = new[: field.max_length]
                setattr(row, field.attname, new)
        row.save(update_fields=[field.name for field in fields])
        changed += 1
    return changed


def _rename_file(row, field, terms):
    stored = getattr(row, field.name)
    if not stored or not _pattern(terms).search(stored.name):
        return
    name = PurePath(scrub(stored.name, terms)).name.replace(" ", "-")
    content = ContentFile(stored.read() if stored.storage.exists(stored.name) else b"")
    old = stored.name
    stored.save(name, content, save=False)
    field.storage.delete(old)


def scrub_app(app_label, terms, *, skip=()):
    """Scrub every table of `app_label` (but the models in `skip`) of `terms`."""
    for model in apps.get_app_config(app_label).get_models():
        if model not in skip:
            scrub_rows(model._default_manager.all(), terms)


def delete_files(queryset, field_name):
    """Delete the stored files of `field_name` in `queryset` and blank the field."""
    for row in queryset.exclude(**{field_name: ""}):
        getattr(row, field_name).delete(save=False)
        setattr(row, field_name, "")
        row.save(update_fields=[field_name])
