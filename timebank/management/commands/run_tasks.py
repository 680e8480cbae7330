"""`manage.py run_tasks`: django-q2's cluster, started afresh when a worker is killed.

Every worker reads from one shared queue and holds its lock while it waits
for the next task. A worker killed by a signal (SIGKILL, the OOM killer)
keeps that lock for ever, and the worker django-q2 starts in its place waits
on it with all the others: the cluster looks alive and runs nothing (django-q2
issue #23; the monitor reads the result queue the same way). So the sentinel
here ends the whole cluster on such a death and the command starts a new
one. Tasks the old cluster had taken run again when their `retry` lock ends;
every task is safe to run twice.

SIGTERM or Ctrl-C stops the command within 10 seconds. django-q2's own stop
lets every worker run every task it has fetched to the end, which may take
minutes (`timeout`). Here a task in hand gets a few seconds to finish; a
worker still busy after that is terminated, and tasks fetched but not
started are dropped. Nothing is lost by that: the ORM broker deletes a task
only when the monitor acknowledges its result, so a task that was cut short
or never started stays queued, locked until its `retry` time, and the next
cluster runs it then. Tasks are written to run twice safely, so a task that
finished but was not yet acknowledged may run again and does no harm.

A forked process must not share its parent's connection pool (the pool's
connections and its threads stay with the parent), so the pool is closed
before every fork and each process opens its own.
"""

import queue
import sys
import time

from django.core.management.base import BaseCommand
from django.db import connections
from django_q import cluster
from django_q.conf import logger

RESTART = 75  # the sentinel's exit code for "start a new cluster"
TASK_GRACE = 6  # seconds a task in hand may take to finish once a stop is asked for
MONITOR_GRACE = 2  # then seconds for the monitor to save and acknowledge the results


def close_pools():
    """Return every connection and close the pools, before a fork."""
    connections.close_all()
    for connection in connections.all(initialized_only=True):
        if getattr(connection, "pool", None):
            connection.close_pool()


class Sentinel(cluster.Sentinel):
    def spawn_process(self, target, *args):
        close_pools()
        return super().spawn_process(target, *args)

    def reincarnate(self, process):
        if process in [*self.pool, self.monitor] and (process.exitcode or 0) < 0:
            logger.critical(
                "%s died of signal %s; starting a new cluster", process.name, -process.exitcode
            )
            for other in [*self.pool, self.monitor, self.pusher]:
                other.kill()
            sys.exit(RESTART)
        super().reincarnate(process)

    def stop(self):
        """Stop in bounded time: tasks not started are dropped, a task in hand cut short."""
        deadline = time.monotonic() + TASK_GRACE
        self.event_out.set()
        end_within([self.pusher], deadline)
        dropped = 0
        while True:
            try:
                self.task_queue.get_nowait()
            except queue.Empty:
                break
            dropped += 1
        if dropped:
            logger.info("%s tasks not started stay queued for the next cluster", dropped)
        for _worker in self.pool:
            self.task_queue.put("STOP")
        end_within(self.pool, deadline)
        self.result_queue.put("STOP")
        end_within([self.monitor], deadline + MONITOR_GRACE)


def end_within(processes, deadline):
    """Wait for the processes to exit until `deadline`, then terminate those still running."""
    for process in processes:
        process.join(max(0, deadline - time.monotonic()))
        if process.is_alive():
            logger.warning("%s cut short; its task stays queued for the next cluster", process.name)
            process.terminate()
            process.join()


class Cluster(cluster.Cluster):
    stopping = False

    def sig_handler(self, signum, frame):
        self.stopping = True
        super().sig_handler(signum, frame)


class Command(BaseCommand):
    help = "Run the background tasks (django-q2), with a new cluster whenever a worker is killed."

    def handle(self, *args, **options):
        cluster.Sentinel = Sentinel  # the class Cluster.start() runs in its own process
        while True:
            tasks = Cluster()
            close_pools()
            tasks.start()
            tasks.sentinel.join()
            if tasks.stopping or tasks.sentinel.exitcode != RESTART:
                return
