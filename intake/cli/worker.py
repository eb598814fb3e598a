"""`intake worker`: the consumer that renders summaries, sends email and runs
the periodic jobs (catch-up every minute, the retention sweep daily).

Run one per machine or more (several share a Redis queue). Ctrl+C (SIGINT)
stops after the job in hand; SIGTERM stops at once, and the catch-up of the
next start queues what was cut off, so no job is lost either way.
"""

from __future__ import annotations

import logging
import os

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--workers", "-w", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Jobs run at once (threads). Renders are CPU-bound: for more cores "
                   "run more worker processes.")
@click.option("--nice", "niceness", default=10, show_default=True, type=click.IntRange(0, 19),
              help="Run at this lower CPU priority, so that renders on the web server's "
                   "machine give way to patients' requests.")
@with_appcontext
def worker_command(workers: int, niceness: int) -> None:
    """Run the job queue's consumer until stopped."""
    from intake.jobs import jobs_for

    app = current_app._get_current_object()
    if niceness:
        os.nice(niceness)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        # WeasyPrint logs each layout step of every render at INFO (a dozen
        # lines per summary); its warnings still show.
        logging.getLogger("weasyprint").setLevel(logging.WARNING)
    jobs = jobs_for(app)
    if jobs.huey.immediate:
        raise click.ClickException("INTAKE_QUEUE_IMMEDIATE is set: there is no queue to consume")
    try:
        from intake.documents.render import warm_up

        warm_up()
    except Exception as exc:  # fonts or Pango missing: each render records it
        logging.getLogger(__name__).warning("render warm-up failed (%s)", type(exc).__name__)
    # Whatever a crash left (a job in hand when the last worker died) is queued again.
    jobs.catch_up(grace_seconds=0)
    consumer = jobs.huey.create_consumer(workers=workers, worker_type="thread",
                                         periodic=True, check_worker_health=True)
    click.echo(f"intake worker: {workers} worker(s) on {_where(app.config['QUEUE_URL'])}")
    consumer.run()


def _where(url: str) -> str:
    """The queue's storage without any password in it."""
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.rsplit('@', 1)[1]}"
    return url
