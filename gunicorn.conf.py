"""gunicorn settings for coachkit: `gunicorn -c gunicorn.conf.py wsgi:app`.

Each can be overridden on the command line (e.g. `--workers 8 --bind 0.0.0.0:8000`).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# One JSON line per request on standard output, written by the app (coachkit/request_log.py):
# no query strings, cookies, form bodies or one-time tokens (invite and set-password links).
accesslog = "-"
logger_class = "coachkit.request_log.RedactingLogger"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
timeout = 30
