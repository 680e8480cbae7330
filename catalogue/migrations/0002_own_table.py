# The catalogue takes its table under its own name, and the content type
# (with the permissions and admin log entries that hang on it) follows the
# model from `orders` to `catalogue`.

from django.db import migrations


def move_content_type(apps, schema_editor, source, target):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    moving = ContentType.objects.using(db).filter(app_label=source, model='servicetype')
    if not moving.exists():
        return
    # A content type made for the new label before this ran (by a migrate that
    # created it afterwards and then went back) holds nothing worth keeping:
    # the permissions and log entries are on the one that moves.
    ContentType.objects.using(db).filter(app_label=target, model='servicetype').delete()
    moving.update(app_label=target)


def forwards(apps, schema_editor):
    move_content_type(apps, schema_editor, 'orders', 'catalogue')


def backwards(apps, schema_editor):
    move_content_type(apps, schema_editor, 'catalogue', 'orders')


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0001_initial'),
        ('orders', '0006_service_types_to_catalogue'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelTable(name='servicetype', table=None),
        migrations.RunPython(forwards, backwards),
    ]
