"""Find (and with --fix, clean) stored text that the clean-text fields now refuse.

Rows written before the fields of planner.text (or past them: an import, a raw update) may
hold line breaks in a name, control characters, bidirectional overrides. This command reads
every field of every model that is a ``NameField``, ``SingleLineField`` or ``MultiLineField``
and names each value the field's validators refuse: model, row, field, value (escaped).

With ``--fix`` each such value is rewritten, and the old and new values are printed:
line breaks and tabs in single-line text become one space, vertical tab, form feed and NEL in
multi-line text become a line break, a lone CR a line break; other control characters and
(in names) bidirectional overrides are removed; surrounding white space is stripped. Nothing
else is cut: a value still refused after that (longer than its column, empty where required)
is left as it is and reported, for a person to decide. Rows are written with ``update()``, so
no save signal runs. Without ``--fix`` the command exits with an error when it finds any.
"""

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from planner.text import BIDI_CONTROLS, MultiLineField, NameField, SingleLineField

_CRLF = re.compile("\r\n?")
_LINE_BREAKS = re.compile("[\n\u0085\u2028\u2029\t]+")
_PAGE_BREAKS = re.compile("[\x0b\x0c\u0085]")
_CONTROL_SINGLE = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTI = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_SPACES = re.compile(" {2,}")


def cleaned(field, value: str) -> str:
    """The value with what the field refuses replaced or removed, as the module doc says."""
    if isinstance(field, MultiLineField):
        text = _PAGE_BREAKS.sub("\n", _CRLF.sub("\n", value))
        text = _CONTROL_MULTI.sub("", text)
    else:
        text = _CRLF.sub("\n", value)
        had_break = _LINE_BREAKS.search(text) is not None
        text = _LINE_BREAKS.sub(" ", text)
        text = _CONTROL_SINGLE.sub("", text)
        if had_break:
            text = _SPACES.sub(" ", text)
    if isinstance(field, NameField):
        text = _BIDI.sub("", text)
    return text.strip()


def clean_text_fields():
    """(model, [fields]) for every concrete model with clean-text fields."""
    kinds = (NameField, SingleLineField, MultiLineField)
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            f for f in model._meta.concrete_fields if isinstance(f, kinds) and not f.primary_key
        ]
        if fields:
            yield model, fields


def refused(field, value) -> list[str]:
    """The field's messages for the value, [] if it is clean (validators and length)."""
    if value in (None, ""):
        return []
    try:
        field.run_validators(value)
    except ValidationError as exc:
        return [str(m) for m in exc.messages]
    return []


class Command(BaseCommand):
    help = (
        "Report stored names and texts holding line breaks, control characters or "
        "bidirectional overrides their fields refuse; --fix rewrites them, printing each change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Rewrite the values (each change is printed)."
        )

    def handle(self, *args, fix=False, **options):
        found = fixed = left = 0
        for model, fields in clean_text_fields():
            label = model._meta.label
            names = [f.attname for f in fields]
            rows = model._default_manager.values_list("pk", *names).order_by("pk")
            for pk, *values in rows.iterator(chunk_size=2000):
                changes = {}
                for field, value in zip(fields, values, strict=True):
                    reasons = refused(field, value)
                    if not reasons:
                        continue
                    found += 1
                    why = "; ".join(reasons)
                    self.stdout.write(f"{label} #{pk} {field.name}: {value!r} ({why})")
                    if not fix:
                        continue
                    new = cleaned(field, value)
                    still = refused(field, new)
                    if still or (not new and not field.blank):
                        left += 1
                        why = "; ".join(still) or "it would be empty"
                        self.stdout.write(f"    left as it is, for a person to decide: {why}")
                        continue
                    changes[field.attname] = new
                    self.stdout.write(f"    -> {new!r}")
                if changes:
                    try:
                        with transaction.atomic():
                            model._default_manager.filter(pk=pk).update(**changes)
                    except IntegrityError:  # a unique name another row already holds
                        left += len(changes)
                        self.stdout.write(
                            "    left as it is, for a person to decide: "
                            "another row already holds the cleaned value"
                        )
                        continue
                    fixed += len(changes)
        if fix:
            self.stdout.write(f"clean_text_rows: {found} found, {fixed} cleaned, {left} left")
        else:
            self.stdout.write(f"clean_text_rows: {found} found")
            if found:
                raise CommandError(
                    f"{found} stored values hold text their fields refuse; "
                    "run clean_text_rows --fix to rewrite them (each change is printed)."
                )
