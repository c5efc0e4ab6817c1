"""Why peers were put together, in plain words; language names."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from .data import Peer
from .rules import language_code
from .similarity import service_years
from .texts import STOPWORDS, WORD, TextContext, normalise, split_words

_LANGUAGE_NAMES = {
    "ar": "Arabic", "az": "Azerbaijani", "bg": "Bulgarian", "bs": "Bosnian", "cs": "Czech",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
    "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "ko": "Korean",
    "ky": "Kyrgyz", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "mn": "Mongolian",
    "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "tg": "Tajik", "th": "Thai", "tk": "Turkmen",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese",
    "zh": "Chinese",
}  # fmt: skip


def language_name(code: str) -> str:
    """English name of an ISO 639-1 language code ("fr" -> "French"); unknown codes as given."""
    return _LANGUAGE_NAMES.get(language_code(code), code.strip())


def explain(a: Peer, b: Peer, *, context: TextContext | None = None) -> list[str]:
    """Plain-words reasons why two peers could learn from each other."""
    return describe_group([a, b], context=context)


def describe_group(peers: Sequence[Peer], *, context: TextContext | None = None) -> list[str]:
    """Plain-words reasons for a group: shared challenges first, then position, task, etc.

    A reason names only what every member wrote (a challenge, an area, a word of their
    position or task), never what one of them wrote alone.  ``context`` (built from all
    peers) lets boilerplate sentences and very common words be ignored; without it only
    the given peers are looked at.
    """
    context = context or TextContext(peers)
    reasons = _shared_challenges(peers, context)
    reasons += _shared_tags(peers)
    reasons += _same_or_similar(peers, "position", "work as ", "Similar positions: ")
    reasons += _same_or_similar(peers, "task", "work on: ", "Related tasks: ")
    reasons += _shared_years(peers)
    reasons += _same_or_similar(peers, "background", "have a background in ", "")
    reasons += _shared_languages(peers)
    return reasons


def _who(size: int) -> str:
    return "Both" if size == 2 else "All"


def listed(items: Sequence[str]) -> str:
    """The items joined as "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _shared_by_all(lists: Sequence[Sequence[tuple[str, str]]]) -> list[str]:
    """What every list holds, keyed by the first item of each pair, shown as the first
    list shows it, in its order."""
    if not lists:
        return []
    everyone = set.intersection(*(set(dict(items)) for items in lists))
    return [shown for key, shown in dict(lists[0]).items() if key in everyone]


def _shared_challenges(peers: Sequence[Peer], context: TextContext) -> list[str]:
    terms = _shared_by_all([context.terms(p) for p in peers])
    if not terms:
        return []
    return [f"{_who(len(peers))} are dealing with: {', '.join(terms[:5])}"]


def _shared_tags(peers: Sequence[Peer]) -> list[str]:
    lists = [[(normalise(t).strip(), t.strip()) for t in sorted(p.challenge_tags)] for p in peers]
    names = _shared_by_all([[item for item in tags if item[0]] for tags in lists])
    return [f"Shared challenge areas: {', '.join(names)}"] if names else []


def _plain(text: str) -> str:
    return " ".join(split_words(text))


def _salient_words(text: str) -> list[tuple[str, str]]:
    """(normalised, as written) for the words of `text` that say something."""
    written = WORD.findall(unicodedata.normalize("NFC", text))
    pairs = [(normalise(word), word) for word in written]
    return [(key, word) for key, word in pairs if len(key) > 3 and key not in STOPWORDS]


def _same_or_similar(peers: Sequence[Peer], name: str, same: str, similar: str) -> list[str]:
    values = [" ".join(getattr(p, name).split()) for p in peers]
    if not all(_plain(v) for v in values):
        return []
    if len({_plain(v) for v in values}) == 1:
        return [f"{_who(len(peers))} {same}{values[0]}"]
    words = _shared_by_all([_salient_words(v) for v in values])
    if not similar or not words:
        return []
    return [f"{similar}{_who(len(peers)).lower()} mention {listed(words)}"]


def _shared_years(peers: Sequence[Peer]) -> list[str]:
    years = [service_years(p) for p in peers]
    if any(y is None for y in years):
        return []
    low, high = int(min(years)), int(max(years))
    if high - low > (3 if len(peers) == 2 else 4):
        return []
    if low == high:
        return [f"{_who(len(peers))} have {low} years of service"]
    joiner = " and " if len(peers) == 2 else " to "
    return [f"Similar experience: {low}{joiner}{high} years of service"]


def _shared_languages(peers: Sequence[Peer]) -> list[str]:
    known = [{language_code(c) for c in p.languages} - {""} for p in peers]
    if not all(known):
        return []
    common = set.intersection(*known)
    if not common:
        return []
    names = sorted(language_name(c) for c in common)
    return [f"{_who(len(peers))} speak {listed(names)}"]
