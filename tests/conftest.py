"""Shared pytest setup. Fixtures live in tests/support/<part>.py, one module per real part."""

pytest_plugins: list[str] = [
    "tests.support.mapping",
    "tests.support.checkov",
    "tests.support.maven_repo",
    "tests.support.terraform",
    "tests.support.jvm",
    "tests.support.postgres",
    "tests.support.mariadb",
    "tests.support.moto_server",
    "tests.support.fault_proxy",
]
