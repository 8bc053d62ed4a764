"""Settings for ``make bench``: the production middleware stack on a database of its own.

``bench.run`` sets ``BENCH_SQLITE_PATH`` before Django starts, and ``BENCH_DATABASE_URL`` replaces
it with a PostgreSQL database. The app's own ``DATABASE_URL`` is never used, so a benchmark run never
writes to the development database.
"""

import os

import dj_database_url

from partnerprep.settings import *  # noqa: F403

# Production mode, as gunicorn would run it, so DEBUG's query log and error pages cost nothing.
DEBUG = False
SECRET_KEY = "bench-only-secret-key-" + "x" * 40
ALLOWED_HOSTS = ["testserver"]
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

ROOT_URLCONF = "bench.urls"

# The manifest storage needs collectstatic, and the benchmark measures views, not static files.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if os.environ.get("BENCH_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["BENCH_DATABASE_URL"], conn_max_age=None)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("BENCH_SQLITE_PATH", "/tmp/partnerprep-bench.sqlite3"),
        }
    }

# Request logs would interleave with the results table.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
}
