"""Plain helpers the tests share: builders, Marquee's fan server and news desk, raw HTTP calls, a tiny bot.

Fixtures live in the ``conftest.py`` files; what is here is imported by name, by tests and conftests alike.
"""
