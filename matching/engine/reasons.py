"""Why peers were put together, in plain words; language names."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from .data import Peer
from .rules import language_code
from .similarity import service_years
from .texts import STOPWORDS, WORD, TextContext, normalise, sentences_of, split_words, term_keys

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
    """The reasons of ``reason_items`` as English sentences (files and the command line)."""
    return [in_english(item) for item in reason_items(peers, context=context)]


def reason_items(peers: Sequence[Peer], *, context: TextContext | None = None) -> list[dict]:
    """Why peers were put together: shared challenges first, then position, task, etc.

    Each reason is a kind and what the members share, in their own words, so that it can be
    said in any language when it is shown ("kind": "challenge", "what": "payroll arrears",
    "everyone": True for three or more).  A reason names only what every member wrote (a
    challenge, an area, a word of their position or task), never what one of them wrote
    alone.  ``context`` (built from all peers) lets boilerplate sentences and very common
    words be ignored; without it only the given peers are looked at.
    """
    context = context or TextContext(peers)
    items = _shared_challenges(peers, context)
    items += _shared_tags(peers)
    items += _same_or_similar(peers, "position")
    items += _same_or_similar(peers, "task")
    items += _shared_years(peers)
    items += _same_or_similar(peers, "background")
    items += _shared_languages(peers)
    everyone = len(peers) > 2
    return [{**item, "everyone": everyone} for item in items]


_ENGLISH = {
    "challenge": "{who} are dealing with {what}",
    "areas": "Shared challenge areas: {what}",
    "same position": "{who} work as {what}",
    "similar position": "Similar positions: {who_lower} mention {what}",
    "same task": "{who} work on: {what}",
    "related task": "Related tasks: {who_lower} mention {what}",
    "same years": "{who} have {what} years of service",
    "similar years": "Similar experience: {what} years of service",
    "same background": "{who} have a background in {what}",
    "languages": "{who} speak {what}",
}


def in_english(item: dict) -> str:
    """One reason as an English sentence."""
    who = "All" if item.get("everyone") else "Both"
    what = item["what"]
    if item["kind"] == "similar years":
        low, high = what
        what = f"{low} to {high}" if item.get("everyone") else f"{low} and {high}"
    elif item["kind"] == "languages":
        what = listed(sorted(language_name(code) for code in what))
    elif isinstance(what, list):
        what = listed(what) if item["kind"] != "areas" else ", ".join(what)
    return _ENGLISH[item["kind"]].format(who=who, who_lower=who.lower(), what=what)


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


_PHRASE_WORDS = 8


def _shared_challenges(peers: Sequence[Peer], context: TextContext) -> list[dict]:
    """The stretch of one member's own sentence that holds what every member wrote about.

    "Municipal payroll arrears keep growing." and "Payroll arrears in the ministry." share
    payroll and arrears, so the phrase is "payroll arrears".  When those words lie too far
    apart in every sentence, the shared words themselves are the phrase.
    """
    lists = [context.terms(p) for p in peers]
    if not lists:
        return []
    everyone = set.intersection(*(set(dict(items)) for items in lists))
    if not everyone:
        return []
    phrase = _phrase(context.clean(peers[0].challenges), everyone)
    if phrase is None:
        shown = [shown for key, shown in dict(lists[0]).items() if key in everyone]
        return [{"kind": "challenge", "what": listed(shown[:5])}]
    return [{"kind": "challenge", "what": phrase}]


def _phrase(text: str, shared: set[str]) -> str | None:
    best = None
    for sentence in sentences_of(text):
        found = list(WORD.finditer(sentence))
        hits = [i for i, match in enumerate(found) if _keys(match.group()) & shared]
        if not hits or hits[-1] - hits[0] >= _PHRASE_WORDS:
            continue
        covered = len({key for i in hits for key in _keys(found[i].group()) & shared})
        if best is None or covered > best[0]:
            span = sentence[found[hits[0]].start() : found[hits[-1]].end()]
            best = (covered, span)
    if best is None:
        return None
    span = best[1]
    return span if span[:2].isupper() else span[:1].lower() + span[1:]


def _keys(word: str) -> set[str]:
    return {key for key, _ in term_keys(normalise(word))}


def _shared_tags(peers: Sequence[Peer]) -> list[dict]:
    lists = [[(normalise(t).strip(), t.strip()) for t in sorted(p.challenge_tags)] for p in peers]
    names = _shared_by_all([[item for item in tags if item[0]] for tags in lists])
    return [{"kind": "areas", "what": names}] if names else []


def _plain(text: str) -> str:
    return " ".join(split_words(text))


def _salient_words(text: str) -> list[tuple[str, str]]:
    """(normalised, as written) for the words of `text` that say something."""
    written = WORD.findall(unicodedata.normalize("NFC", text))
    pairs = [(normalise(word), word) for word in written]
    return [(key, word) for key, word in pairs if len(key) > 3 and key not in STOPWORDS]


def _same_or_similar(peers: Sequence[Peer], name: str) -> list[dict]:
    values = [" ".join(getattr(p, name).split()) for p in peers]
    if not all(_plain(v) for v in values):
        return []
    if len({_plain(v) for v in values}) == 1:
        return [{"kind": f"same {name}", "what": values[0]}]
    words = _shared_by_all([_salient_words(v) for v in values])
    if name == "background" or not words:
        return []
    kind = "similar position" if name == "position" else "related task"
    return [{"kind": kind, "what": words}]


def _shared_years(peers: Sequence[Peer]) -> list[dict]:
    years = [service_years(p) for p in peers]
    if any(y is None for y in years):
        return []
    low, high = int(min(years)), int(max(years))
    if high - low > (3 if len(peers) == 2 else 4):
        return []
    if low == high:
        return [{"kind": "same years", "what": low}]
    return [{"kind": "similar years", "what": [low, high]}]


def _shared_languages(peers: Sequence[Peer]) -> list[dict]:
    known = [{language_code(c) for c in p.languages} - {""} for p in peers]
    if not all(known):
        return []
    common = set.intersection(*known)
    if not common:
        return []
    return [{"kind": "languages", "what": sorted(common)}]
