import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from web.seed import SeedError, seed_load

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = "Load visits from JSON files (default: the demo cases in web/demo/). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)

    def handle(self, *args, files, **options):
        paths = files or sorted(DEMO_DIR.glob("*.json"))
        for path in paths:
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise CommandError(f"{path}: {exc}") from None
            try:
                report = seed_load(document)
            except SeedError as exc:
                raise CommandError(f"{path}: {exc.path}: {exc.reason}") from None
            counts = ", ".join(f"{n} {what}" for what, n in sorted(report.counts.items()))
            titles = "; ".join(visit.title for visit in report.visits)
            self.stdout.write(f"{path.name}: {titles} ({counts})")
