from django_tasks import task


@task()
def compile_report_task(report_id: int) -> None:
    from .reports import report_build

    report_build(report_id=report_id)


@task()
def heartbeat_task() -> None:
    """Sent by the scheduler each minute: a worker that runs it is alive (see /healthz/)."""
    from .models import Heartbeat

    Heartbeat.beat("worker")
