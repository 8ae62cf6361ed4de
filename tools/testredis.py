"""Find or start a Redis for the tests that use one, and print its URL.

Order: $TEST_REDIS_URL; a server on 127.0.0.1:6379; a throwaway ``redis-server`` from
Debian's package (installed first when run as root), in the background on a port of its
own with nothing saved to disk; failing all of those, exit 1 saying how to get one.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("UNIONWORKS_REDISTEST_PORT", "63799"))


def answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except Exception:
        return False


def start_throwaway(binary: str) -> str | None:
    url = f"redis://127.0.0.1:{PORT}/0"
    if answers(url):
        return url
    folder = ROOT / "var" / "redistest"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.Popen(
        [binary, "--port", str(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder), "--daemonize", "yes", "--logfile", str(folder / "redis.log")],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if answers(url):
            return url
        time.sleep(0.1)  # polling, with a deadline
    return None


def main() -> int:
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        if not answers(url):
            print(f"TEST_REDIS_URL={url} does not answer", file=sys.stderr)
            return 1
        print(url)
        return 0
    local = "redis://127.0.0.1:6379/0"
    if answers(local):
        print(local)
        return 0
    binary = shutil.which("redis-server")
    if binary is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("No Redis found: installing Debian's redis-server package…", file=sys.stderr)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "redis-server"],
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        binary = shutil.which("redis-server")
    found = start_throwaway(binary) if binary else None
    if found is None:
        print(
            "No Redis for the tests: set TEST_REDIS_URL, run one on 127.0.0.1:6379, "
            "or install Debian's redis-server package (apt-get install redis-server).",
            file=sys.stderr,
        )
        return 1
    print(found)
    return 0


if __name__ == "__main__":
    socket.setdefaulttimeout(5)
    sys.exit(main())
