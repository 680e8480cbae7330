"""Print the code the demo staff's authenticator app would show now."""

from django.core.management.base import BaseCommand

from accounts.twofactor import current_code
from timebank.management.commands.seed_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current authenticator code of the demo staff accounts (seed_demo)."

    def handle(self, *args, **options):
        self.stdout.write(current_code(DEMO_TOTP_SECRET))
