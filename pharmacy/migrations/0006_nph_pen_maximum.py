"""The NPH pen's monthly maximum follows the 20 IU/day rule with priming: 3 pens.

pharmacy.rules.prescriptions.formulary_pen_maximum: 31 days × (20 IU + 2 IU priming)
= 682 IU, three 300 IU pens. Only the row still at the old default (2) changes; a
district's own value stays.
"""

from django.db import migrations

NPH = {
    "name": "Insulin human isophane (NPH)",
    "strength": "100 IU/mL 3 mL",
    "form": "pen injeksi",
    "rule_group": "basal_insulin",
}


def forward(apps, schema_editor):
    Medicine = apps.get_model("pharmacy", "Medicine")
    Medicine.objects.filter(**NPH, max_quantity_per_month=2).update(max_quantity_per_month=3)


def backward(apps, schema_editor):
    Medicine = apps.get_model("pharmacy", "Medicine")
    Medicine.objects.filter(**NPH, max_quantity_per_month=3).update(max_quantity_per_month=2)


class Migration(migrations.Migration):
    dependencies = [("pharmacy", "0005_ledger_no_truncate")]

    operations = [migrations.RunPython(forward, backward)]
