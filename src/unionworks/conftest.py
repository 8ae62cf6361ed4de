import pytest

from unionworks.accounts.models import User
from unionworks.core.tests.factories import PASSWORD, UnitFactory, UserFactory, small_province


@pytest.fixture
def world(db):
    """A small province with one account of each kind that scoping tests need."""
    w = small_province()
    w["province_admin"] = UserFactory(username="admin", org=w["province"], role=User.Role.ADMIN)
    w["taiyuan_admin"] = UserFactory(username="taiyuan", org=w["taiyuan"], role=User.Role.ADMIN)
    w["taiyuan_viewer"] = UserFactory(
        username="taiyuan_viewer", org=w["taiyuan"], role=User.Role.VIEWER
    )
    w["datong_editor"] = UserFactory(username="datong", org=w["datong"], role=User.Role.EDITOR)
    w["taiyuan_unit"] = UnitFactory(
        name="太原重型机械有限公司", org=w["township"], union=w["grassroots"]
    )
    w["datong_unit"] = UnitFactory(name="大同煤矿集团有限责任公司", org=w["pingcheng"])
    w["password"] = PASSWORD
    return w


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with nothing kept: a test's rolled-back notes are gone with it."""
    from django.core.cache import cache

    from unionworks.stats.values import forget_everything

    cache.clear()
    forget_everything()
    yield
    cache.clear()
    forget_everything()


@pytest.fixture(autouse=True)
def _tasks_not_niced(settings):
    """run_tasks called in the test process must not lower the whole suite's priority."""
    settings.TASK_NICENESS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow by design; tests hash with MD5 (test_security proves Argon2 is configured)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture
def shared_cache(settings):
    """The cache as production has it: Redis, shared by the workers ($TEST_REDIS_URL, else
    one found or started by tools/testredis.py — never skipped), on a database of its own."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        tool = Path(__file__).resolve().parents[2] / "tools" / "testredis.py"
        found = subprocess.run([sys.executable, str(tool)], capture_output=True, text=True)
        if found.returncode != 0:
            pytest.fail(found.stderr.strip() or "no Redis for the tests")
        url = found.stdout.strip()
        os.environ["TEST_REDIS_URL"] = url
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{base}/15",  # flushed by the tests: never the database in use
        }
    }
    settings.SHARE_KEPT_FIGURES = True
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()
