"""The task runner starts a new cluster when a killed worker would jam the old one,
and stops within 10 seconds of SIGTERM without losing the task in hand."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_q import cluster
from django_q.models import OrmQ, Success
from django_q.tasks import async_task

from timebank.management.commands import run_tasks

ROOT = Path(settings.BASE_DIR)


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
        stopping = False

        def start(self):
            started.append(self)
            self.sentinel = FakeProcess("sentinel", exitcode=next(exit_codes))
            self.sentinel.join = lambda: None

    monkeypatch.setattr(run_tasks, "Cluster", Cluster)
    monkeypatch.setattr(cluster, "Sentinel", cluster.Sentinel)  # undone after the test
    call_command("run_tasks")

    assert len(started) == 3
    assert cluster.Sentinel is run_tasks.Sentinel


def test_a_stop_asked_for_while_restarting_ends_the_command(monkeypatch):
    started = []

    class Cluster:
        stopping = True  # SIGTERM came as the old cluster was ending to restart

        def start(self):
            started.append(self)
            self.sentinel = FakeProcess("sentinel", exitcode=run_tasks.RESTART)
            self.sentinel.join = lambda: None

    monkeypatch.setattr(run_tasks, "Cluster", Cluster)
    monkeypatch.setattr(cluster, "Sentinel", cluster.Sentinel)
    call_command("run_tasks")

    assert len(started) == 1


# The real command in a process of its own, on the test database ----------------


def mark_then_sleep(marker, seconds):
    """A task that says it has started, then works for `seconds`."""
    Path(marker).touch()
    time.sleep(seconds)
    return seconds


MARK_THEN_SLEEP = "tests.orders.test_run_tasks.mark_then_sleep"  # the path the runner imports


@pytest.fixture
def task_runner(tmp_path):
    """Start `manage.py run_tasks` on the test database; yield it, and kill it if still alive."""
    db = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if key not in {"Q_SYNC", "TESTING"}}
    env |= {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DEBUG": "0",
        "LOG_LEVEL": "INFO",
    }
    log = (tmp_path / "run_tasks.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_tasks"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,  # its own process group, so that nothing outlives the test
    )
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    log.close()
    print((tmp_path / "run_tasks.log").read_text())  # shown when the test fails


def wait_for(path, within=120):
    give_up = time.monotonic() + within
    while not path.exists():
        assert time.monotonic() < give_up, "the task never started"
        time.sleep(0.2)


def is_queued(task_id):
    return any(queued.task_id() == task_id for queued in OrmQ.objects.all())


def stop_and_time(process):
    process.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    process.wait(timeout=30)
    return time.monotonic() - sent


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sigterm_ends_the_runner_within_ten_seconds_leaving_a_long_task_queued(
    task_runner, tmp_path
):
    marker = tmp_path / "started"
    task_id = async_task(MARK_THEN_SLEEP, str(marker), 300, sync=False)
    wait_for(marker)

    took = stop_and_time(task_runner)

    assert took < 10
    assert task_runner.returncode == 0
    assert is_queued(task_id)  # handed out again when its `retry` lock ends
    assert not Success.objects.filter(id=task_id).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_a_short_task_in_hand_finish(task_runner, tmp_path):
    marker = tmp_path / "started"
    task_id = async_task(MARK_THEN_SLEEP, str(marker), 2, sync=False)
    wait_for(marker)

    took = stop_and_time(task_runner)

    assert took < 10
    assert Success.objects.get(id=task_id).result == 2
    assert not is_queued(task_id)
