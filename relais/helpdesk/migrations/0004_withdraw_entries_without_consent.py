"""Entries still published although their asker had withdrawn consent (before withdrawal unpublished them at once,
animators were only asked by e-mail to remove them) are withdrawn now, with their search index rows."""

from django.db import migrations
from django.utils import timezone


def withdraw_entries_without_consent(apps, schema_editor):
    FaqEntry = apps.get_model("helpdesk", "FaqEntry")
    FaqTerm = apps.get_model("helpdesk", "FaqTerm")
    entries = FaqEntry.objects.filter(withdrawn_at__isnull=True, source_question__faq_consent=False)
    ids = list(entries.values_list("pk", flat=True))
    FaqTerm.objects.filter(entry_id__in=ids).delete()
    FaqEntry.objects.filter(pk__in=ids).update(withdrawn_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0003_faq_entry_withdrawn"),
    ]

    operations = [
        migrations.RunPython(withdraw_entries_without_consent, migrations.RunPython.noop),
    ]
