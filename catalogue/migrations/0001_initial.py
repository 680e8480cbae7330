# The service catalogue moves here from `orders`. The table stays where it is
# for now (orders_servicetype): this migration only tells Django's state that
# the model is ours; 0002 renames the table once `orders` and `accounts` point here.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orders', '0005_drop_unused_notice_kind'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ServiceType',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                        ('kind', models.CharField(choices=[('general', 'General service'), ('professional', 'Professional service')], max_length=20, verbose_name='kind')),
                        ('name_zh', models.CharField(max_length=30, verbose_name='Chinese name')),
                        ('name_en', models.CharField(max_length=60, verbose_name='English name')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('default_hours', models.PositiveSmallIntegerField(default=1, verbose_name='default booked hours')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('is_active', models.BooleanField(default=True, verbose_name='offered')),
                    ],
                    options={
                        'verbose_name': 'service type',
                        'verbose_name_plural': 'service types',
                        'ordering': ['position', 'code'],
                        'db_table': 'orders_servicetype',
                        'constraints': [models.CheckConstraint(condition=models.Q(('default_hours__gte', 1), ('default_hours__lte', 8)), name='service_type_default_hours_1_to_8'), models.CheckConstraint(condition=models.Q(('kind__in', ['general', 'professional'])), name='service_type_kind_valid')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
