"""Find or start a PostgreSQL for the second run of the test suite and print its URL.

Order: $TEST_DATABASE_URL; the local server on 127.0.0.1:5432 (user postgres, trust);
a throwaway cluster started from the installed server binaries under var/pgtest;
failing all of those, exit 1 saying how to get one. Never prints an empty URL.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
CLUSTER = ROOT / "var" / "pgtest"
PORT = int(os.environ.get("UNIONWORKS_PGTEST_PORT", "54329"))


def answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("select 1")
        return True
    except Exception:
        return False


def server_binaries() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.insert(0, found)
    for initdb in candidates:
        bindir = Path(initdb).parent
        if (bindir / "pg_ctl").exists() and (bindir / "postgres").exists():
            return bindir
    return None


def as_cluster_owner(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: run them as the postgres account.
    if os.geteuid() == 0:
        owner = (
            "postgres"
            if subprocess.run(["id", "postgres"], capture_output=True).returncode == 0
            else "nobody"
        )
        subprocess.run(["chown", "-R", owner, str(CLUSTER.parent)], check=True)
        return ["runuser", "-u", owner, "--", *cmd]
    return cmd


def start_throwaway(bindir: Path) -> str:
    url = f"postgresql://postgres@127.0.0.1:{PORT}/postgres"
    if answers(url):
        return url
    CLUSTER.parent.mkdir(parents=True, exist_ok=True)
    if not (CLUSTER / "PG_VERSION").exists():
        subprocess.run(
            as_cluster_owner(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(CLUSTER),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    subprocess.run(
        as_cluster_owner(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(CLUSTER),
                "-l",
                str(CLUSTER.parent / "pgtest.log"),
                "-o",
                f"-p {PORT} -k {CLUSTER.parent} -c listen_addresses=127.0.0.1 -c fsync=off",
                "-w",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if not answers(url):
        raise RuntimeError("started cluster does not answer")
    return url


def main() -> int:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        if not answers(url):
            print(f"TEST_DATABASE_URL={url} does not answer", file=sys.stderr)
            return 1
        print(url)
        return 0
    local = "postgresql://postgres@127.0.0.1:5432/postgres"
    if answers(local):
        print(local)
        return 0
    bindir = server_binaries()
    if bindir is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("No PostgreSQL found: installing Debian's postgresql package…", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], stdout=subprocess.DEVNULL)
        bindir = server_binaries()
    if bindir is not None:
        try:
            print(start_throwaway(bindir))
            return 0
        except (subprocess.CalledProcessError, RuntimeError) as exc:
            print(f"Could not start a throwaway PostgreSQL from {bindir}: {exc}", file=sys.stderr)
    print(
        "make test needs PostgreSQL for its second run and found none.\n"
        "Either set TEST_DATABASE_URL=postgresql://user@host:port/db, run a server on\n"
        "127.0.0.1:5432 that trusts user postgres, or install the server binaries\n"
        "(Debian/Ubuntu: apt-get install postgresql) so a throwaway cluster can be started.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
