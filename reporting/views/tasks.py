"""*Mina uppgifter*: what waits for the user, whoever they are."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from programme.permissions import is_administrator, is_strategist

from .. import selectors


@require_safe
@login_required
def my_tasks(request):
    context = {"groups": selectors.tasks_for(request.user)}
    if is_strategist(request.user):
        context["strategist"] = selectors.strategist_tasks()
    context["administrator"] = is_administrator(request.user)
    return render(request, "reporting/my_tasks.html", context)
