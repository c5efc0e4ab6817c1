"""Stage 3's background work: thin tasks that call a service."""

from celery import shared_task

from . import services


@shared_task(name="evaluation.send_reflection_prompts")
def send_reflection_prompts():
    return services.send_reflection_prompts()


# --- self-assessments ---


@shared_task(name="evaluation.send_self_assessment_requests")
def send_self_assessment_requests():
    return services.send_self_assessment_requests()


# --- reports to authorisers ---


@shared_task(name="evaluation.create_due_reports")
def create_due_reports():
    return services.create_due_reports()


@shared_task(name="evaluation.build_report")
def build_report(*, report_id):
    return services.build_and_send_report(report_id=report_id)
