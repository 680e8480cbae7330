from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "rewards"
    verbose_name = _("Rewards")

    def ready(self):
        from credits import references
        from rewards.models import name_for_ledger

        references.register("redemption", name_for_ledger)
