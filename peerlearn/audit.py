"""The audit trail: every service that changes state calls `log` in its transaction.

Apps describe their actions once with `describe`, so the history page can name them
in the reader's language without this app knowing the apps above it.
"""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry

_labels = {}


def describe(**labels):
    """Register the human name of actions, e.g. describe(**{"stage.move": _("Moved stage")})."""
    _labels.update(labels)


def label(action):
    return _labels.get(action, action)


def actions():
    """Every described action with its name, for filters."""
    return sorted(((code, str(name)) for code, name in _labels.items()), key=lambda a: a[1])


def log(*, actor, action, target=None, initiative=None, **data):
    """Record that `actor` did `action` to `target` (a model instance) in `initiative`.

    `initiative` defaults to the target's own initiative, if it has one; `data` is a
    small JSON-able payload (what changed, counts). Returns the AuditEntry.
    """
    if initiative is None and target is not None:
        initiative_id = getattr(target, "initiative_id", None)
    else:
        initiative_id = getattr(initiative, "pk", initiative)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        initiative_id=initiative_id,
        data=data,
    )
