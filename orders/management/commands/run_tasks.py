"""`manage.py run_tasks`: django-q2's cluster, started afresh when a worker is killed.

Every worker reads from one shared queue and holds its lock while it waits
for the next task. A worker killed by a signal (SIGKILL, the OOM killer)
keeps that lock for ever, and the worker django-q2 starts in its place waits
on it with all the others: the cluster looks alive and runs nothing (django-q2
issue #23; the monitor reads the result queue the same way). So the sentinel
here ends the whole cluster on such a death and the command starts a new
one. Tasks the old cluster had taken run again when their `retry` lock ends;
every task is safe to run twice.
"""

import sys

from django.core.management.base import BaseCommand
from django_q import cluster
from django_q.conf import logger

RESTART = 75  # the sentinel's exit code for "start a new cluster"


class Sentinel(cluster.Sentinel):
    def reincarnate(self, process):
        if process in [*self.pool, self.monitor] and (process.exitcode or 0) < 0:
            logger.critical(
                "%s died of signal %s; starting a new cluster", process.name, -process.exitcode
            )
            for other in [*self.pool, self.monitor, self.pusher]:
                other.kill()
            sys.exit(RESTART)
        super().reincarnate(process)


class Command(BaseCommand):
    help = "Run the background tasks (django-q2), with a new cluster whenever a worker is killed."

    def handle(self, *args, **options):
        cluster.Sentinel = Sentinel  # the class Cluster.start() runs in its own process
        while True:
            tasks = cluster.Cluster()
            tasks.start()
            tasks.sentinel.join()
            if tasks.sentinel.exitcode != RESTART:
                return
