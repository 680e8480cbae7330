# Notifications move here from `orders`. This migration only tells Django's
# state that the model is ours, as it stands in orders' table; 0002-0004
# give it any subject instead of an order and its own table.

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orders', '0006_service_types_to_catalogue'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('approved', 'Your order was approved'), ('rejected', 'Your order was rejected'), ('claimed', 'A volunteer claimed your order'), ('released', 'The volunteer released your order'), ('completed', 'Your order is completed'), ('expired', 'Nobody claimed your order in time'), ('cancelled', 'An order was cancelled'), ('new_orders', 'New orders near you'), ('reminder', 'Reminder: a visit tomorrow')], max_length=20, verbose_name='kind')),
                        ('topic', models.CharField(max_length=40)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                        ('order', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='orders.order')),
                    ],
                    options={
                        'verbose_name': 'notification',
                        'verbose_name_plural': 'notifications',
                        'ordering': ['-created_at', '-pk'],
                        'db_table': 'orders_notification',
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='notification_unread')],
                        'constraints': [models.UniqueConstraint(fields=('recipient', 'kind', 'topic'), name='notification_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
