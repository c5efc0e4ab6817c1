"""Reasons of a match said in the reader's language.

A run stores each reason as a kind and what the members share in their own words (see
``engine.reason_items``); the sentence around it is translated when the reason is shown.
Runs made before kept finished English sentences, shown as they are.
"""

from django.utils.translation import get_language_info, gettext, ngettext

from matching import engine

_SENTENCES = {
    "challenge": (
        lambda: gettext("Both are dealing with %(what)s"),
        lambda: gettext("All are dealing with %(what)s"),
    ),
    "same position": (
        lambda: gettext("Both work as %(what)s"),
        lambda: gettext("All work as %(what)s"),
    ),
    "similar position": (
        lambda: gettext("Similar positions: both mention %(what)s"),
        lambda: gettext("Similar positions: all mention %(what)s"),
    ),
    "same task": (
        lambda: gettext("Both work on: %(what)s"),
        lambda: gettext("All work on: %(what)s"),
    ),
    "related task": (
        lambda: gettext("Related tasks: both mention %(what)s"),
        lambda: gettext("Related tasks: all mention %(what)s"),
    ),
    "same background": (
        lambda: gettext("Both have a background in %(what)s"),
        lambda: gettext("All have a background in %(what)s"),
    ),
    "languages": (
        lambda: gettext("Both speak %(what)s"),
        lambda: gettext("All speak %(what)s"),
    ),
}


def reason_sentence(reason) -> str:
    """One stored reason as a sentence in the active language."""
    if isinstance(reason, str):
        return reason
    kind, what, everyone = reason.get("kind"), reason.get("what"), bool(reason.get("everyone"))
    if kind == "areas":
        return gettext("Shared challenge areas: %(what)s") % {"what": ", ".join(what)}
    if kind == "same years":
        if everyone:
            text = ngettext(
                "All have %(count)d year of service", "All have %(count)d years of service", what
            )
        else:
            text = ngettext(
                "Both have %(count)d year of service", "Both have %(count)d years of service", what
            )
        return text % {"count": what}
    if kind == "similar years":
        low, high = what
        if everyone:
            return gettext("Similar experience: %(low)d to %(high)d years of service") % {
                "low": low,
                "high": high,
            }
        return gettext("Similar experience: %(low)d and %(high)d years of service") % {
            "low": low,
            "high": high,
        }
    if kind == "languages":
        what = sorted(_language(code) for code in what)
    if kind not in _SENTENCES:
        return engine.in_english(reason)
    if isinstance(what, list):
        what = listed(what)
    return _SENTENCES[kind][everyone]() % {"what": what}


def listed(items) -> str:
    """Items joined as "a, b and c" in the active language."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _language(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return engine.language_name(code)
