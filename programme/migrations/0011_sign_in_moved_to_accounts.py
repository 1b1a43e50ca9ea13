# The sign-in's models move to livskvalitet.accounts (its 0001): they leave programme's
# state only; their tables and rows stay and are accounts' from then on.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_moved_from_programme'),
        ('programme', '0010_programme_published'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='CityAccount'),
                migrations.DeleteModel(name='HistoricalSignInMapping'),
                migrations.DeleteModel(name='SignInMapping'),
            ],
            database_operations=[],
        ),
    ]
