from django_tasks import task


@task()
def compile_report_task(report_id: int) -> None:
    from .reports import report_build

    report_build(report_id=report_id)
