"""No English interface text on a page or in an email of another language.

One world is filled with one of everything (as test_user_text_stays_text does) and every
text people write is overwritten with a payload, so what is left on a page is interface
text. Each page of the permission matrix is opened, in each language, by the first role
allowed to see it; each email template is rendered in each language. A text that is an
English msgid of the compiled catalogue (locale/<l>/LC_MESSAGES/django.mo, which `make
messages` compiles) is shown untranslated; a text with two English-only words ("the",
"your"...) is an English sentence, hard-coded or not translated yet.
"""

import datetime
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context
from django.template.base import Lexer, TokenType
from django.template.loader import get_template
from django.utils import translation

from peerlearn.models import User

from .permissions import visitor
from .test_user_text_stays_text import fill, pages, poison

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
EMAILS = sorted(Path(settings.BASE_DIR, "templates", "emails").glob("*.txt"))
# Shown as they are in every language, with why.
ALLOWED = {
    "PeerLearn",  # the brand
    *(name for _code, name in settings.LANGUAGES),  # the switcher names each language in itself
    "English",  # the language switcher's own name for English
    "CSV",  # file formats
    "XLSX",
    "PDF",
    "ICS",
    "OK",
}
# Markers of text people wrote: the payload (see test_user_text_stays_text.poison) and
# what the email renders put in place of every value.
USER_TEXT = (
    "evil.example",
    "<meta",
    "What surprised you?",  # a question the evaluation factory adds, quoted in the audit log
    # Match reasons: the plain-Python engine writes them in English; giving them in each
    # language is the "content in every language" part of issue 15, done apart.
    "are dealing with:",
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
WORD = re.compile(r"[^\W\d_]{3,}")
# Words of English sentences that French, Spanish, Portuguese and Russian never use: two
# of them in one text make it an English sentence.
ENGLISH_ONLY = {
    *("the", "you", "your", "and", "with", "this", "that", "are", "for", "have", "will"),
    *("can", "not", "from", "who", "its", "was", "been", "there", "their", "what", "which"),
    *("when", "here", "please", "our", "they", "yet", "into", "been", "would", "should"),
}


class Catalogue:
    """The project's English msgids that one language translates, from its compiled .mo."""

    def __init__(self, language):
        path = Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", "django.mo")
        with path.open("rb") as compiled:
            catalog = gettext.GNUTranslations(compiled)._catalog
        self.pairs = {
            (key if isinstance(key, str) else key[0]).split("\x04")[-1]: value
            for key, value in catalog.items()
            if key
        }
        translations = set(self.pairs.values())
        # An msgid whose translation is spelt the same ("Description" in French) proves
        # nothing; neither does one that is some other msgid's translation.
        self.english = {
            msgid
            for msgid, msgstr in self.pairs.items()
            if msgstr and msgstr != msgid and msgid not in translations
        }
        self.patterns = [
            re.compile("^" + ".+".join(map(re.escape, PLACEHOLDER.split(msgid))) + "$", re.S)
            for msgid in self.english
            if PLACEHOLDER.search(msgid) and len(WORD.findall(PLACEHOLDER.sub("", msgid))) >= 2
        ]

    def english_in(self, body):
        """English msgids whose every sentence-long piece is in `body` (an email)."""
        for msgid in self.english:
            pieces = [piece.strip() for piece in PLACEHOLDER.split(msgid)]
            pieces = [piece for piece in pieces if len(WORD.findall(piece)) >= 3]
            if pieces and all(piece in body for piece in pieces):
                yield msgid

    def untranslated(self, text):
        """Why `text` is English interface text, or None."""
        if text in ALLOWED or any(marker in text for marker in USER_TEXT):
            return None
        if text in self.english:
            return "msgid shown untranslated"
        if any(pattern.match(text) for pattern in self.patterns):
            return "msgid with values shown untranslated"
        if len(ENGLISH_ONLY.intersection(WORD.findall(text.lower()))) >= 2:
            return "English sentence, not from the catalogue"
        return None


class VisibleText(HTMLParser):
    """The text a reader sees or hears in a page's body: text nodes and the attributes
    that assistive technology reads out."""

    SPOKEN = ("aria-label", "placeholder", "title", "alt")
    # A textarea holds a stored text for editing (such as a contract written before anyone
    # chose a language): content, not interface.
    HIDDEN = ("script", "style", "template", "textarea")

    def __init__(self):
        super().__init__()
        self.in_body, self.hidden, self.texts = False, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in self.HIDDEN:
            self.hidden += 1
        if self.in_body:
            self.texts.extend(value for name, value in attrs if name in self.SPOKEN and value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if self.in_body and not self.hidden:
            self.texts.append(data)


def visible_texts(html):
    parser = VisibleText()
    parser.feed(html)
    return {" ".join(text.split()) for text in parser.texts} - {""}


def filled_in(world, language):
    """The world filled while everyone reads `language` (what is stored when it happens,
    such as a report or an import's row errors, is written in it), then poisoned."""
    User.objects.update(language=language)
    with translation.override(language):
        kwargs = fill(world)
    User.objects.update(language=language)
    poison()
    return kwargs


def page_findings(client, world, kwargs, language, catalogue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    findings = set()
    for url, roles in pages(kwargs):
        client.logout()
        if roles[0] != "anonymous":
            client.force_login(visitor(world, roles[0]))
        response = client.get(url)
        assert response.status_code == 200, (url, roles[0])
        if not response["Content-Type"].startswith("text/html"):
            continue
        for text in visible_texts(response.content.decode()):
            if why := catalogue.untranslated(text):
                findings.add((url_name(url), text, why))
    return findings


def url_name(url):
    return re.sub(r"/\d+/", "/<n>/", url)


class Value:
    """Any value an email template asks for: shown as VALUE, true, a count of 2, and every
    attribute of it another Value (dates and links come out as VALUE or empty)."""

    def __str__(self):
        return "VALUE"

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return value_named(name)

    def __int__(self):
        return 2

    def __iter__(self):
        return iter([Value()])


def value_named(name):
    """A date or a number for names that hold one, else a Value."""
    if name in ("count", "more"):
        return 2
    if name.endswith(("_at", "_on")) or name in ("since", "confirm_by"):
        return datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC)
    return Value()


class AnyContext(Context):
    """A template context in which every missing name is a Value."""

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            return value_named(key)


def email_findings(language, catalogue):
    findings = set()
    for path in EMAILS:
        with translation.override(language):
            rendered = get_template(f"emails/{path.name}").template.render(AnyContext())
        for msgid in catalogue.english_in(rendered):
            findings.add((path.name, msgid, "msgid shown untranslated"))
        for line in rendered.splitlines():
            for piece in line.split("VALUE"):
                text = " ".join(piece.split())
                if text and (why := catalogue.untranslated(text)):
                    findings.add((path.name, text, why))
    return findings


def hard_coded_lines(path):
    """Text of an email template written outside {% translate %} and {% blocktranslate %}."""
    lines, inside = [], False
    for token in Lexer(path.read_text()).tokenize():
        if token.token_type == TokenType.BLOCK:
            word = token.contents.split()[0]
            inside = word == "blocktranslate" or (inside and word != "endblocktranslate")
        elif token.token_type == TokenType.TEXT and not inside and WORD.search(token.contents):
            lines.append(token.contents.strip())
    return lines


def test_every_email_template_keeps_its_text_in_translate_tags():
    hard_coded = {path.name: hard_coded_lines(path) for path in EMAILS}

    assert {name: lines for name, lines in hard_coded.items() if lines} == {}


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_english_interface_text_on_any_page(client, world, language):
    kwargs = filled_in(world, language)

    findings = page_findings(client, world, kwargs, language, Catalogue(language))

    assert not findings, "\n".join(map(str, sorted(findings)))


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_english_interface_text_in_any_email(language):
    findings = email_findings(language, Catalogue(language))

    assert not findings, "\n".join(map(str, sorted(findings)))


def test_the_check_finds_english_on_a_french_page(tmp_path):
    """The check itself: an English msgid and a hard-coded English sentence are caught."""
    catalogue = Catalogue("fr")
    template = tmp_path / "example_body.txt"
    template.write_text(
        "{% load i18n %}Dear {{ person }},\n{% blocktranslate %}Hello{% endblocktranslate %}\n"
        '{% translate "Open the survey:" %}\n'
    )

    assert hard_coded_lines(template) == ["Dear"]

    assert catalogue.untranslated("Save draft") == "msgid shown untranslated"
    assert catalogue.untranslated("Please save your draft") is not None
    assert catalogue.untranslated(translation_of("fr", "Save draft")) is None
    assert catalogue.untranslated("PeerLearn") is None


def translation_of(language, text):
    with translation.override(language):
        return translation.gettext(text)
