"""Migrating a test database to an old schema and forward again, for the data-moving tests."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets, *, latest=()):
    """Migrate to `targets`, the `latest` apps staying at their latest schema; returns
    the apps as they were then, for building old rows."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets + [node for node in executor.loader.graph.leaf_nodes() if node[0] in latest]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
