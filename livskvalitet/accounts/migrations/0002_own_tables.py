# The tables moved with their models (0001) take accounts' names.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_moved_from_programme'),
        ('programme', '0011_sign_in_moved_to_accounts'),
    ]

    operations = [
        migrations.AlterModelTable(name='cityaccount', table=None),
        migrations.AlterModelTable(name='signinmapping', table=None),
        migrations.AlterModelTable(name='historicalsigninmapping', table=None),
    ]
