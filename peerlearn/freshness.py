"""Stamps that let a page keep what it computed for a moment (ROAD_MAP_CACHE_SECONDS)
and still show a change at once: whatever was kept under an old stamp is not read again.

A person's stamp changes with every form they send; an initiative's with every form sent
on its pages; the privacy notices' with every material new version.
"""

import hashlib
import time

from django.core.cache import cache


def person(pk):
    return f"person-changed:{pk}"


def initiative(pk):
    return f"road-map-version:{pk}"


NOTICES = "privacy-notices-changed"


def changed(key):
    cache.set(key, time.time_ns(), None)


def stamp(keys):
    """A short string that changes whenever one of `keys` is `changed`."""
    versions = cache.get_many(keys)
    joined = ",".join(f"{key}={versions.get(key, 0)}" for key in keys)
    return hashlib.sha256(joined.encode()).hexdigest()[:32]
