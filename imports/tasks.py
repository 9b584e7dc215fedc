"""Background tasks (django-tasks) for files too large to check or import inside a request.

With the database backend (``settings.TASKS``) the tasks wait in the
database until ``python manage.py db_worker`` picks them up; tests use the
immediate backend. Each task only looks the job up and hands it to
``imports.jobs``, which records progress and the outcome on the job.
"""

from django_tasks import task

from . import jobs
from .models import ImportJob


@task()
def analyse_import_job(job_id):
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None and job.status == ImportJob.Status.QUEUED:
        jobs.analyse(job)
    return job_id


@task()
def run_import_job(job_id):
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None and job.status == ImportJob.Status.IMPORTING:
        jobs.run_import(job)
    return job_id
