"""Build the MSK Connect custom-plugin ZIPs the rendered connectors need.

MSK Connect runs exactly one custom plugin per connector, so each ZIP holds
everything one connector kind loads: the Debezium connector archive from Maven
Central (``io/debezium/debezium-connector-<kind>/<v>/...-plugin.tar.gz``, as in
the reference walk-through's curl lines), the MSK config provider (for
``${secretsmanager:...}`` references), aws-msk-iam-auth, the Debezium
scripting SMT with a JSR-223 engine (Groovy) when filters need it, and the JDBC
drivers Debezium's archives leave out (licensing: Oracle's ojdbc11, IBM's jcc).
Which drivers is per-engine knowledge (``Engine.SOURCE_DRIVER_ARTIFACTS`` and
``Engine.SINK_DRIVER_ARTIFACTS``): a source ZIP gets its engine's source drivers,
the shared JDBC sink ZIP the sink drivers of every target engine in the estate.
A driver the connector archive already carries (some Debezium releases ship
ojdbc11) is not added a second time, so one driver version is on the classpath.

Every downloaded file is checked against the ``.sha1`` Maven publishes next to
it; a mismatch is refused. ``from_dir`` assembles from a local folder of jars
instead (offline). ZIPs are deterministic (sorted entries, fixed timestamps and
modes) and written atomically: ``<out>/<plugin-key>-<debezium-version>.zip``;
every ZIP of one build is assembled before the first is written, so a missing
artifact leaves no ZIP of that build behind.
"""

from __future__ import annotations

import hashlib
import io
import shlex
import tarfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .engines import all_engines, find_engine
from .engines.engine import MavenCoordinate
from .errors import InputError, ToolError
from .files import write_file
from .legacy_manifest import legacy_transform_types
from .mapping.selection import SCRIPTING_PLUGIN_PARTS
from .model import Connector, Pipeline
from .outdir import plugin_key, read_manifest
from .sinks import sink_plugins


def _plugin_kinds() -> tuple[str, ...]:
    """Every connector kind the registries name: each source engine's plugin, then the sink kinds' (JDBC)."""
    engines = [engine() for engine in all_engines().values()]
    plugins = [e.source_plugin for e in engines] + list(sink_plugins())
    return tuple(dict.fromkeys(p.removeprefix("debezium-connector-") for p in plugins if p))


MAVEN_CENTRAL = "https://repo1.maven.org/maven2"
KINDS = _plugin_kinds()
"""Connector kinds a plugin ZIP can be built for (``debezium-connector-<kind>``), from the engine registry."""
IAM_AUTH_VERSION = "2.2.0"
CONFIG_PROVIDERS_VERSION = "0.3.1"
GROOVY_VERSION = "4.0.24"
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
"""The earliest time a ZIP entry can hold: no build time leaks into the archive."""

CONFIG_PROVIDERS_HINT = (
    "msk-config-providers is published on GitHub, not on Maven Central, so its checksum cannot be verified here: "
    f"download https://github.com/aws-samples/msk-config-providers/releases/download/r{CONFIG_PROVIDERS_VERSION}/"
    f"msk-config-providers-{CONFIG_PROVIDERS_VERSION}-all.jar into a folder, check it, and pass --from FOLDER"
)


@dataclass(frozen=True)
class Artifact:
    """One file in Maven's repository layout."""

    group: str
    artifact: str
    version: str
    classifier: str | None = None
    extension: str = "jar"
    maven_central: bool = True  # False: not published there; only found through --from
    hint: str = ""
    driver: bool = False  # a JDBC driver: left out when the connector archive already carries one

    @property
    def coordinate(self) -> str:
        suffix = f":{self.extension}:{self.classifier}" if self.classifier else ""
        return f"{self.group}:{self.artifact}:{self.version}{suffix}"

    @property
    def file_name(self) -> str:
        suffix = f"-{self.classifier}" if self.classifier else ""
        return f"{self.artifact}-{self.version}{suffix}.{self.extension}"

    @property
    def path(self) -> str:
        return f"{self.group.replace('.', '/')}/{self.artifact}/{self.version}/{self.file_name}"


@dataclass(frozen=True)
class PluginSpec:
    """What one plugin ZIP holds."""

    key: str  # debezium-connector-<kind>
    debezium_version: str
    scripting: bool = False
    drivers: tuple[MavenCoordinate, ...] = ()
    """JDBC driver jars to add (sorted): the engine's source drivers, or the estate's target drivers for the sink."""

    @property
    def kind(self) -> str:
        return self.key.removeprefix("debezium-connector-")

    @property
    def zip_name(self) -> str:
        return f"{plugin_key(self.key, self.debezium_version)}.zip"


@dataclass(frozen=True)
class BuiltPlugin:
    spec: PluginSpec
    path: Path
    sha256: str
    entries: tuple[str, ...]
    drivers_added: tuple[str, ...] = ()  # driver jars added to the ZIP (SHA-1 checked)
    drivers_in_archive: tuple[str, ...] = ()  # requested drivers the connector archive already carried


@dataclass(frozen=True)
class BuildOptions:
    repository: str | None = MAVEN_CENTRAL  # None: offline, everything comes from from_dir
    from_dir: Path | None = None
    include_iam_auth: bool = True
    include_config_providers: bool = True
    timeout_s: float = 60.0


@dataclass
class _Sources:
    """Where artifact bytes come from: a local folder first (when given), else the repository."""

    options: BuildOptions
    _local: dict[str, Path] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.options.from_dir is not None:
            if not self.options.from_dir.is_dir():
                raise InputError(
                    f"--from {self.options.from_dir} is not a folder",
                    hint="pass a folder holding the Debezium -plugin.tar.gz archives (or them extracted) and jars",
                )
            # Flat folder or Maven layout: files are found by name.
            for path in sorted(self.options.from_dir.rglob("*")):
                if path.is_file():
                    self._local.setdefault(path.name, path)

    def fetch(self, artifact: Artifact) -> bytes:
        local = self._local.get(artifact.file_name)
        if local is not None:
            data = local.read_bytes()
            sha1_file = self._local.get(artifact.file_name + ".sha1")
            if sha1_file is not None:
                _verify(artifact, data, sha1_file.read_text(encoding="ascii"), str(local))
            return data
        if not artifact.maven_central or self.options.repository is None:
            folder = self.options.from_dir or "any --from folder"
            why = "" if not artifact.maven_central else " and nothing is downloaded (no --repository)"
            raise InputError(
                f"{artifact.file_name} ({artifact.coordinate}) is not in {folder}{why}",
                hint=artifact.hint or _supply_hint(artifact),
            )
        url = f"{self.options.repository.rstrip('/')}/{artifact.path}"
        try:
            data = self._download(url)
            published = self._download(url + ".sha1").decode("ascii", "replace")
        except _DownloadFailed as failure:
            raise ToolError(
                f"{artifact.coordinate} ({artifact.file_name}) could not be fetched from {self.options.repository}: "
                f"{failure}",
                hint=artifact.hint or _supply_hint(artifact),
            ) from None
        _verify(artifact, data, published, url)
        return data

    def archive_members(self, artifact: Artifact) -> list[tuple[str, bytes]]:
        """The files of a Debezium ``-plugin.tar.gz``: from the archive, or from it extracted under ``--from``.

        Extracted, the archive is its one ``<artifact>/`` folder, recognised by the connector's own jar
        ``<artifact>-<version>.jar`` in it; the archive itself wins when both are there.
        """
        if artifact.file_name not in self._local:
            extracted = self._extracted(artifact)
            if extracted is not None:
                return [
                    (f"{artifact.artifact}/{path.relative_to(extracted).as_posix()}", path.read_bytes())
                    for path in sorted(extracted.rglob("*"))
                    if path.is_file()
                ]
        return _tar_members(self.fetch(artifact), artifact.file_name)

    def _extracted(self, artifact: Artifact) -> Path | None:
        if self.options.from_dir is None:
            return None
        own_jar = f"{artifact.artifact}-{artifact.version}.jar"
        for folder in sorted(self.options.from_dir.rglob(artifact.artifact)):
            if folder.is_dir() and (folder / own_jar).is_file():
                return folder
        return None

    def _download(self, url: str) -> bytes:
        try:
            with urllib.request.urlopen(url, timeout=self.options.timeout_s) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            raise _DownloadFailed(f"HTTP {exc.code} for {url}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise _DownloadFailed(f"{exc} for {url} (no network?)") from None


class _DownloadFailed(Exception):
    """One URL could not be read; :meth:`_Sources.fetch` turns it into a message naming the artifact."""


def _supply_hint(artifact: Artifact) -> str:
    central = f"{MAVEN_CENTRAL}/{artifact.path}"
    if artifact.driver:
        return (
            f"download {central} and its .sha1 into a folder and pass --from FOLDER (add --repository URL to fetch "
            "the other jars), or point --repository at a mirror that has it"
        )
    if artifact.extension == "tar.gz":
        return (
            "check --repository and --debezium-version, or put the archive (or its extracted "
            f"{artifact.artifact}/ folder of jars) into a folder and build offline with --from FOLDER ({central})"
        )
    return f"put {artifact.file_name} (from {central}) into a folder and pass --from FOLDER"


def _verify(artifact: Artifact, data: bytes, published: str, where: str) -> None:
    expected = published.strip().split()[0].lower() if published.strip() else ""
    actual = hashlib.sha1(data).hexdigest()  # Maven publishes SHA-1 checksums
    if expected != actual:
        raise ToolError(
            f"checksum mismatch for {artifact.file_name} from {where}: published SHA-1 {expected or '(empty)'}, "
            f"file has {actual}; refusing to use it",
            hint="the download is corrupt or was tampered with; retry, or use another --repository",
        )


def artifacts_for(spec: PluginSpec, options: BuildOptions = BuildOptions()) -> list[Artifact]:
    """Everything that goes into one plugin ZIP, the connector archive first."""
    if spec.kind not in KINDS:
        raise InputError(f"unknown connector kind {spec.kind!r}", hint=f"known kinds: {', '.join(KINDS)}")
    found: list[Artifact] = [
        Artifact("io.debezium", spec.key, spec.debezium_version, classifier="plugin", extension="tar.gz")
    ]
    if options.include_config_providers:
        found.append(
            Artifact(
                "com.amazonaws",
                "msk-config-providers",
                CONFIG_PROVIDERS_VERSION,
                classifier="all",
                maven_central=False,
                hint=CONFIG_PROVIDERS_HINT,
            )
        )
    if options.include_iam_auth:
        # The schema history producer/consumer of a source connector log in with IAMLoginModule.
        found.append(Artifact("software.amazon.msk", "aws-msk-iam-auth", IAM_AUTH_VERSION))
    if spec.scripting:
        found += [
            Artifact("io.debezium", "debezium-scripting", spec.debezium_version),
            Artifact("org.apache.groovy", "groovy", GROOVY_VERSION),
            Artifact("org.apache.groovy", "groovy-jsr223", GROOVY_VERSION),
            Artifact("org.apache.groovy", "groovy-json", GROOVY_VERSION),
        ]
    # JDBC drivers the Debezium archive leaves out; the engines say which (see PluginSpec.drivers).
    found += [Artifact(d.group, d.artifact, d.version, driver=True) for d in spec.drivers]
    return found


@dataclass(frozen=True)
class _Assembled:
    spec: PluginSpec
    payload: bytes
    entries: tuple[str, ...]
    drivers_added: tuple[str, ...]
    drivers_in_archive: tuple[str, ...]


def _assemble(spec: PluginSpec, sources: _Sources, options: BuildOptions) -> _Assembled:
    """Fetch and verify everything one ZIP holds, and pack it in memory."""
    files: dict[str, bytes] = {}
    root = f"{spec.key}-{spec.debezium_version}"
    added: list[str] = []
    in_archive: list[str] = []
    for artifact in artifacts_for(spec, options):  # the connector archive comes first
        if artifact.driver:
            carried = _carried_jar(files, artifact.artifact)
            if carried is not None:
                in_archive.append(carried)  # one driver on the classpath: the one Debezium built against
                continue
        if artifact.extension == "tar.gz":
            for name, content in sources.archive_members(artifact):
                # Debezium's archive holds one folder (debezium-connector-<kind>/); keep its files flat under root.
                files[f"{root}/{name.split('/', 1)[-1]}"] = content
        else:
            data = sources.fetch(artifact)
            files[f"{root}/{artifact.file_name}"] = data
            if artifact.driver:
                added.append(artifact.file_name)
    return _Assembled(spec, _deterministic_zip(files), tuple(sorted(files)), tuple(added), tuple(in_archive))


def _carried_jar(files: dict[str, bytes], artifact_id: str) -> str | None:
    """The jar of ``artifact_id`` (any version) already among ``files``, e.g. ojdbc11-23.5.0.24.07.jar."""
    for name in sorted(files):
        base = name.rsplit("/", 1)[-1]
        version = base.removeprefix(f"{artifact_id}-").removesuffix(".jar")
        if base.endswith(".jar") and base.startswith(f"{artifact_id}-") and version[:1].isdigit():
            return base
    return None


def _write(assembled: _Assembled, out_dir: Path) -> BuiltPlugin:
    target = out_dir / assembled.spec.zip_name  # write_file makes the folder, or says why it cannot
    write_file(target, assembled.payload)
    return BuiltPlugin(
        assembled.spec,
        target,
        hashlib.sha256(assembled.payload).hexdigest(),
        assembled.entries,
        assembled.drivers_added,
        assembled.drivers_in_archive,
    )


def build_plugin(spec: PluginSpec, out_dir: Path, options: BuildOptions = BuildOptions()) -> BuiltPlugin:
    """Fetch, verify and pack one plugin ZIP into ``out_dir`` (atomically)."""
    return _write(_assemble(spec, _Sources(options), options), out_dir)


def build_plugins(
    specs: Iterable[PluginSpec], out_dir: str | Path, options: BuildOptions = BuildOptions()
) -> list[BuiltPlugin]:
    """Build every ZIP; all are assembled before any is written, so a failure leaves none of them behind."""
    sources = _Sources(options)
    assembled = [_assemble(spec, sources, options) for spec in sorted(set(specs), key=lambda s: s.zip_name)]
    return [_write(plugin, Path(out_dir)) for plugin in assembled]


def _tar_members(data: bytes, where: str) -> list[tuple[str, bytes]]:
    members: list[tuple[str, bytes]] = []
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                if not member.isfile():
                    continue
                name = member.name.lstrip("./")
                if name.startswith("/") or ".." in Path(name).parts:
                    raise ToolError(f"{where} holds an unsafe path {member.name!r}; refusing it")
                extracted = archive.extractfile(member)
                if extracted is not None:
                    members.append((name, extracted.read()))
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ToolError(f"{where} is not a readable .tar.gz archive: {exc}") from None
    return members


def _deterministic_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


# --------------------------------------------------------------------------- #
# What the rendered pipelines need                                             #
# --------------------------------------------------------------------------- #

_SCRIPTING_TRANSFORMS = ("io.debezium.transforms.Filter", "io.debezium.transforms.ContentBasedRouter")


def needs_scripting(connector: Connector) -> bool:
    """True when the connector's SMTs need the Debezium scripting jars (its typed plugin requirements)."""
    if connector.plugin_requirements is None:
        return _legacy_needs_scripting(connector.config)
    return any(part in SCRIPTING_PLUGIN_PARTS for part in connector.plugin_requirements)


def _legacy_needs_scripting(config: dict[str, str]) -> bool:
    """For manifests written before connectors recorded their plugin requirements: read the transform types."""
    return any(smt in _SCRIPTING_TRANSFORMS for smt in legacy_transform_types(config))


def specs_from_manifest(out_dir: str | Path, debezium_version: str | None = None) -> list[PluginSpec]:
    """The plugin ZIPs the pipelines in ``OUT/dms2msk.json`` need."""
    mapping = read_manifest(
        out_dir, missing_hint=f"run `dms2msk render {shlex.quote(str(out_dir))}` first, or name kinds with --connector"
    ).mapping
    scripting: dict[tuple[str, str], bool] = {}
    drivers: dict[tuple[str, str], set[MavenCoordinate]] = {}
    for pipeline in mapping.pipelines:
        version = debezium_version or pipeline.debezium_version or mapping.debezium_version
        for connector in pipeline.connectors:
            key = (connector.plugin, version)
            scripting[key] = scripting.get(key, False) or needs_scripting(connector)
            # The sink ZIP is shared: it collects the drivers of every target engine writing through it.
            drivers.setdefault(key, set()).update(drivers_for(pipeline, connector))
    return [
        PluginSpec(key, version, needs, tuple(sorted(drivers[(key, version)], key=str)))
        for (key, version), needs in sorted(scripting.items())
    ]


def drivers_for(pipeline: Pipeline, connector: Connector) -> tuple[MavenCoordinate, ...]:
    """The driver jars the engine module says ``connector``'s plugin ZIP must add (source or sink side)."""
    if connector.role == "sink":
        engine = find_engine(connector.database.engine if connector.database else pipeline.target_engine)
        return engine.SINK_DRIVER_ARTIFACTS if engine is not None and engine.sink_plugin == connector.plugin else ()
    engine = find_engine(connector.database.engine if connector.database else pipeline.source_engine)
    return engine.SOURCE_DRIVER_ARTIFACTS if engine is not None and engine.source_plugin == connector.plugin else ()


def specs_for_kinds(
    kinds: Sequence[str], debezium_version: str, *, scripting: bool = False, targets: Sequence[str] | None = None
) -> list[PluginSpec]:
    """Plugin specs named by kind (``--connector``), with the drivers the engine modules declare.

    A source kind gets the source drivers of the engines using that connector. The JDBC sink gets the sink
    drivers of ``targets`` (DMS engine names), or of every target engine when ``targets`` is ``None``, so a
    sink ZIP built without a rendered estate can write to any engine dms2msk maps.
    """
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise InputError(f"unknown connector kind(s) {', '.join(unknown)}", hint=f"known kinds: {', '.join(KINDS)}")
    engines = [cls() for cls in all_engines().values()]
    if targets is not None:
        found = [find_engine(name) for name in targets]
        pairs = zip(targets, found, strict=True)
        missing = [name for name, engine in pairs if engine is None or not engine.sink_plugin]
        if missing:
            known = sorted(e.name.value for e in engines if e.name is not None and e.sink_plugin)
            raise InputError(
                f"--target {', '.join(missing)}: not a DMS engine the JDBC sink writes to",
                hint=f"JDBC sink targets: {', '.join(known)}",
            )
        sink_engines = [engine for engine in found if engine is not None]
    else:
        sink_engines = [engine for engine in engines if engine.sink_plugin]
    specs: list[PluginSpec] = []
    for kind in sorted(set(kinds)):
        key = f"debezium-connector-{kind}"
        wanted = {d for e in engines if e.source_plugin == key for d in e.SOURCE_DRIVER_ARTIFACTS}
        wanted |= {d for e in sink_engines if e.sink_plugin == key for d in e.SINK_DRIVER_ARTIFACTS}
        specs.append(PluginSpec(key, debezium_version, scripting, tuple(sorted(wanted, key=str))))
    return specs
