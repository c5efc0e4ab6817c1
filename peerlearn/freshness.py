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


def kept(keys, name, seconds, compute):
    """compute() as computed at most `seconds` ago (0: afresh each time) and since the
    last change of any stamp in `keys`; `name` holds all else the result depends on."""
    if not seconds:
        return compute()
    key = f"kept:{name}:{stamp(keys)}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found
