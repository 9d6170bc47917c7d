"""gunicorn's settings for `make serve`: address, workers and time limits from the environment."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or multiprocessing.cpu_count() * 2 + 1
# A request that takes longer than this is a bug or an attack: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound (0: never).
# A recycled worker starts with an empty in-memory cache: with REDIS_URL it loses nothing.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The site logs each request itself (with its request id), so gunicorn's access log is off.
accesslog = None
errorlog = "-"
# Heartbeat files in memory, not on a disk that may be slow or full.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
