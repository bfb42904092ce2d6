"""Amazon OpenSearch Service: DMS cannot read from OpenSearch.

Kafka Connect writes to OpenSearch with an OpenSearch sink connector.
"""

from __future__ import annotations

from .engine import Engine, EngineName


class Opensearch(Engine):
    name = EngineName.OPENSEARCH
    DISPLAY_NAME = "Amazon OpenSearch Service"
    NO_SOURCE_REASON = "DMS cannot read from OpenSearch"
    TARGET_ALTERNATIVES = (
        "use the OpenSearch sink connector (Aiven opensearch-connector-for-apache-kafka) or an OpenSearch"
        " Ingestion pipeline with an MSK source"
    )


class Elasticsearch(Opensearch):
    """Elasticsearch: the legacy name of the OpenSearch target."""

    name = EngineName.ELASTICSEARCH
    DISPLAY_NAME = "Elasticsearch"
    TARGET_ALTERNATIVES = (
        "use the Elasticsearch sink connector (Confluent) or the OpenSearch sink connector on the MSK topics"
    )
