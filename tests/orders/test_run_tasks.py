"""The task runner starts a new cluster when a killed worker would jam the old one."""

import pytest
from django.core.management import call_command
from django_q import cluster

from orders.management.commands import run_tasks


class FakeProcess:
    def __init__(self, name, exitcode=None):
        self.name = name
        self.exitcode = exitcode
        self.killed = False

    def kill(self):
        self.killed = True


@pytest.fixture
def sentinel():
    """A sentinel with a pool of two workers, not started (no processes, no signals)."""
    sentinel = run_tasks.Sentinel.__new__(run_tasks.Sentinel)
    sentinel.pool = [FakeProcess("worker 1"), FakeProcess("worker 2")]
    sentinel.monitor = FakeProcess("monitor")
    sentinel.pusher = FakeProcess("pusher")
    return sentinel


@pytest.mark.parametrize("which", ["worker", "monitor"])
def test_a_worker_or_monitor_killed_by_a_signal_ends_the_whole_cluster(sentinel, which):
    dead = sentinel.pool[0] if which == "worker" else sentinel.monitor
    dead.exitcode = -9

    with pytest.raises(SystemExit) as ended:
        sentinel.reincarnate(dead)

    assert ended.value.code == run_tasks.RESTART
    assert all(p.killed for p in [*sentinel.pool, sentinel.monitor, sentinel.pusher])


def test_other_deaths_are_left_to_django_q(sentinel, monkeypatch):
    replaced = []
    monkeypatch.setattr(cluster.Sentinel, "reincarnate", lambda self, p: replaced.append(p))
    crashed = sentinel.pool[1]
    crashed.exitcode = 1  # an exception, not a signal: the queue's lock was let go
    sentinel.pusher.exitcode = -9  # the pusher only writes to the queue

    sentinel.reincarnate(crashed)
    sentinel.reincarnate(sentinel.pusher)

    assert replaced == [crashed, sentinel.pusher]
    assert not any(p.killed for p in sentinel.pool)


def test_the_command_starts_a_new_cluster_until_one_stops_normally(monkeypatch):
    exit_codes = iter([run_tasks.RESTART, run_tasks.RESTART, 0])
    started = []

    class Cluster:
        def start(self):
            started.append(self)
            self.sentinel = FakeProcess("sentinel", exitcode=next(exit_codes))
            self.sentinel.join = lambda: None

    monkeypatch.setattr(cluster, "Cluster", Cluster)
    monkeypatch.setattr(cluster, "Sentinel", cluster.Sentinel)  # undone after the test
    call_command("run_tasks")

    assert len(started) == 3
    assert cluster.Sentinel is run_tasks.Sentinel
