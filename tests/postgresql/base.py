"""PostgreSQL for the test suite: a flush that deletes the rows a test left,
and a test database dropped even while a thread still holds a connection.

A browser or race test commits its writes, so every table is emptied after
it. Django truncates all ~60 tables to do that, and TRUNCATE makes new files
for each table and index, about 0.25 s a time; deleting the few rows a test
leaves takes a third of that. Foreign keys and triggers (the ledger's
append-only ones) are off for that one transaction, as TRUNCATE ignores them
too; every table ends empty, so no reference is left dangling.
"""

from django.db.backends.postgresql import base, creation, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # The table names are the database's own, quoted.
        deletes = [f"DELETE FROM {self.quote_name(table)}" for table in tables]  # noqa: S608
        return ["SET LOCAL session_replication_role = replica", *deletes]


class DatabaseCreation(creation.DatabaseCreation):
    def _destroy_test_db(self, test_database_name, verbosity):
        """The live server answers each browser connection in a daemon thread that
        Django does not wait for; one serving a connection the browser kept
        alive may still hold a database connection when the run ends."""
        self.connection.close_pool()
        name = self.connection.ops.quote_name(test_database_name)
        with self._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE {name} WITH (FORCE)")


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    ops_class = DatabaseOperations
