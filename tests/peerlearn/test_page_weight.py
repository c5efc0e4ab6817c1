"""The CSS and JavaScript every page loads stay small, and the trimmed Bootstrap keeps
every rule a template asks for (see static/vendor/README.md)."""

import gzip
import re
from pathlib import Path

from django.conf import settings

STATIC = settings.BASE_DIR / "static"
BOOTSTRAP = STATIC / "vendor" / "bootstrap-5.3.9"
EVERY_PAGE = [
    BOOTSTRAP / "bootstrap.trimmed.min.css",
    STATIC / "css" / "base.css",
    STATIC / "vendor" / "htmx-2.0.11" / "htmx.min.js",
]
# Compressed bytes: about 33 KB when this was written, from 50 KB with all of Bootstrap.
CEILING = 38_000


def class_names(css):
    return set(re.findall(r"\.(-?[A-Za-z_][\w-]*)", re.sub(r"\{[^{}]*\}", "{}", css)))


def template_class_names():
    names = set()
    folders = [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates")]
    for template in (path for folder in folders for path in Path(folder).rglob("*.html")):
        for value in re.findall(r'class="([^"]*)"', template.read_text()):
            names.update(re.sub(r"\{[%{].*?[%}]\}", " ", value).split())
    return names


def test_what_every_page_loads_stays_under_the_ceiling_once_compressed():
    compressed = sum(len(gzip.compress(path.read_bytes(), 9)) for path in EVERY_PAGE)

    assert compressed < CEILING


def test_the_trimmed_bootstrap_has_every_class_a_template_uses():
    full = class_names((BOOTSTRAP / "bootstrap.min.css").read_text())
    trimmed = class_names((BOOTSTRAP / "bootstrap.trimmed.min.css").read_text())

    missing = (template_class_names() & full) - trimmed

    assert not missing, f"run `make trim-css`: {sorted(missing)}"
