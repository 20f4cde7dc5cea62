from django.db import migrations, models

# Codes SATUSEHAT uses for chronic-disease programmes; the others are PRB's own until
# Kemkes publishes codes (UNVERIFIED, editable in the admin site).
DEFAULT_TYPES = {
    "DM": ("DM", "Diabetes Melitus"),
    "HT": ("HT", "Hipertensi"),
}
PROGRAMS = [
    "DM", "HT", "HEART_HHD", "HEART_ANGINA", "HEART_MI", "HEART_CHF", "ASTHMA", "COPD",
    "EPILEPSY", "SCHIZOPHRENIA", "STROKE", "SLE",
]


def seed_types(apps, schema_editor):
    EpisodeOfCareType = apps.get_model("satusehat", "EpisodeOfCareType")
    for program in PROGRAMS:
        code, display = DEFAULT_TYPES.get(program, ("PRB", "Program Rujuk Balik"))
        EpisodeOfCareType.objects.get_or_create(
            program=program, defaults={"code": code, "display": display}
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [("pharmacy", "0004_lot_source_label")]

    operations = [
        migrations.CreateModel(
            name="EpisodeOfCareType",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("program", models.CharField(choices=[("DM", "Diabetes mellitus"), ("HT", "Hypertension"), ("HEART_HHD", "Hypertensive heart disease"), ("HEART_ANGINA", "Stable angina / chronic coronary syndrome"), ("HEART_MI", "Post myocardial infarction"), ("HEART_CHF", "Chronic heart failure"), ("ASTHMA", "Asthma"), ("COPD", "COPD"), ("EPILEPSY", "Epilepsy"), ("SCHIZOPHRENIA", "Schizophrenia"), ("STROKE", "Stroke"), ("SLE", "Systemic lupus erythematosus")], max_length=20, unique=True, verbose_name="programme")),
                ("code", models.CharField(max_length=40, verbose_name="code")),
                ("display", models.CharField(max_length=150, verbose_name="display")),
            ],
            options={"verbose_name": "EpisodeOfCare type", "verbose_name_plural": "EpisodeOfCare types", "ordering": ["program"]},
        ),
        migrations.CreateModel(
            name="FormularyKfaCode",
            fields=[],
            options={
                "verbose_name": "KFA code of a formulary item",
                "verbose_name_plural": "KFA codes of the formulary",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("pharmacy.medicine",),
        ),
        migrations.RunPython(seed_types, migrations.RunPython.noop),
    ]
