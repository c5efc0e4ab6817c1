"""The audit trail: every service that changes state calls `log` in its transaction.

Apps describe their actions once with `describe`, so the history page can name them
in the reader's language without this app knowing the apps above it.
"""

from functools import wraps

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .models import AuditEntry, User

_labels = {}


def describe(**labels):
    """Register the human name of actions, e.g. describe(**{"stage.move": _("Moved stage")})."""
    _labels.update(labels)


def label(action):
    return _labels.get(action, action)


def actions():
    """Every described action with its name, for filters."""
    return sorted(((code, str(name)) for code, name in _labels.items()), key=lambda a: a[1])


def log(*, actor, action, target=None, initiative=None, target_label=None, **data):
    """Record that `actor` did `action` to `target` (a model instance) in `initiative`.

    `initiative` defaults to the target's own initiative, if it has one; `target_label`
    (what the history shows for the target) to the target's text; `data` is a small
    JSON-able payload (what changed, counts). Returns the AuditEntry.
    """
    if target_label is None:
        target_label = str(target) if target is not None else ""
    if initiative is None and target is not None:
        initiative_id = getattr(target, "initiative_id", None)
    else:
        initiative_id = getattr(initiative, "pk", initiative)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=target_label[:200],
        initiative_id=initiative_id,
        data=data,
    )


def history(initiative, *, actor=None, action=""):
    """The initiative's entries, newest first, of one actor and one action if given."""
    entries = AuditEntry.objects.of_initiative(initiative).select_related("actor")
    if actor is not None:
        entries = entries.filter(actor=actor)
    if action:
        entries = entries.filter(action=action)
    return entries


def actors(initiative):
    """The people who appear in the initiative's history, by name."""
    acted = AuditEntry.objects.of_initiative(initiative).values("actor_id")
    return User.objects.filter(pk__in=acted).order_by("name", "email")


def summary(data):
    """The payload in one short line: "changed: title, venue · present: 5"."""
    return " · ".join(f"{key.replace('_', ' ')}: {_shown(value)}" for key, value in data.items())


def _shown(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


# --- personal data: the trail of bulk access ---

describe(
    **{
        "personal_data.export": _lazy("Downloaded personal data"),
        "personal_data.view": _lazy("Viewed personal data in bulk"),
    }
)


def records_access(action="personal_data.export"):
    """View decorator: a successful response (a download, or a page of many people's data)
    is logged as `action` by the visitor, in the initiative of the URL's `pk` (if any),
    with the file name or the page's address."""

    def decorate(view):
        @wraps(view)
        def logged(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                record_access(request, response, action=action, initiative=kwargs.get("pk"))
            return response

        return logged

    return decorate


def record_access(
    request, response, *, action="personal_data.export", initiative=None, target=None
):
    """Log that the visitor received `response` holding personal data in bulk."""
    disposition = response.get("Content-Disposition", "")
    name = disposition.split("filename=")[-1].strip('"') if "filename=" in disposition else ""
    return log(
        actor=request.user,
        action=action,
        target=target,
        initiative=initiative,
        target_label=name or request.path,
        page=request.resolver_match.view_name if request.resolver_match else request.path,
    )
