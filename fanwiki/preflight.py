"""`python -m fanwiki.preflight`: say in one line why production settings cannot start."""

import sys

from django.core.exceptions import ImproperlyConfigured


def main() -> int:
    try:
        import fanwiki.settings  # noqa: F401 - importing is the check
    except ImproperlyConfigured as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
