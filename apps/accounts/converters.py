"""The username in a URL: anything but "/" and NUL.

A NUL character reaches the database as part of the lookup, and PostgreSQL
refuses a string holding one (a 500). No username can hold one, so an address
with one names no user: it does not match, and the answer is a 404.
"""

from django.urls import register_converter


class UsernameConverter:
    regex = "[^/\x00]{1,150}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UsernameConverter, "username")
