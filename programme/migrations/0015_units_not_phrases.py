"""Units are units ("%"), not phrases ("andel (%)"): the shipped indicators' units as
programme/units.py names them. Reversible: each unit goes back to the phrase it was."""

from django.db import migrations

# Copied, not imported: a migration keeps the mapping it was written with.
PHRASES = {
    "andel (%)": "%",
    "andel av befolkningen (%)": "%",
    "utrikes födda (%)": "%",
    "ton CO2-ekv/inv": "ton CO₂e/inv",
    "antal/inv": "lån/inv",
    "antal/100 000 inv": "brott/100 000 inv",
}


def forwards(apps, schema_editor):
    Indicator = apps.get_model("programme", "Indicator")
    for phrase, unit in PHRASES.items():
        Indicator.objects.filter(unit=phrase).update(unit=unit)


def backwards(apps, schema_editor):
    Indicator = apps.get_model("programme", "Indicator")
    for indicator in Indicator.objects.filter(unit__in=set(PHRASES.values())):
        # The phrase its title ends with (as the shipped titles do); a unit that was a unit
        # before ("%" of N05401) stays.
        said = [p for p, u in PHRASES.items() if u == indicator.unit and indicator.title.endswith(p)]
        if said:
            indicator.unit = said[0]
            indicator.save(update_fields=["unit"])


class Migration(migrations.Migration):
    dependencies = [("programme", "0014_indicator_targets")]
    operations = [migrations.RunPython(forwards, backwards)]
