"""Shared start-up for the benchmark scripts: Django on the database DATABASE_URL names."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionworks.settings")


def django_setup():
    import django

    django.setup()


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"n={len(samples)} median={statistics.median(samples) * 1000:.2f} ms p99={p99 * 1000:.2f} ms max={ordered[-1] * 1000:.2f} ms"
