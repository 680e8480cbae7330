from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Services and orders")

    def ready(self):
        from credits import references
        from orders.models import name_for_ledger

        references.register("order", name_for_ledger)
