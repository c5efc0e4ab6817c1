"""Background jobs, enqueued once the change that needs them is committed.

The change is saved before the job is sent to the broker, so a broker that is down
must not turn a saved change into an error page: the person would try again and do
the same thing twice. Every job enqueued here has a fallback: the outbox sweep on
the beat schedule sends what no job sent, and a match run that could not be handed
to a worker is marked failed, so the facilitator starts another.
"""

import logging
import time

from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, RedisError, OSError)


def enqueue_on_commit(task, *, if_unreachable=None, **kwargs):
    """Send `task(**kwargs)` to the workers after the current transaction commits.

    If the broker cannot take it, log a warning and call `if_unreachable()`, if given;
    never raise. One attempt, with short timeouts (REDIS_BROKER_OPTIONS in settings),
    so a request is not held up while the broker is down.
    """
    transaction.on_commit(lambda: enqueue(task, if_unreachable=if_unreachable, **kwargs))


def enqueue(task, *, if_unreachable=None, **kwargs):
    if not _publish(task, kwargs) and if_unreachable is not None:
        if_unreachable()


# After a failure the broker is left alone this long (the sweep catches up), so a page
# that queues many emails waits on a broker that does not answer once, not per email.
RETRY_AFTER = 10.0
_broker_down_until = 0.0


def _publish(task, kwargs):
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        logger.warning("Broker down: %s%s not enqueued; carrying on", task.name, kwargs)
        return False
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except BROKER_ERRORS:
        _broker_down_until = time.monotonic() + RETRY_AFTER
        logger.warning("Could not enqueue %s%s; carrying on", task.name, kwargs, exc_info=True)
        return False
    return True
