from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import staff_create


class Command(BaseCommand):
    help = "Create a staff account that reviews one market's items (wuhan: province-wide)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument("--market", required=True, help="market code, e.g. wuhan")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, password, market, email, **options):
        try:
            user = staff_create(
                username=username, password=password, market_code=market, email=email
            )
        except ValidationError as exc:
            lines = [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
            raise CommandError("\n".join(lines)) from exc
        scope = "province-wide" if user.is_central_staff else user.staff_market.name
        self.stdout.write(self.style.SUCCESS(f"Created staff {username} ({scope})."))
