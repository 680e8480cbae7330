"""The platform's own clock: expiry, auto-completion, flags and reminders.

Each schedule calls a set-based task that is safe to run late or twice.
"""

from django.db import migrations

SCHEDULES = [
    ("orders: expire unclaimed", "orders.tasks.expire_due_orders", 5),
    ("orders: auto-complete delivered", "orders.tasks.auto_complete_due_orders", 15),
    ("orders: flag unclaimed and no-shows", "orders.tasks.flag_orders", 10),
    ("orders: reminders 24 h ahead", "orders.tasks.send_reminders", 30),
]


def create_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func, minutes in SCHEDULES:
        Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": "I", "minutes": minutes, "repeats": -1},
        )


def remove_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=[name for name, _func, _minutes in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_orders_and_notifications"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
