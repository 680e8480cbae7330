"""Regular volunteers who keep missing visits lose the series, checked every 30 minutes.

Safe to run late or twice (series.services.drop_absent_volunteers).
"""

from django.db import migrations, models

NAME = "series: take series off volunteers who miss visits"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "series.tasks.drop_absent_volunteers",
            "schedule_type": "I",
            "minutes": 30,
            "repeats": -1,
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("series", "0003_time_change"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.AlterField(
            model_name='seriesevent',
            name='kind',
            field=models.CharField(choices=[('status', 'Status changed'), ('skipped', 'Date skipped'), ('taken', 'Taken by a volunteer'), ('changed', 'Time changed'), ('dropped', 'Regular volunteer taken off after missed visits')], max_length=20, verbose_name='what'),
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
