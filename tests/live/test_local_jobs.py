"""The embedded default runs background jobs on threads of the web process: a process lets its
jobs finish before it exits, and a job stuck in a long back-off cannot hold the exit."""

from __future__ import annotations

import time

import dramatiq
import pytest

from agora.infra import queue

finished: list[str] = []


@dramatiq.actor(queue_name=queue.QUEUE, max_retries=0)
def record_after_a_moment(label: str) -> None:
    time.sleep(0.2)
    finished.append(label)


@pytest.fixture(autouse=True)
def _in_process_only():
    if not queue.IN_PROCESS:
        pytest.skip("jobs go to Redis here (AGORA_REDIS_URL): there is no in-process worker")
    finished.clear()


def test_draining_waits_for_every_queued_job():
    for label in ("first", "second", "third"):
        queue.enqueue(record_after_a_moment, label)
    assert queue.drain_local_jobs(timeout_seconds=10) is True
    assert sorted(finished) == ["first", "second", "third"]


def test_a_job_waiting_past_the_timeout_is_dropped_and_the_next_job_still_runs():
    queue.enqueue(record_after_a_moment, "in an hour", delay_seconds=3600)
    started = time.monotonic()
    assert queue.drain_local_jobs(timeout_seconds=0.5) is False
    assert time.monotonic() - started < 5

    queue.enqueue(record_after_a_moment, "now")
    assert queue.drain_local_jobs(timeout_seconds=10) is True
    assert finished == ["now"]
