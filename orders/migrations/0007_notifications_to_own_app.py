# Notifications are the `notifications` app's now (its 0001 took over the
# table); only Django's state changes here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0006_service_types_to_catalogue'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notification')],
            database_operations=[],
        ),
    ]
