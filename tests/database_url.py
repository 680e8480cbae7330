"""Print the database URL that `make test` should use.

DATABASE_URL wins when set. Otherwise PostgreSQL on 127.0.0.1:5432 (user
postgres) if it answers, else nothing: the suite then runs on SQLite and
says loudly which PostgreSQL-only tests it skipped.
"""

import os
import sys

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/timebank"


def main():
    if os.environ.get("DATABASE_URL"):
        print(os.environ["DATABASE_URL"])
        return
    try:
        import psycopg

        psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=2
        ).close()
    except Exception:  # noqa: BLE001 - any failure means "not available"
        print("PostgreSQL is not reachable on 127.0.0.1:5432; using SQLite.", file=sys.stderr)
        return
    print(LOCAL_POSTGRES)


if __name__ == "__main__":
    main()
