"""The peer profile fields, declared once (plain Python, no Django).

The pre-event survey fills them, the peer list imports them, matching stores them
in PeerProfile and hands the matched ones to the engine, and the match file reads
them. Each of those derives its list from PROFILE_FIELDS below.
"""

from dataclasses import dataclass

# What a field holds; the columns, form fields and engine values follow from it.
TEXT = "text"  # free text of any length
LINE = "line"  # one line, at most max_length characters
NUMBER = "number"  # a whole number, or nothing
CODES = "codes"  # a list of codes (reform areas, languages)


def gettext_noop(message):
    """Marks a label for translation where it is shown (makemessages finds the name)."""
    return message


@dataclass(frozen=True)
class ProfileField:
    name: str
    kind: str
    label: str
    max_length: int | None = None  # for LINE
    max_value: int | None = None  # for NUMBER
    # The question type a survey question must have to fill it ("" accepts any text).
    question_kind: str = ""
    imported: bool = True  # a column of the peer list
    matched: bool = False  # read by the matching engine


PROFILE_FIELDS = (
    ProfileField("challenges", TEXT, gettext_noop("Challenges and problems"), matched=True),
    ProfileField(
        "challenge_tags",
        CODES,
        gettext_noop("Challenge areas"),
        question_kind="reform_areas",
        matched=True,
    ),
    ProfileField("position", LINE, gettext_noop("Position"), max_length=200, matched=True),
    ProfileField(
        "task", LINE, gettext_noop("Task or policy initiative"), max_length=300, matched=True
    ),
    ProfileField(
        "years_of_service",
        NUMBER,
        gettext_noop("Years of service"),
        question_kind="short_text",
        max_value=70,
        matched=True,
    ),
    ProfileField(
        "background", LINE, gettext_noop("Professional background"), max_length=300, matched=True
    ),
    ProfileField(
        "languages", CODES, gettext_noop("Languages"), question_kind="languages", matched=True
    ),
    ProfileField("can_offer", TEXT, gettext_noop("What they can offer")),
    ProfileField("wants_to_learn", TEXT, gettext_noop("What they want to learn")),
    ProfileField(
        "availability", LINE, gettext_noop("Availability"), max_length=300, imported=False
    ),
    ProfileField("time_zone", LINE, gettext_noop("Time zone"), max_length=64, imported=False),
)

BY_NAME = {field.name: field for field in PROFILE_FIELDS}
# The profile columns a peer list may fill, and the names the engine's Peer takes.
IMPORTED = tuple(field.name for field in PROFILE_FIELDS if field.imported)
MATCHED = tuple(field.name for field in PROFILE_FIELDS if field.matched)


def empty_value(field):
    """What the profile holds when the field is not answered."""
    if field.kind == CODES:
        return []
    return None if field.kind == NUMBER else ""


def engine_values(values):
    """The matched fields of `values` (a mapping by field name) as the engine's Peer takes
    them: text as text, lists as frozensets, the number as is."""
    converted = {}
    for name in MATCHED:
        field, value = BY_NAME[name], values.get(name)
        if field.kind == CODES:
            converted[name] = frozenset(value or ())
        elif field.kind == NUMBER:
            converted[name] = value
        else:
            converted[name] = value or ""
    return converted
