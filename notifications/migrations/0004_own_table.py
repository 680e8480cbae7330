# Notices no longer point at an order (their subject does), take the new
# kinds, and move to a table of their own; the content type (with its
# permissions and admin log entries) follows the model to this app. The
# content type moves last: after the table changes, not before.

from django.db import migrations, models


def move_content_type(apps, schema_editor, source, target):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    moving = ContentType.objects.using(db).filter(app_label=source, model='notification')
    if not moving.exists():
        return
    # One made for the new label meanwhile holds nothing: the permissions and
    # log entries are on the one that moves.
    ContentType.objects.using(db).filter(app_label=target, model='notification').delete()
    moving.update(app_label=target)


def forwards(apps, schema_editor):
    move_content_type(apps, schema_editor, 'orders', 'notifications')


def backwards(apps, schema_editor):
    move_content_type(apps, schema_editor, 'notifications', 'orders')


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_subject_from_order'),
    ]

    operations = [
        migrations.RemoveField(model_name='notification', name='order'),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('approved', 'Your order was approved'), ('rejected', 'Your order was rejected'), ('claimed', 'A volunteer claimed your order'), ('released', 'The volunteer released your order'), ('completed', 'Your order is completed'), ('expired', 'Nobody claimed your order in time'), ('cancelled', 'An order was cancelled'), ('new_orders', 'New orders near you'), ('reminder', 'Reminder: a visit tomorrow'), ('star_notice_opened', 'Your new star level is on public notice'), ('star_awarded', 'You were awarded a star level'), ('objection_upheld', 'An objection was upheld and the star withheld'), ('objection_dismissed', 'An objection was dismissed'), ('redemption_ready', 'Your goods are reserved for you to collect'), ('redemption_expired', 'Goods not collected in time and refunded'), ('gift_received', 'A relative gave you credits'), ('grant_received', 'You received a grant of credits')], max_length=30, verbose_name='kind'),
        ),
        migrations.AlterModelTable(name='notification', table=None),
        migrations.RunPython(forwards, backwards),
    ]
