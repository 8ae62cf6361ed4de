"""Two web workers without a shared cache give the same, fresh figures: a member joins
through one worker and the other worker's next answer counts them.

Each worker keeps figures in its own memory; what makes them fresh is the change notes
in the database (core.changes), which both read. Needs a database two processes can
share: PostgreSQL (the SQLite test database lives in the test process's memory).
"""

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.error import URLError
from urllib.parse import quote

import pytest
from django.db import connection

from unionworks.accounts.services import issue_api_token
from unionworks.members.tests.factories import new_id_number

SRC = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two processes, one database"),
    pytest.mark.django_db(transaction=True),
]


def database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgresql://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(port: int, path: str, token: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def serve(port: int, log) -> subprocess.Popen:
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},  # per-process caches
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(SRC),
        "TASKS_MODE": "eager",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "django",
            "runserver",
            "--noreload",
            "--nothreading",
            f"127.0.0.1:{port}",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "unionworks.settings"},
        stdout=log,
        stderr=log,
    )


def wait_until_serving(port: int, token: str, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            call(port, "/indicators/", token)
            return
        except (URLError, ConnectionError):
            assert process.poll() is None, "the server stopped"
            assert time.monotonic() < deadline, "the server did not answer in time"
            time.sleep(0.1)  # polling, with a deadline


def test_a_write_through_one_worker_shows_through_the_other(world, tmp_path):
    token = issue_api_token(user=world["province_admin"], name="test")
    ports = [free_port(), free_port()]
    logs = [(tmp_path / f"worker{i}.log").open("w") for i in range(2)]
    workers = [serve(port, log) for port, log in zip(ports, logs, strict=True)]
    members = "/values/?indicators=members&period=@2008-09-30"
    try:
        for port, worker in zip(ports, workers, strict=True):
            wait_until_serving(port, token, worker)
        for port in ports:  # each now keeps the figures in its own memory
            assert call(port, members, token)["rows"][0]["values"]["members"] == 0
        joined = {
            "org": world["grassroots"].pk,
            "id_number": new_id_number(),
            "name": "李四",
            "joined_on": dt.date(2008, 5, 1).isoformat(),
        }
        call(ports[0], "/members/", token, joined)
        assert call(ports[1], members, token)["rows"][0]["values"]["members"] == 1
        assert call(ports[0], members, token)["rows"][0]["values"]["members"] == 1
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        for log in logs:
            log.close()
