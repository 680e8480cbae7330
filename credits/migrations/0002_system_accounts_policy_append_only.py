"""System accounts and the first policy; on PostgreSQL, transfers become append-only."""

from django.db import migrations

SYSTEM_KINDS = ["issuance", "redeemed", "escrow", "public_pool"]
APPEND_ONLY_TABLES = ["credits_transfer", "credits_servicerecord"]

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION credits_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
"""


def create_system_accounts(apps, schema_editor):
    Account = apps.get_model("credits", "Account")
    Policy = apps.get_model("credits", "Policy")
    for kind in SYSTEM_KINDS:
        Account.objects.get_or_create(kind=kind)
    if not Policy.objects.exists():
        Policy.objects.create()


def add_triggers(apps, schema_editor):
    # Row triggers do not fire on TRUNCATE, which test flushes still use.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION credits_refuse_change()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS credits_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("credits", "0001_initial")]

    operations = [
        migrations.RunPython(create_system_accounts, migrations.RunPython.noop),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
