"""Background work for insights: the report page queues a report, a worker builds it."""

from __future__ import annotations

from django_tasks import task

from constellation.insights import reports


@task()
def build_report_task(report_id: int, language: str = "") -> None:
    """Build a queued report in the requester's language. Does nothing if it is gone or already taken."""
    reports.run_report(report_id, language)


@task()
def warm_benchmarks_task(network_id: int) -> None:
    """Recompute and cache a network's peer statistics after a submission. Safe to run twice."""
    from constellation.insights.benchmarks import warm_statistics
    from constellation.networks.models import Network

    network = Network.objects.filter(pk=network_id).first()
    if network is not None:
        warm_statistics(network)
