"""gunicorn's settings for `make serve` from the environment: address, workers, limits, proxies."""

import ipaddress
import multiprocessing
import os

import gunicorn  # type: ignore[import-untyped]  # gunicorn ships no type hints

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or multiprocessing.cpu_count() * 2 + 1
# A request that takes longer than this is a bug or an attack: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound (0: never).
# A recycled worker starts cold (its first requests import and compile templates: the
# p99 spikes of issue 24), so not often: at 2,400 requests a second over two workers,
# 5,000 replaced one every two seconds; 100,000 every 40 s. The jitter (10 %) keeps the
# workers from being replaced together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# The site logs each request itself (with its request id), so gunicorn's access log is off.
accesslog = None
errorlog = "-"
# Heartbeat files in memory, not on a disk that may be slow or full.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108


def _trusted_proxies() -> str:
    """TRUSTED_PROXIES as gunicorn takes it: addresses and networks, comma-separated.

    Read as fanwiki.settings reads it (that module is not imported here: gunicorn reads
    this file before Django is set up). An address is passed on as an address, and a
    network as the network it names ("192.168.0.1/24" as "192.168.0.0/24"): the settings
    accept host bits, gunicorn refuses them. An empty string makes gunicorn trust no peer.
    """
    entries = [e.strip() for e in os.environ.get("TRUSTED_PROXIES", "").split(",") if e.strip()]
    trusted = []
    for entry in entries:
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(
                f"TRUSTED_PROXIES: {entry!r} is not an address or a network."
            ) from None
        if network.num_addresses == 1:
            trusted.append(str(network.network_address))
        elif gunicorn.version_info < (24, 1):
            # Older versions compare the peer's address with each entry as text.
            raise ValueError(f"TRUSTED_PROXIES: {entry!r} is a network: it needs gunicorn 24.1.")
        else:
            trusted.append(str(network))
    return ",".join(trusted)


# The peers whose X-Forwarded-Proto (and gunicorn's other secure_scheme_headers) gunicorn
# believes: the proxies Django believes about X-Forwarded-For, and nobody when
# TRUSTED_PROXIES is unset. That header sets wsgi.url_scheme, which Django's
# request.is_secure() follows unless SECURE_PROXY_SSL_HEADER is set. gunicorn's own
# default, 127.0.0.1 and ::1, believed any process on this machine. The same peers may
# use the PROXY protocol, should it be turned on with --proxy-protocol.
forwarded_allow_ips = _trusted_proxies()
proxy_allow_ips = forwarded_allow_ips
