"""`manage.py demo_server`: the development server, with the schedules run in it.

`make run` has no task runner: tasks run inline (Q_SYNC=1). A thread of the
serving process does what the cluster's sentinel does every 30 seconds: it
hands the due schedules to django-q2, which runs each task at once because
tasks are synchronous. So star notices close, redemptions expire and
unclaimed orders expire in the demo as they do in production. Without
Q_SYNC the tasks are queued for `run_tasks`, as the sentinel would queue them.
"""

import threading
import time

from django.core.management.commands.runserver import Command as RunserverCommand
from django.db import connection
from django_q.conf import logger
from django_q.scheduler import scheduler

EVERY = 30  # seconds, as django-q2's sentinel


def run_due_schedules():
    """Start every schedule that is due: one round of django-q2's own scheduler."""
    scheduler()


def run_schedules_forever():
    while True:
        try:
            run_due_schedules()
        except Exception:
            logger.exception("Running the due schedules failed; trying again later")
        finally:
            connection.close()  # this thread's own; the next round opens a fresh one
        time.sleep(EVERY)


class Command(RunserverCommand):
    help = "Serve the site for development and run the due schedules in the same process."

    def inner_run(self, *args, **options):
        # inner_run runs in the serving process (the reloader's child, if any),
        # so that the thread starts once per server and stops with it.
        threading.Thread(target=run_schedules_forever, name="schedules", daemon=True).start()
        super().inner_run(*args, **options)
