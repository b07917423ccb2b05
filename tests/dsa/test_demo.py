"""The demo newspaper shows the DSA flows at once: a notice, a statement and a complaint."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from agora.dsa.models import Appeal, Notice, Statement

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_notice_a_statement_and_an_appeal(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    notice = Notice.objects.get()
    assert notice.status == Notice.Status.OPEN and notice.comment.status == "approved"
    appeal = Appeal.objects.get()
    assert appeal.status == Appeal.Status.OPEN and appeal.statement.restriction == Statement.Restriction.HOLD
    assert appeal.statement.automation == Statement.Automation.FULLY
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Notice.objects.count(), Appeal.objects.count()) == (1, 1)
