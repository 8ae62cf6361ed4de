# The browser fixtures live with the other browser tests (unionworks/tests/conftest.py).
from unionworks.tests.conftest import chromium, page  # noqa: F401
