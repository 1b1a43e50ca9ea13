# The sign-in's models were programme's (programme/migrations/0008_city_sign_in.py). Here
# they become accounts' in Django's state only, on the tables that hold their rows; the
# content types (and with them permissions and the admin's history) follow them. The
# tables get accounts' names in 0002.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ["cityaccount", "signinmapping", "historicalsigninmapping"]


def content_types_to(app_label, other):
    def move(apps, schema_editor):
        types = apps.get_model("contenttypes", "ContentType").objects.using(
            schema_editor.connection.alias
        )
        for model in MODELS:
            if not types.filter(app_label=app_label, model=model).exists():
                types.filter(app_label=other, model=model).update(app_label=app_label)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('programme', '0010_programme_published'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalSignInMapping',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('claim_value', models.CharField(db_index=True, max_length=200, verbose_name="group or role in the city's sign-in")),
                        ('description', models.CharField(blank=True, help_text="For example the group's name.", max_length=200, verbose_name='description')),
                        ('strategist', models.BooleanField(default=False, verbose_name='strategist')),
                        ('role', models.CharField(choices=[('reporter', 'reporter'), ('approver', 'approver')], default='reporter', help_text='The role in the organisation.', max_length=20, verbose_name='role')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programme.organisation', verbose_name='organisation')),
                    ],
                    options={
                        'verbose_name': 'historical sign-in mapping',
                        'verbose_name_plural': 'historical sign-in mappings',
                        'db_table': 'programme_historicalsigninmapping',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='SignInMapping',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('claim_value', models.CharField(max_length=200, unique=True, verbose_name="group or role in the city's sign-in")),
                        ('description', models.CharField(blank=True, help_text="For example the group's name.", max_length=200, verbose_name='description')),
                        ('strategist', models.BooleanField(default=False, verbose_name='strategist')),
                        ('role', models.CharField(choices=[('reporter', 'reporter'), ('approver', 'approver')], default='reporter', help_text='The role in the organisation.', max_length=20, verbose_name='role')),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sign_in_mappings', to='programme.organisation', verbose_name='organisation')),
                    ],
                    options={
                        'verbose_name': 'sign-in mapping',
                        'verbose_name_plural': 'sign-in mappings',
                        'db_table': 'programme_signinmapping',
                        'ordering': ['claim_value'],
                    },
                ),
                migrations.CreateModel(
                    name='CityAccount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('issuer', models.CharField(editable=False, max_length=500, verbose_name='issuer')),
                        ('subject', models.CharField(editable=False, max_length=255, verbose_name='subject')),
                        ('strategist_from_sign_in', models.BooleanField(default=False, editable=False, verbose_name="strategist from the city's sign-in")),
                        ('first_signed_in', models.DateTimeField(auto_now_add=True, verbose_name='first signed in')),
                        ('last_signed_in', models.DateTimeField(editable=False, null=True, verbose_name='last signed in')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='city_account', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'city account',
                        'verbose_name_plural': 'city accounts',
                        'db_table': 'programme_cityaccount',
                        'constraints': [models.UniqueConstraint(fields=('issuer', 'subject'), name='city_account_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_types_to("accounts", "programme"), content_types_to("programme", "accounts")
        ),
    ]
