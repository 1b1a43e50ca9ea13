"""A fresh installation holds the 17 global goals without any city's programme, so that
any city's programme can be imported into it (issue 24). The official numbers, colours and
titles (Swedish as the Swedish government uses them, globalamalen.se), copied here from
fixtures/sdgs.json as they were when this was written. Goals already there are left as they
are; going back leaves them too (programmes may refer to them)."""

from django.db import migrations

GOALS = [
    (1, "Ingen fattigdom", "No poverty", "#E5243B"),
    (2, "Ingen hunger", "Zero hunger", "#DDA63A"),
    (3, "God hälsa och välbefinnande", "Good health and well-being", "#4C9F38"),
    (4, "God utbildning för alla", "Quality education", "#C5192D"),
    (5, "Jämställdhet", "Gender equality", "#FF3A21"),
    (6, "Rent vatten och sanitet för alla", "Clean water and sanitation", "#26BDE2"),
    (7, "Hållbar energi för alla", "Affordable and clean energy", "#FCC30B"),
    (
        8,
        "Anständiga arbetsvillkor och ekonomisk tillväxt",
        "Decent work and economic growth",
        "#A21942",
    ),
    (
        9,
        "Hållbar industri, innovationer och infrastruktur",
        "Industry, innovation and infrastructure",
        "#FD6925",
    ),
    (10, "Minskad ojämlikhet", "Reduced inequalities", "#DD1367"),
    (11, "Hållbara städer och samhällen", "Sustainable cities and communities", "#FD9D24"),
    (12, "Hållbar konsumtion och produktion", "Responsible consumption and production", "#BF8B2E"),
    (13, "Bekämpa klimatförändringarna", "Climate action", "#3F7E44"),
    (14, "Hav och marina resurser", "Life below water", "#0A97D9"),
    (15, "Ekosystem och biologisk mångfald", "Life on land", "#56C02B"),
    (
        16,
        "Fredliga och inkluderande samhällen",
        "Peace, justice and strong institutions",
        "#00689D",
    ),
    (17, "Genomförande och globalt partnerskap", "Partnerships for the goals", "#19486A"),
]


def forwards(apps, schema_editor):
    Sdg = apps.get_model("programme", "Sdg")
    for number, title_sv, title_en, colour in GOALS:
        Sdg.objects.get_or_create(
            number=number, defaults={"title_sv": title_sv, "title_en": title_en, "colour": colour}
        )


class Migration(migrations.Migration):
    dependencies = [("programme", "0017_agenda_2030_key_figures")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
