"""The task queue on Dramatiq (the jobs themselves are in `agora.jobs`).

With Redis (`AGORA_REDIS_URL`) jobs go to a Redis queue and `agora worker` runs them. Dramatiq
acknowledges a job only after it succeeded; a worker that dies mid-job stops sending heartbeats
and its unacknowledged jobs go back to the queue for another worker. Without Redis (the
embedded default) the same jobs run in this process on a few background threads, after the
request's transaction committed and outside the request.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import dramatiq
from django.conf import settings
from django.db import close_old_connections, connections
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.common import dq_name
from dramatiq.errors import QueueJoinTimeout
from dramatiq.middleware import Middleware

from agora.infra import metrics, redis_state

logger = logging.getLogger("agora.jobs")

QUEUE = "agora"
NAMESPACE = "agora-tasks"
# The queue's Lua scripts do more than a cache read (maintenance requeues dead workers' jobs).
BROKER_SOCKET_TIMEOUT_SECONDS = 2.0
OUTBOX_SIZE = 10_000


class DjangoDatabaseConnections(Middleware):
    """Jobs run on worker threads: give each a healthy connection and close it afterwards."""

    def __init__(self, close_after_job: bool) -> None:
        self.close_after_job = close_after_job

    def before_process_message(self, broker, message):
        close_old_connections()

    def after_process_message(self, broker, message, *, result=None, exception=None):
        outcome = "failed" if exception is not None else "succeeded"
        metrics.tasks_total.labels(task=message.actor_name, outcome=outcome).inc()
        if self.close_after_job:
            connections.close_all()
        else:
            close_old_connections()

    after_skip_message = after_process_message


def _make_broker() -> dramatiq.Broker:
    url = settings.REDIS_URL
    if url:
        # Short socket timeouts: a Redis that accepts connections but never answers would
        # otherwise hold the sending thread forever (redis-py waits without a limit by default).
        broker = RedisBroker(url=url, namespace=NAMESPACE,
                             heartbeat_timeout=settings.TASK_HEARTBEAT_TIMEOUT_MS,
                             maintenance_chance=settings.TASK_MAINTENANCE_CHANCE,
                             socket_connect_timeout=redis_state.CONNECT_TIMEOUT_SECONDS,
                             socket_timeout=BROKER_SOCKET_TIMEOUT_SECONDS)
    else:
        broker = StubBroker()
    broker.add_middleware(DjangoDatabaseConnections(close_after_job=not url))
    return broker


broker = _make_broker()
dramatiq.set_broker(broker)
IN_PROCESS = isinstance(broker, StubBroker)
_local_worker: dramatiq.Worker | None = None
_local_lock = threading.Lock()
_fallback_threads: set[threading.Thread] = set()


def _ensure_local_worker() -> None:
    global _local_worker
    with _local_lock:
        if _local_worker is None:
            _local_worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=200)
            _local_worker.start()


def drain_local_jobs(timeout_seconds: float = 5.0) -> bool:
    """Wait for the jobs running in this process to finish. Jobs still waiting after the
    timeout (retries with a back-off) are dropped and the local worker stops; the next job
    starts a new one. Returns whether everything finished.

    A process that exits calls this, so a command's last e-mails and webhooks still go out;
    the test suite calls it between tests, so no job touches the next test's database."""
    global _local_worker
    drain_outbox(timeout_seconds)
    for thread in list(_fallback_threads):
        thread.join(timeout_seconds)
    worker = _local_worker
    if worker is None:
        return True
    try:
        # Not under the lock: a running job may queue another (a webhook's retry).
        broker.join(QUEUE, timeout=int(timeout_seconds * 1000), fail_fast=False)
        worker.join()
        return True
    except QueueJoinTimeout:
        logger.warning("in-process jobs still waiting after %.0f s were dropped", timeout_seconds)
    with _local_lock:
        worker.stop(timeout=int(timeout_seconds * 1000))
        _local_worker = None
        # Messages the stopped worker held count as unfinished forever: start the queues anew.
        for name in (QUEUE, dq_name(QUEUE)):
            broker.queues[name] = type(broker.queues[name])()
    return False


atexit.register(drain_local_jobs)


def enqueue(actor: dramatiq.Actor, *args: Any, delay_seconds: float | None = None) -> None:
    """Queue a job. A request never waits for the queue: with Redis the job goes to this
    process's outbox, which one thread sends on; while Redis is down (or the outbox is full) the
    job runs on a thread of this process instead (no retries then). A missing or hung Redis
    never turns into an error page or a request that hangs."""
    options = {"delay": int(delay_seconds * 1000)} if delay_seconds else {}
    if IN_PROCESS:
        _ensure_local_worker()
        actor.send_with_options(args=args, **options)  # an in-memory queue: never blocks
        return
    if redis_state.is_down():
        _run_in_thread(actor, args)
        return
    _ensure_sender()
    try:
        _outbox.put_nowait((actor, args, options))
    except queue.Full:
        _run_in_thread(actor, args)


_outbox: queue.Queue[tuple[dramatiq.Actor, tuple, dict]] = queue.Queue(maxsize=OUTBOX_SIZE)
_sender: threading.Thread | None = None


def _ensure_sender() -> None:
    global _sender
    with _local_lock:
        if _sender is None or not _sender.is_alive():
            _sender = threading.Thread(target=_send_forever, name="agora-task-outbox", daemon=True)
            _sender.start()


def _send_forever() -> None:
    while True:
        actor, args, options = _outbox.get()
        try:
            _send(actor, args, options)
        finally:
            _outbox.task_done()


def _send(actor: dramatiq.Actor, args: tuple, options: dict) -> None:
    if not redis_state.is_down():
        try:
            actor.send_with_options(args=args, **options)
            redis_state.mark_up()
            return
        except redis_state.ERRORS as error:
            redis_state.mark_down(error)
            logger.warning("task queue unreachable (%s): running %s in this process", error,
                           actor.actor_name)
    _run_in_thread(actor, args)


def _run_in_thread(actor: dramatiq.Actor, args: tuple) -> None:
    thread = threading.Thread(target=_run_here, args=(actor.fn, args), daemon=True)
    _fallback_threads.add(thread)
    thread.start()


def drain_outbox(timeout_seconds: float = 5.0) -> bool:
    """Wait until the outbox sent (or ran) everything queued so far."""
    deadline = time.monotonic() + timeout_seconds
    while _outbox.unfinished_tasks and time.monotonic() < deadline:
        time.sleep(0.01)
    return not _outbox.unfinished_tasks


def _run_here(function: Callable, args: tuple) -> None:
    try:
        function(*args)
    except Exception:
        logger.exception("background job %s failed", function.__name__)
    finally:
        connections.close_all()
        _fallback_threads.discard(threading.current_thread())


def queue_depths() -> dict[str, int]:
    if IN_PROCESS:
        return {name: queue.qsize() for name, queue in broker.queues.items()}
    try:
        client = broker.client
        return {name: client.llen(f"{NAMESPACE}:{name}") for name in (QUEUE, f"{QUEUE}.DQ")}
    except redis_state.ERRORS:
        return {}


def run_worker(threads: int, stop: threading.Event) -> None:
    """Consume jobs until `stop` is set (`agora worker`)."""
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=500)
    worker.start()
    try:
        stop.wait()
    finally:
        worker.stop()
