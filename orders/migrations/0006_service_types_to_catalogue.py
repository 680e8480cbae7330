# Orders point at the catalogue's service types, and the model leaves this
# app's state; its table is the catalogue's now (renamed by catalogue 0002).

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0005_drop_unused_notice_kind'),
        ('catalogue', '0001_initial'),
        ('accounts', '0009_service_types_in_catalogue'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='order',
                    name='service_type',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='orders', to='catalogue.servicetype', verbose_name='service'),
                ),
                migrations.DeleteModel(name='ServiceType'),
            ],
            database_operations=[],
        ),
    ]
