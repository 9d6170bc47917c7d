import pytest


@pytest.fixture(autouse=True)
def no_address_limit_on_log_ins(settings):
    """The per-address rate limit on log-ins (tests/fanwiki/test_ratelimits.py) would answer
    the 31st attempt before the lockout does: these tests are about accounts and the lockout."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": ""}
