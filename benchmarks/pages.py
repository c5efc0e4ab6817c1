"""What page benchmarks share: a throw-away database and a timed, counted request."""

import statistics
import time

from django.conf import settings
from django.db import connection
from django.test.utils import (
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)


def measure(client, url, repeat):
    """Bytes, median seconds and queries of `repeat` requests, after one warm-up."""
    client.get(url)  # template loading, connection
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return len(response.content), statistics.median(times), len(queries)


def in_throwaway_database(benchmark, *args):
    """Run `benchmark(*args)` in a new `bench_…` database, as in production but without
    collectstatic, and drop the database afterwards."""
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static})
    storages.enable()
    settings.DEBUG = False
    setup_test_environment()
    test_settings = connection.settings_dict.setdefault("TEST", {})
    test_settings["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        benchmark(*args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        storages.disable()
