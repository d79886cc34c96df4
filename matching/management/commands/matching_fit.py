from django.core.management.base import BaseCommand

from matching.services.learning import ranker_fit, write_default


class Command(BaseCommand):
    help = (
        "Fit the ranking model on the training set and the parties' feedback, measure it "
        "on the frozen held-out set, and switch to it if its figures do not fall."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-feedback", action="store_true", help="the labelled set only")
        parser.add_argument("--force", action="store_true", help="switch even if figures fall")
        parser.add_argument(
            "--write-default",
            dest="default",
            action="store_true",
            help="also write matching/ranker.json, the default of new installations",
        )

    def handle(self, *args, no_feedback, force, default, **options):
        ranker = ranker_fit(with_feedback=not no_feedback, force=force)
        metrics = ranker.metrics
        for name in ("train", "heldout", "heldout_before"):
            self.stdout.write(f"{name:<15} {metrics[name]}")
        self.stdout.write(f"weights: bias {ranker.bias} {ranker.weights}")
        state = "active" if ranker.active else "kept out (held-out figures would fall)"
        self.stdout.write(self.style.SUCCESS(f"{ranker.version}: {state}"))
        if default:
            write_default(ranker)
            self.stdout.write("Wrote matching/ranker.json")
