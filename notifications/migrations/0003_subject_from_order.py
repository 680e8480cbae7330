# An order's notices keep their order, as their subject. A migration of its
# own: PostgreSQL refuses to alter a table in the transaction that changed
# its rows under deferred foreign keys.

from django.db import migrations
from django.db.models import F


def order_type(apps, db):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    return ContentType.objects.db_manager(db).get_or_create(app_label='orders', model='order')[0]


def forwards(apps, schema_editor):
    Notification = apps.get_model('notifications', 'Notification')
    db = schema_editor.connection.alias
    Notification.objects.using(db).filter(order__isnull=False).update(
        subject_type=order_type(apps, db), subject_id=F('order_id')
    )


def backwards(apps, schema_editor):
    Notification = apps.get_model('notifications', 'Notification')
    db = schema_editor.connection.alias
    Notification.objects.using(db).filter(subject_type=order_type(apps, db)).update(
        order_id=F('subject_id')
    )


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_subject_and_params'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
