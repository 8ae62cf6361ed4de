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


def median_of(fn, runs: int) -> float:
    return statistics.median(timed(fn)[0] for _ in range(runs))


def dashboard_against_sql(project_code: str, period_code: str, sql: str, headline, runs: int):
    """A project's dashboard for the province admin, cold (kept figures and cache emptied)
    and warm, through the selector and through Django's whole request path, against one
    hand-written SQL of its headline figures (``sql`` with ``%(start)s``/``%(as_of)s``
    returning ``headline`` in order); every headline figure must equal the SQL's."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from unionworks.accounts.models import User
    from unionworks.core.periods import parse_period
    from unionworks.stats.selectors import project_dashboard
    from unionworks.stats.values import evaluate, forget_everything

    admin = User.objects.select_related("org").get(username="admin")
    province = admin.org
    period = parse_period(period_code)

    def cold():
        cache.clear()
        forget_everything()

    def dashboard():
        return project_dashboard(admin, project_code=project_code, org=province, period=period)

    cold()
    cold_dashboard, _board = timed(dashboard)
    warm_dashboard = median_of(dashboard, runs)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/stats/dashboards/{project_code}/?period={period.code}"
    cold()
    cold_page, response = timed(client.get, url)
    assert response.status_code == 200, response.status_code
    warm_page = median_of(lambda: client.get(url), runs)

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(sql, {"as_of": period.as_of, "start": period.start})
            return cursor.fetchone()

    row = reference()
    took = median_of(reference, runs)
    shown = evaluate(province, period, list(headline))[province.pk].figures
    print(f"database: {connection.vendor}; period {period.label}")
    for code, expected in zip(headline, row, strict=True):
        value = shown[code]
        same = abs(float(value or 0) - float(expected or 0)) < 1e-9
        print(f"  {code:24} dashboard {value!s:>18}  SQL {expected!s:>18}  {'=' if same else '≠'}")
        assert same, code
    print(f"dashboard (selector) cold {cold_dashboard:.3f} s, warm {warm_dashboard * 1000:.1f} ms")
    print(f"dashboard page       cold {cold_page:.3f} s, warm {warm_page * 1000:.1f} ms")
    print(f"hand-written SQL of the headline figures: {took * 1000:.1f} ms")
    print(
        f"ratios: selector cold/SQL {cold_dashboard / took:.1f}x, "
        f"page cold/SQL {cold_page / took:.1f}x"
    )
