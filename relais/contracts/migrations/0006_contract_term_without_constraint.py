"""The search index's rows lose their foreign-key constraint (derived data, ADR 0018), and on PostgreSQL their term
is compared byte by byte ("C" collation): terms are codes and stemmed ASCII words, equality is all the queries ask,
and building the (term, …) index sorts millions of them, which the server's default locale-aware collation makes
several times slower (no abbreviated keys)."""

import django.db.models.deletion
from django.db import migrations, models

_TERM_COLUMN = 'ALTER TABLE "contracts_contractterm" ALTER COLUMN "term" TYPE varchar(40) COLLATE "{}"'


def _term_collation(collation: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_TERM_COLUMN.format(collation))

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0005_contract_search_terms"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contractterm",
            name="contract",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contracts.contract",
            ),
        ),
        migrations.RunPython(_term_collation("C"), _term_collation("default")),
    ]
