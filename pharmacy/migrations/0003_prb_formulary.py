from django.db import migrations


def load(apps, schema_editor):
    from pharmacy.formulary import load_formulary

    load_formulary(apps.get_model("pharmacy", "Medicine"))


class Migration(migrations.Migration):
    dependencies = [("pharmacy", "0002_stock")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
