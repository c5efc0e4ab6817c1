from django.utils.translation import gettext_lazy as _

# ISO 639-1 codes of the languages public officials in our networks work in.
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("ro", _("Romanian")),
    ("pl", _("Polish")),
    ("sr", _("Serbian")),
    ("hr", _("Croatian")),
    ("sq", _("Albanian")),
    ("ka", _("Georgian")),
    ("hy", _("Armenian")),
    ("az", _("Azerbaijani")),
    ("kk", _("Kazakh")),
    ("ky", _("Kyrgyz")),
    ("uz", _("Uzbek")),
    ("mn", _("Mongolian")),
    ("sw", _("Swahili")),
    ("am", _("Amharic")),
    ("hi", _("Hindi")),
    ("bn", _("Bengali")),
    ("id", _("Indonesian")),
    ("vi", _("Vietnamese")),
    ("th", _("Thai")),
]
LANGUAGE_NAMES = dict(LANGUAGES)


def language_names(codes):
    return [str(LANGUAGE_NAMES.get(code, code)) for code in codes]
