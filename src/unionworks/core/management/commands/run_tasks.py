"""manage.py run_tasks: a task worker for TASKS_MODE="worker" (run one or more of them).

When it starts, and every minute, it also marks failed the tasks left running by a worker
(or web process) that died (``tasks.fail_abandoned``).

It runs at a lower CPU priority than the web workers (``TASK_NICENESS``, 10 by default;
its import pools inherit it): an upload of a province's roll must not make twenty
clerks wait for their pages on the same cores."""

import os
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from unionworks.core import tasks

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Command(BaseCommand):
    help = "运行排队中的后台任务（导入、报表等），直到被停止；--once 处理完当前队列即退出。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="队列为空时退出")
        parser.add_argument("--poll", type=float, default=2.0, help="队列为空时的轮询间隔（秒）")
        parser.add_argument(
            "--nice",
            type=int,
            default=None,
            help="降低本进程的CPU优先级（默认取设置 TASK_NICENESS，即10；0为不降低）",
        )

    def handle(self, *args, once=False, poll=2.0, nice=None, **options):
        niceness = getattr(settings, "TASK_NICENESS", 10) if nice is None else nice
        if niceness > 0:
            os.nice(niceness)
        stop = threading.Event()
        # Finish the task in hand on SIGINT/SIGTERM; the caller's handlers come back after.
        before = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in STOP_SIGNALS}
        try:
            ran = tasks.work(once=once, poll_seconds=poll, stop=stop)
        finally:
            for sig, handler in before.items():
                signal.signal(sig, handler)
        self.stdout.write(f"已处理 {ran} 个任务")
