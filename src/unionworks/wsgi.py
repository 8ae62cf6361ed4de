import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionworks.settings")
application = get_wsgi_application()

# With a shared cache, the worker takes the daily figures while it starts serving.
from unionworks.stats.warming import warm_in_background  # noqa: E402

warm_in_background()
