"""`agora worker`: run background jobs (webhooks, e-mail, digests) from the Redis queue."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from agora.infra import queue


class Command(BaseCommand):
    help = "Run background jobs from the task queue until stopped (SIGTERM/SIGINT)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--threads", type=int, default=4, help="Jobs run at the same time.")

    def handle(self, *args, threads: int, **options) -> None:
        if queue.IN_PROCESS:
            raise CommandError("Set AGORA_REDIS_URL to run a separate worker; without Redis the "
                               "jobs run inside `agora serve`.")
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"agora worker: {threads} thread(s) on queue '{queue.QUEUE}'")
        self.stdout.flush()
        queue.run_worker(threads, stop)
