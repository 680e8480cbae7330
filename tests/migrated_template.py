"""A migrated database for each run's test databases to be copied from.

Migrating an empty database took each xdist worker about 7 s at the start of
every run, all of it CPU the other worker wanted. The result depends only on
the migrations, so it is built once, named by a digest of every migration
file of the installed apps, and each worker's test database is a copy of it
(PostgreSQL's CREATE DATABASE ... TEMPLATE); Django's migrate then finds
nothing left to apply. Any change to a migration gives a new name, so a
stale copy is never used, and older copies are dropped when a new one is made.
"""

import hashlib
import importlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import django
import psycopg
from django.apps import apps
from django.conf import settings
from psycopg import sql

PREFIX = "timebank_migrated_"


def migrations_digest():
    digest = hashlib.sha256(django.get_version().encode())
    for app in sorted(apps.get_app_configs(), key=lambda app: app.label):
        try:
            module = importlib.import_module(f"{app.name}.migrations")
        except ModuleNotFoundError:
            continue
        for path in sorted(Path(module.__path__[0]).glob("*.py")):
            digest.update(f"{app.label}/{path.name}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migrated_template(database):
    """The name of a database migrated as today's migrations say; built when missing."""
    name = PREFIX + migrations_digest()
    building = f"{name}_building"
    server = psycopg.connect(
        host=database["HOST"],
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with server:
        # One worker builds it; the others wait here, then find it built.
        server.execute("SELECT pg_advisory_lock(hashtext(%s))", [PREFIX])
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            for (old,) in server.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [PREFIX + "%"]
            ).fetchall():
                server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(old)))
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
            _migrate(database, building)
            server.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(building), sql.Identifier(name)
                )
            )
    return name


def _migrate(database, name):
    login = quote(database["USER"], safe="")
    if database["PASSWORD"]:
        login += ":" + quote(database["PASSWORD"], safe="")
    address = f"{database['HOST']}:{database['PORT'] or 5432}"
    environment = {
        **os.environ,
        "TESTING": "1",
        "DATABASE_URL": f"postgres://{login}@{address}/{name}",
    }
    subprocess.run(  # noqa: S603 - this interpreter and our own manage.py
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
    )
