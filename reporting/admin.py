from django.contrib import admin
from django_tasks_db.models import DBTaskResult

# The task queue's own admin is English only and shows nothing an administrator acts on:
# a report's progress and any failure are on the report's page.
admin.site.unregister(DBTaskResult)
