"""``dms2msk rehearse OUT``: a local bundle to rehearse each pipeline with Docker before ``terraform apply``.

For each selected pipeline it writes ``<dest>/<pipeline-key>/`` with:

* ``compose.yaml``: the source database configured for CDC, a single-node
  KRaft Kafka broker, a Debezium Connect worker of the pipeline's Debezium
  version, and the target database (written as JSON, which is valid YAML);
* ``connectors/<name>.json``: the MSK connector configs with only the local
  differences below applied;
* ``deploy.sh`` (posts the connectors to the Connect REST API and waits for
  RUNNING), ``check.sh`` (lists topics, reads a few messages, queries the sink
  database), ``README.md`` and ``secrets/*.properties.example``.

Local differences (everything else is byte-for-byte the MSK config):

1. bootstrap servers (``${bootstrap_servers}`` and the cluster keys) become ``kafka:9092``;
2. MSK IAM client settings (``security.protocol``, ``sasl.mechanism``,
   ``sasl.jaas.config``, ``sasl.client.callback.handler.class`` under any client
   prefix) are removed: the local broker is plaintext;
3. ``${secretsmanager:<secret>:<key>}`` becomes ``${file:/secrets/<role>.properties:<key>}``
   (Kafka's FileConfigProvider; ``deploy.sh`` writes the files from environment
   variables, so no password is ever in the bundle);
4. database host and port point at the compose services (``database.hostname``,
   ``database.port``, the JDBC ``connection.url`` host, MongoDB's connection string).
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Mapping
from pathlib import Path

from .engines import RehearsalService, find_engine
from .errors import InputError
from .files import default_mode, write_file
from .model import Connector, Pipeline
from .outdir import BOOTSTRAP_PLACEHOLDER

IAM_CLIENT_KEYS = frozenset(
    {"security.protocol", "sasl.mechanism", "sasl.jaas.config", "sasl.client.callback.handler.class"}
)
CLIENT_PREFIXES = (
    "producer.override.",
    "consumer.override.",
    "admin.override.",
    "schema.history.internal.producer.",
    "schema.history.internal.consumer.",
    "signal.consumer.",
    "",
)
LOCAL_BOOTSTRAP = "kafka:9092"
SECRET_REFERENCE = re.compile(r"\$\{secretsmanager:[^}]*:(?P<key>[^:}]+)\}")
KAFKA_IMAGE = "apache/kafka:3.7.0"


DatabaseService = RehearsalService
"""The local image of one engine; each engine module sets its own (``Engine.REHEARSAL_SERVICE``)."""


def service_for(engine: str) -> RehearsalService | None:
    """The local image for DMS engine ``engine``, or ``None`` when dms2msk offers none."""
    found = find_engine(engine)
    return found.REHEARSAL_SERVICE if found is not None else None


def _is_iam_client_key(key: str) -> bool:
    return any(key.startswith(prefix) and key[len(prefix) :] in IAM_CLIENT_KEYS for prefix in CLIENT_PREFIXES)


def local_config(
    connector: Connector, *, service: str, port: int | None, connection_url: str | None = None
) -> dict[str, str]:
    """The connector's config for the local bundle: the MSK config with only the documented differences.

    ``connection_url``: the sink's local JDBC URL, built by its engine from the compose service, port and
    database (the MSK URL's host and port may be secret references, which no pattern can take apart).
    """
    role = connector.role
    config: dict[str, str] = {}
    for key, value in connector.config.items():
        if _is_iam_client_key(key):
            continue  # difference 2
        if key in connector.cluster_config_keys or value == BOOTSTRAP_PLACEHOLDER:
            config[key] = LOCAL_BOOTSTRAP  # difference 1
            continue
        value = SECRET_REFERENCE.sub(lambda m: f"${{file:/secrets/{role}.properties:{m.group('key')}}}", value)
        if key == "database.hostname":
            value = service  # difference 4
        elif key == "database.port" and port:
            value = str(port)
        elif key == "connection.url" and connection_url:
            value = connection_url
        elif key == "connection.url":
            value = re.sub(r"(//|@)([^/:;]+)(:\d+)?", lambda m: f"{m.group(1)}{service}:{port}", value, count=1)
        elif key == "mongodb.connection.string":
            value = re.sub(r"(mongodb(?:\+srv)?://(?:[^@/]*@)?)([^/?]+)", rf"\g<1>{service}:{port}", value, count=1)
        config[key] = value
    for key in connector.cluster_config_keys:
        config.setdefault(key, LOCAL_BOOTSTRAP)
    return dict(sorted(config.items()))


def _connect_image(debezium_version: str) -> str:
    return f"quay.io/debezium/connect:{debezium_version}"


def _database_service(service: DatabaseService, password_var: str, database: str | None) -> dict[str, object]:
    environment = {
        k: v.replace("${DB_PASSWORD}", f"${{{password_var}:?set {password_var}}}")
        for k, v in service.environment.items()
    }
    if database and service.database_env:
        environment[service.database_env] = database  # the database the connector names, not the image's default
    definition: dict[str, object] = {"image": service.image, "environment": environment}
    if service.command:
        definition["command"] = list(service.command)
    if service.privileged:
        definition["privileged"] = True
    return definition


def compose_document(pipeline: Pipeline, source: DatabaseService, target: DatabaseService | None) -> dict[str, object]:
    services: dict[str, object] = {
        "source-db": _database_service(source, "SOURCE_DB_PASSWORD", _database_name(pipeline.source))
        | {"ports": [f"{source.port}:{source.port}"]},
        "kafka": {
            "image": KAFKA_IMAGE,
            "environment": {
                "KAFKA_NODE_ID": "1",
                "KAFKA_PROCESS_ROLES": "broker,controller",
                "KAFKA_LISTENERS": "PLAINTEXT://:9092,CONTROLLER://:9093",
                "KAFKA_ADVERTISED_LISTENERS": "PLAINTEXT://kafka:9092",
                "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER",
                "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "KAFKA_CONTROLLER_QUORUM_VOTERS": "1@kafka:9093",
                "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": "1",
                "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "1",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "1",
                "KAFKA_NUM_PARTITIONS": "1",
            },
        },
        "connect": {
            "image": _connect_image(pipeline.debezium_version),
            "depends_on": ["kafka", "source-db"] + (["target-db"] if target else []),
            "ports": ["8083:8083"],
            "volumes": ["./secrets:/secrets:ro"],
            "environment": {
                "BOOTSTRAP_SERVERS": LOCAL_BOOTSTRAP,
                "GROUP_ID": "dms2msk-local",
                "CONFIG_STORAGE_TOPIC": "dms2msk_local_configs",
                "OFFSET_STORAGE_TOPIC": "dms2msk_local_offsets",
                "STATUS_STORAGE_TOPIC": "dms2msk_local_statuses",
                "KEY_CONVERTER": "org.apache.kafka.connect.json.JsonConverter",
                "VALUE_CONVERTER": "org.apache.kafka.connect.json.JsonConverter",
                "CONNECT_CONFIG_PROVIDERS": "file",
                "CONNECT_CONFIG_PROVIDERS_FILE_CLASS": "org.apache.kafka.common.config.provider.FileConfigProvider",
            },
        },
    }
    if target is not None:
        services["target-db"] = _database_service(target, "TARGET_DB_PASSWORD", _database_name(pipeline.sink)) | {
            "ports": [f"{target.port + 10000}:{target.port}"]
        }
    return {"name": f"dms2msk-{pipeline.key.replace('_', '-')}", "services": services}


def _database_name(connector: Connector | None) -> str | None:
    return connector.database.name if connector is not None and connector.database is not None else None


def _deploy_script(connector_names: list[str]) -> str:
    names = " ".join(connector_names)
    return f"""#!/usr/bin/env bash
# Post the connectors to the local Connect worker and wait until each one and its tasks are RUNNING.
set -euo pipefail
cd "$(dirname "$0")"
: "${{SOURCE_DB_PASSWORD:?set SOURCE_DB_PASSWORD (the same value docker compose used)}}"
CONNECT_URL="${{CONNECT_URL:-http://localhost:8083}}"
umask 077
printf 'username=%s\\npassword=%s\\n' "${{SOURCE_DB_USER:-{{source_user}}}}" "$SOURCE_DB_PASSWORD" \\
  > secrets/source.properties
if [ -n "${{TARGET_DB_PASSWORD:-}}" ]; then
  printf 'username=%s\\npassword=%s\\n' "${{TARGET_DB_USER:-{{target_user}}}}" "$TARGET_DB_PASSWORD" \\
    > secrets/sink.properties
fi
echo "waiting for Kafka Connect at $CONNECT_URL ..."
for _ in $(seq 1 90); do curl -fsS "$CONNECT_URL/connectors" >/dev/null 2>&1 && break; sleep 2; done
for name in {names}; do
  config="$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["config"]))' \\
    "connectors/$name.json")"
  curl -fsS -X PUT -H 'Content-Type: application/json' --data "$config" \\
    "$CONNECT_URL/connectors/$name/config" >/dev/null
  echo "posted $name; waiting for RUNNING"
  for _ in $(seq 1 60); do
    status="$(curl -fsS "$CONNECT_URL/connectors/$name/status" || true)"
    state="$(printf '%s' "$status" | python3 -c 'import json,sys
s=json.load(sys.stdin); states=[s["connector"]["state"]]+[t["state"] for t in s.get("tasks",[])]
ok=len(states)>1 and set(states)=={{"RUNNING"}}
print("FAILED" if "FAILED" in states else ("RUNNING" if ok else "WAIT"))' 2>/dev/null || echo WAIT)"
    if [ "$state" = RUNNING ]; then echo "$name is RUNNING"; break; fi
    if [ "$state" = FAILED ]; then echo "$name FAILED:"; printf '%s\\n' "$status"; exit 1; fi
    sleep 2
  done
  [ "$state" = RUNNING ] || {{ echo "$name did not reach RUNNING"; exit 1; }}
done
"""


def _check_script(topic_prefix: str, target: DatabaseService | None, query: str | None) -> str:
    sink_part = (
        f"""echo "== sink database tables"
docker compose exec -T target-db sh -c '{target.client}' <<'SQL'
{query}
SQL
"""
        if target is not None and query
        else 'echo "== query the sink tables with the target database\'s own client (see README.md)"\n'
    )
    prefix_regex = re.escape(topic_prefix).replace("'", "")
    return f"""#!/usr/bin/env bash
# List topics, read a few change events, and look at the sink database.
set -euo pipefail
cd "$(dirname "$0")"
KAFKA_BIN=/opt/kafka/bin
echo "== topics"
docker compose exec -T kafka $KAFKA_BIN/kafka-topics.sh --bootstrap-server localhost:9092 --list
echo "== first messages of the pipeline's topics"
docker compose exec -T kafka $KAFKA_BIN/kafka-console-consumer.sh --bootstrap-server localhost:9092 \\
  --include '{prefix_regex}\\..*' --from-beginning --max-messages 5 --timeout-ms 20000 || true
{sink_part}"""


def _readme(pipeline: Pipeline, source: DatabaseService, target: DatabaseService | None) -> str:
    notes = [n for n in (source.note, target.note if target else "") if n]
    sink_line = (
        "- `target-db`: the target database (`TARGET_DB_PASSWORD`)\n"
        if target
        else "- no target database: this task has no JDBC sink\n"
    )
    target_user_line = f" and TARGET_DB_USER (default {target.user or 'none'})" if target else ""
    return f"""# Local rehearsal of `{pipeline.task_identifier}`

Generated by `dms2msk rehearse`. Rehearse the pipeline on your machine with Docker
before `terraform apply`: a config mistake found here costs seconds, on MSK Connect
a connector creation cycle.

**This bundle was generated, not run:** the machine that generated it has no Docker,
so neither the compose file nor the scripts were executed by dms2msk. The connector
JSONs were checked by tests to equal the MSK configs except for the local
differences listed below.

## Services (`compose.yaml`)

- `source-db`: `{source.image}`, configured for change data capture (`SOURCE_DB_PASSWORD`)
- `kafka`: `{KAFKA_IMAGE}`, one KRaft node, plaintext on `kafka:9092`
- `connect`: `{_connect_image(pipeline.debezium_version)}` (Debezium {pipeline.debezium_version}),
  REST on `localhost:8083`
{sink_line}
## Steps

```sh
export SOURCE_DB_PASSWORD=... TARGET_DB_PASSWORD=...   # any local values; never commit them
# optional: SOURCE_DB_USER (default {source.user or "none"}){target_user_line}, the users deploy.sh
# writes into secrets/*.properties; the defaults are the users the images create
docker compose up -d
# load the source schema and some rows into source-db, e.g. a schema-only dump of the real database
./deploy.sh      # writes secrets/*.properties from the variables, posts the connectors, waits for RUNNING
./check.sh       # topics, a few messages, the sink tables
docker compose down -v
```

## Local differences from the MSK connectors

1. Bootstrap servers are `kafka:9092` instead of the MSK IAM brokers.
2. The MSK IAM client settings (`security.protocol`, `sasl.mechanism`, `sasl.jaas.config`,
   `sasl.client.callback.handler.class`, under every client prefix) are removed: the local broker is plaintext.
3. `${{secretsmanager:...:<key>}}` references become `${{file:/secrets/<source|sink>.properties:<key>}}`
   (Kafka's FileConfigProvider); `deploy.sh` writes those files from your environment variables.
4. The database host and port point at the compose services (`database.hostname`, `database.port`,
   the JDBC `connection.url`, MongoDB's connection string).

Everything else (tables, columns, SMTs, snapshot mode, sink settings) is the MSK config unchanged.
{"".join(f"{chr(10)}Note: {n}{chr(10)}" for n in notes)}"""


def bundle_files(pipeline: Pipeline) -> dict[str, str]:
    """The files of one pipeline's bundle, relative to its folder."""
    source = service_for(pipeline.source_engine)
    if source is None:
        raise InputError(
            f"task {pipeline.task_identifier}: no local image is known for source engine {pipeline.source_engine}"
        )
    target = service_for(pipeline.target_engine) if pipeline.sink else None
    files: dict[str, str] = {}
    header = "# Generated by dms2msk rehearse. JSON is valid YAML: docker compose reads this file as is.\n"
    files["compose.yaml"] = header + json.dumps(compose_document(pipeline, source, target), indent=2) + "\n"
    names: list[str] = []
    target_engine = find_engine(pipeline.target_engine) if target else None
    for connector in pipeline.connectors:
        service, port = (
            ("source-db", source.port) if connector.role == "source" else ("target-db", target.port if target else None)
        )
        connection_url = None
        if connector.role == "sink" and target_engine is not None and target_engine.JDBC_URL_TEMPLATE and port:
            connection_url = target_engine.jdbc_url(service, str(port), _database_name(connector))
        config = local_config(connector, service=service, port=port, connection_url=connection_url)
        document = {"name": connector.name, "config": config}
        files[f"connectors/{connector.name}.json"] = json.dumps(document, indent=2, sort_keys=True) + "\n"
        names.append(connector.name)
    deploy = (
        _deploy_script(names)
        .replace("{source_user}", source.user)
        .replace("{target_user}", target.user if target else "")
    )
    files["deploy.sh"] = deploy
    files["check.sh"] = _check_script(
        pipeline.source.config.get("topic.prefix", pipeline.topic_prefix),
        target,
        target_engine.TABLE_ROW_COUNT_QUERY if target_engine is not None else None,
    )
    files["README.md"] = _readme(pipeline, source, target)
    files["secrets/source.properties.example"] = "username=<source user>\npassword=<set by deploy.sh>\n"
    if target:
        files["secrets/sink.properties.example"] = "username=<target user>\npassword=<set by deploy.sh>\n"
    files[".gitignore"] = "secrets/*.properties\n"
    return files


def write_bundle(out_dir: str | Path, *, task: str | None = None, dest: str | Path | None = None) -> list[Path]:
    """Write the bundle of each selected pipeline under ``dest`` (default ``OUT/local``), atomically."""
    from .verify import load_manifest, select_pipelines

    result, _settings = load_manifest(out_dir)
    pipelines = select_pipelines(result, task)
    if not pipelines:
        raise InputError(f"{out_dir} has no pipelines to rehearse", hint="see findings.json for the skipped tasks")
    destination = Path(dest) if dest is not None else Path(out_dir) / "local"
    all_files = {f"{p.key}/{name}": text for p in pipelines for name, text in bundle_files(p).items()}
    try:
        destination.mkdir(parents=True, exist_ok=True)
        if destination.stat().st_mode & 0o777 == 0o700:
            destination.chmod(default_mode(0o777))  # a bundle holds no secret; a private folder would hide it
    except OSError as exc:
        raise InputError(
            f"cannot create the bundle folder {destination}: {exc.strerror or exc}",
            hint="pass --out a folder path whose parent is a folder you can write to",
        ) from None
    # File by file through the shared writer: each file is whole, and every file dms2msk did not write in the
    # folder (the user's notes, what deploy.sh left, a --out that already held other work) stays.
    for name, text in sorted(all_files.items()):
        path = destination / name
        write_file(path, text)
        if name.endswith(".sh"):
            path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return [destination / p.key for p in pipelines]


def local_differences(msk: Mapping[str, str], local: Mapping[str, str]) -> dict[str, tuple[str | None, str | None]]:
    """Keys whose value differs between an MSK config and its local form (for reports and tests)."""
    keys = set(msk) | set(local)
    return {k: (msk.get(k), local.get(k)) for k in sorted(keys) if msk.get(k) != local.get(k)}
