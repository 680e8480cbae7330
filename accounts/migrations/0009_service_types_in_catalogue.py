# Qualifications, organisations and skills point at the catalogue's service
# types. Same table, same columns: only Django's state changes.

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_schedules'),
        ('catalogue', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='qualification',
                    name='service_type',
                    field=models.ForeignKey(limit_choices_to={'kind': 'professional'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalogue.servicetype', verbose_name='service'),
                ),
                migrations.AlterField(
                    model_name='serviceorganisation',
                    name='service_types',
                    field=models.ManyToManyField(limit_choices_to={'kind': 'professional'}, related_name='+', to='catalogue.servicetype', verbose_name='qualified services'),
                ),
                migrations.AlterField(
                    model_name='volunteerprofile',
                    name='skills',
                    field=models.ManyToManyField(blank=True, related_name='+', to='catalogue.servicetype', verbose_name='skills'),
                ),
            ],
            database_operations=[],
        ),
    ]
