from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import ACCOUNTS, DEMO_PASSWORD, load_accounts
from accounts.models import User
from achievements.demo import load_achievements
from achievements.models import Achievement
from agencies.demo import load_agencies
from brokers.demo import load_brokers
from cases.demo import load_cases
from cases.models import Case
from challenges.demo import load_challenges
from contracts.cases import load_contract_cases
from contracts.demo import load_contracts, load_subsidies
from conversions.demo import load_conversions
from demands.demo import load_demands
from events.demo import load_events
from experts.demo import load_experts, load_reviews
from inquiries.demo import load_inquiries
from market.demo import load_market
from matching.services import RunAlreadyActive, run_start
from matching.services.vectors import embed_backfill
from platforms.demo import load_platforms
from portal.library import engine
from portal.library.suggest import terms_rebuild
from scenarios.demo import load_scenarios


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        # The demo's notification e-mails are kept, not printed: with the console
        # backend of development they would fill the terminal of `make run`.
        backend = settings.EMAIL_BACKEND
        printing = backend.endswith("console.EmailBackend")
        if printing:
            settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
            mail.outbox = []
        try:
            self._load()
        finally:
            if printing:
                settings.EMAIL_BACKEND = backend
                self.stdout.write(
                    f"Demo e-mails: {len(mail.outbox)} (not printed; each account's "
                    "notifications page shows them)"
                )

    @transaction.atomic
    def _load(self):
        orgs = load_accounts()
        self.stdout.write(self.style.SUCCESS(f"Demo organisations: {len(orgs)}"))
        self.stdout.write(f"Demo achievements: {load_achievements(orgs)}")
        self.stdout.write(f"Demo demands: {load_demands(orgs)}")
        self.stdout.write(f"Demo experts: {load_experts(orgs)}")
        self.stdout.write(f"Demo contracts: {load_contracts(orgs)}")
        self.stdout.write(f"Demo subsidy applications: {load_subsidies(orgs)}")
        published = Achievement.objects.filter(status=Achievement.Status.PUBLISHED)
        if not Case.objects.exists():
            load_contract_cases(by=User.objects.get(username="staff_wuhan"))
        self.stdout.write(f"Demo cases: {load_cases()}")
        self.stdout.write(f"Demo scenarios: {load_scenarios(orgs, published)}")
        self.stdout.write(f"Demo expert reviews: {load_reviews(published)}")
        self.stdout.write(f"Demo market listings and lots: {load_market(orgs)}")
        self.stdout.write(f"Demo inquiries: {load_inquiries(orgs)}")
        self.stdout.write(f"Demo matching events: {load_events(orgs)}")
        self.stdout.write(f"Demo open challenges: {load_challenges(orgs)}")
        self.stdout.write(f"Demo broker registry: {load_brokers(orgs)} brokers")
        self.stdout.write(f"Demo pilot platforms: {load_platforms(orgs)}")
        self.stdout.write(f"Demo transfer agencies: {load_agencies(orgs)}")
        self.stdout.write(f"Demo conversion projects: {load_conversions(orgs)}")
        self.stdout.write(f"Search vocabulary for suggestions: {terms_rebuild()} terms")
        indexed = sum(engine.rebuild(model) for model in engine.models_indexed())
        self.stdout.write(f"Search engine: {indexed} items indexed")
        # embed what is published (once per text: a second load embeds nothing), so
        # that the re-match below finds matches by meaning too
        self.stdout.write(f"Matching: {embed_backfill()} items embedded")
        try:
            run = run_start()
        except RunAlreadyActive as exc:
            run = exc.run
        self.stdout.write(
            f"Matching: full re-match #{run.pk} (runs after commit; with "
            f"REDIS_URL a worker must be running)"
        )
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, _org, _market, _broker, role in ACCOUNTS:
            self.stdout.write(f"  {username:<16} {role}")
