"""The fault bench's own servers: a throwaway PostgreSQL cluster and processes in their own session.

Everything started here is remembered in `HOLDERS` and stopped by `cleanup()`,
newest first, even when the bench fails half-way.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


PG_BIN = Path("/usr/lib/postgresql/15/bin")
FIRST_PG_PORT = 55432
DB_NAME = "timebank_faults"

HOLDERS = []  # what to stop at exit, newest first


def free_port(start):
    for port in range(start, start + 100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port from {start}")


def cleanup():
    while HOLDERS:
        try:
            HOLDERS.pop().stop()
        except Exception as error:  # noqa: BLE001 - stop the rest anyway
            print(f"cleanup: {error}", file=sys.stderr)


# The bench's own PostgreSQL ---------------------------------------------------


class Postgres:
    """A throwaway cluster owned by the postgres user, on its own port and socket folder."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="timebank-faults-"))
        self.data = self.dir / "data"
        self.port = free_port(FIRST_PG_PORT)
        shutil.chown(self.dir, "postgres", "postgres")
        HOLDERS.append(self)
        self.as_postgres(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-E", "UTF8")
        self.start()
        self.as_postgres(
            PG_BIN / "createdb", "-h", self.dir, "-p", str(self.port), "-U", "postgres", DB_NAME
        )

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"

    def as_postgres(self, *command):
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, command)],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=self.dir,
        )

    def pg_ctl(self, *args):
        self.as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-w", *args)

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self.pg_ctl("-o", options, "-l", self.dir / "log", "start")

    def restart_immediately(self):
        self.pg_ctl("-m", "immediate", "stop")
        self.start()

    def processes(self):
        """The postmaster first, then every process it started."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        return [postmaster, *children_of(postmaster)]

    def pause(self, seconds):
        pids = self.processes()
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        try:
            time.sleep(seconds)
        finally:
            for pid in reversed(pids):
                os.kill(pid, signal.SIGCONT)

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            for pid in self.processes():  # a paused server cannot stop
                os.kill(pid, signal.SIGCONT)
            self.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def children_of(parent):
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                children.append(int(entry.name))
    return children


class Served:
    """A process the bench started in its own session, stopped with its whole group."""

    def __init__(self, args, env, log):
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        HOLDERS.append(self)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@dataclass
class Servers:
    postgres: Postgres
    tasks: Served
