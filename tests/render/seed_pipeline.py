"""The reference pipeline as a hand-built MappingResult, for render tests that do not depend on the mapper.

MySQL demosrc.products -> Debezium MySQL source -> topic simply.demosrc.products ->
Debezium JDBC sink -> MySQL demosink.productinfo, without the image column.
"""

from __future__ import annotations

from dms2msk.model import (
    Connector,
    DatabaseAccess,
    Finding,
    MappingResult,
    NetworkDefaults,
    Pipeline,
    SecretRef,
    Severity,
    SkippedTask,
)

ACCOUNT = "123456789012"
REGION = "ap-northeast-2"
SOURCE_SECRET_ARN = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:AmazonMSK_dev/simplydemo/demosrc-AbCdEf"
SINK_SECRET_NAME = "dms2msk/simplydemo-products/sink"

_IAM = {
    "security.protocol": "SASL_SSL",
    "sasl.mechanism": "AWS_MSK_IAM",
    "sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
    "sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
}


def _iam(prefix: str) -> dict[str, str]:
    return {f"{prefix}.{key}": value for key, value in _IAM.items()}


def seed_source(name: str = "simplydemo-products-source", secret_arn: str = SOURCE_SECRET_ARN) -> Connector:
    config = {
        "connector.class": "io.debezium.connector.mysql.MySqlConnector",
        "tasks.max": "1",
        "database.hostname": f"${{secretsmanager:{secret_arn}:host}}",
        "database.port": "3306",
        "database.user": f"${{secretsmanager:{secret_arn}:username}}",
        "database.password": f"${{secretsmanager:{secret_arn}:password}}",
        "database.server.id": "76311378",
        "topic.prefix": "simply",
        "database.include.list": "demosrc",
        "table.include.list": "demosrc\\.products",
        "column.exclude.list": "demosrc\\.products\\.image",
        "snapshot.mode": "initial",
        "heartbeat.interval.ms": "10000",
        "schema.history.internal.kafka.topic": "simply.schema-history",
        **_iam("schema.history.internal.producer"),
        **_iam("schema.history.internal.consumer"),
        "transforms": "note",
        "transforms.note.type": "org.apache.kafka.connect.transforms.InsertField$Value",
        "transforms.note.static.value": "100%{not-a-template}",
    }
    return Connector(
        name=name,
        role="source",
        connector_class="io.debezium.connector.mysql.MySqlConnector",
        plugin="debezium-connector-mysql",
        config=config,
        secrets=(
            SecretRef(
                key="simplydemo_products_source",
                name=secret_arn,
                existing=True,
                arn=secret_arn,
                fields=("username", "password"),
            ),
        ),
        database=DatabaseAccess("demosrc-mysql", "mysql", "demosrc.cluster-abc.ap-northeast-2.rds.amazonaws.com", 3306),
        topics=("simply\\.demosrc\\.products",),
        writes_topics=("simply.*", "simply", "__debezium-heartbeat.simply", "simply.schema-history"),
        reads_topics=("simply.schema-history",),
        consumer_groups=("simply-schemahistory",),
        cluster_config_keys=("schema.history.internal.kafka.bootstrap.servers",),
    )


def seed_sink(name: str = "simplydemo-products-sink", secret_name: str = SINK_SECRET_NAME) -> Connector:
    config = {
        "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
        "tasks.max": "1",
        "topics": "simply.demosrc.products",
        "connection.url": "jdbc:mysql://demosink.cluster-abc.ap-northeast-2.rds.amazonaws.com:3306/demosink",
        "connection.username": f"${{secretsmanager:{secret_name}:username}}",
        "connection.password": f"${{secretsmanager:{secret_name}:password}}",
        "table.name.format": "productinfo",
        "insert.mode": "upsert",
        "delete.enabled": "true",
        "primary.key.mode": "record_key",
        "schema.evolution": "basic",
        **_iam("consumer.override"),
    }
    return Connector(
        name=name,
        role="sink",
        connector_class="io.debezium.connector.jdbc.JdbcSinkConnector",
        plugin="debezium-connector-jdbc",
        config=config,
        secrets=(
            SecretRef(
                key="simplydemo_products_sink",
                name=secret_name,
                existing=False,
                fields=("username", "password"),
                description="demosink credentials for simplydemo-products-sink",
            ),
        ),
        database=DatabaseAccess(
            "demosink-mysql", "mysql", "demosink.cluster-abc.ap-northeast-2.rds.amazonaws.com", 3306
        ),
        topics=("simply.demosrc.products",),
        reads_topics=("simply.demosrc.products",),
    )


NETWORK = NetworkDefaults(
    vpc_id="vpc-0abc",
    subnet_ids=("subnet-0c", "subnet-0a", "subnet-0b"),
    security_group_ids=("sg-0dms",),
    source="replication instance simplydemo-ri",
)


def seed_pipeline(identifier: str = "simplydemo-products", key: str = "simplydemo_products") -> Pipeline:
    return Pipeline(
        key=key,
        task_identifier=identifier,
        task_arn=f"arn:aws:dms:{REGION}:{ACCOUNT}:task:{identifier.upper()}",
        region=REGION,
        migration_type="full-load-and-cdc",
        source_engine="mysql",
        target_engine="mysql",
        source=seed_source(f"{identifier}-source"),
        sink=seed_sink(f"{identifier}-sink", f"dms2msk/{identifier}/sink"),
        topic_prefix="simply",
        network=NETWORK,
        findings=(
            Finding(Severity.INFO, "transformation.remove-column", "image is excluded", task=identifier, rule_id="2"),
        ),
        debezium_version="2.7.3.Final",
    )


def seed_result(*, with_skipped: bool = True) -> MappingResult:
    pipeline = seed_pipeline()
    skipped = (
        (SkippedTask("broken-mappings", REGION, "TableMappings is not valid JSON (line 1 column 2)"),)
        if with_skipped
        else ()
    )
    findings = pipeline.findings + (
        (
            Finding(
                Severity.BLOCKER,
                "task.table-mappings.invalid-json",
                "TableMappings is not valid JSON",
                task="broken-mappings",
                where="TableMappings line 1 column 2",
            ),
        )
        if with_skipped
        else ()
    )
    return MappingResult(
        pipelines=(pipeline,),
        skipped=skipped,
        findings=findings,
        debezium_version="2.7.3.Final",
        kafkaconnect_version="2.7.1",
    )
