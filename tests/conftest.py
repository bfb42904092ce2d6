"""Shared pytest setup. Fixtures live in tests/support/<part>.py, one module per real part."""

pytest_plugins: list[str] = [
    "tests.support.moto_server",
]
