"""django-csp's middleware, with the policy built once per process instead of per answer.

Building the header (django-csp 4: copying the settings' directives, turning them
into a dataclass and back, joining them) was a quarter of the middleware's time on
every answer, cached pages included, though this site's policy never changes between
answers: it uses no nonce and no per-view update. An answer that has one (a nonce
asked for, a view's ``@csp_update``, ``@csp_replace`` or ``@csp``) or a setting with
excluded URL prefixes goes through django-csp's own code, as does anything in
DEBUG's error pages; the built headers are forgotten when the settings change (tests).
"""

from dataclasses import asdict
from functools import cache
from types import SimpleNamespace

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as Upstream
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.test.signals import setting_changed

_PER_ANSWER = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


_TOO_LATE = CheckableLazyObject(Upstream._csp_nonce_post_response)


class CSPMiddleware(Upstream):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in _PER_ANSWER)
            or settings.DEBUG
            or _excluded_prefixes()
        ):
            return super().process_response(request, response)
        enforced, report_only = self._built()
        if enforced and HEADER not in response and not getattr(response, "_csp_exempt", False):
            response[HEADER] = enforced
        if (
            report_only
            and HEADER_REPORT_ONLY not in response
            and not getattr(response, "_csp_exempt_ro", False)
        ):
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp does: a nonce asked for after the header is written is an error
        # (one object for every answer: it holds nothing, it only raises).
        request.csp_nonce = _TOO_LATE  # type: ignore[attr-defined]
        return response

    def _built(self) -> tuple[str, str]:
        return _policies(self)


@cache
def _policies(middleware: Upstream) -> tuple[str, str]:
    """The two headers as django-csp builds them for an answer with no nonce or update."""
    nothing = SimpleNamespace()
    enforced = middleware.get_policy_parts(request=nothing, response=nothing)  # type: ignore[arg-type]
    report_only = middleware.get_policy_parts(
        request=nothing,  # type: ignore[arg-type]
        response=nothing,  # type: ignore[arg-type]
        report_only=True,
    )
    return build_policy(**asdict(enforced)), build_policy(**asdict(report_only), report_only=True)


@cache
def _excluded_prefixes() -> bool:
    return any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    )


def _forget(setting: str, **kwargs: object) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _policies.cache_clear()
        _excluded_prefixes.cache_clear()


setting_changed.connect(_forget, dispatch_uid="fanwiki-csp-settings")
