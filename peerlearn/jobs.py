"""Background jobs, enqueued once the change that needs them is committed.

The change is saved before the job is sent to the broker, so a broker that is down
must not turn a saved change into an error page: the person would try again and do
the same thing twice. Every job enqueued here has a fallback: the outbox sweep on
the beat schedule sends what no job sent, and a match run that could not be handed
to a worker is marked failed, so the facilitator starts another.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, RedisError, OSError)


def enqueue_on_commit(task, *, if_unreachable=None, **kwargs):
    """Send `task(**kwargs)` to the workers after the current transaction commits.

    If the broker cannot take it, log a warning and call `if_unreachable()`, if given;
    never raise. One attempt only (see CELERY_BROKER_TRANSPORT_OPTIONS), so a request
    is not held up while the broker is down.
    """
    transaction.on_commit(lambda: enqueue(task, if_unreachable=if_unreachable, **kwargs))


def enqueue(task, *, if_unreachable=None, **kwargs):
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except BROKER_ERRORS:
        logger.warning("Could not enqueue %s%s; carrying on", task.name, kwargs, exc_info=True)
        if if_unreachable is not None:
            if_unreachable()
