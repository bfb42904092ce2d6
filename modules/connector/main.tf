locals {
  # arn:PARTITION:kafka:REGION:ACCOUNT:cluster/NAME/UUID: the connector runs next to its cluster.
  cluster_arn_fields = split(":", var.cluster_arn)
  partition          = local.cluster_arn_fields[1]
  region             = local.cluster_arn_fields[3]
  account_id         = coalesce(var.account_id, local.cluster_arn_fields[4])
  cluster_path       = split("/", local.cluster_arn_fields[5])
  cluster_name       = local.cluster_path[1]
  cluster_uuid       = local.cluster_path[2]

  kafka_arn_prefix = "arn:${local.partition}:kafka:${local.region}:${local.account_id}"
  topic_arn        = "${local.kafka_arn_prefix}:topic/${local.cluster_name}/${local.cluster_uuid}"
  group_arn        = "${local.kafka_arn_prefix}:group/${local.cluster_name}/${local.cluster_uuid}"

  # 64 characters at most; long connector names keep a hash so two roles never collide.
  role_name = length(var.name) <= 59 ? "${var.name}-exec" : "${substr(var.name, 0, 50)}-${substr(md5(var.name), 0, 8)}-ex"

  # MSK Connect names a connector's internal topics __amazon_msk_connect_<offsets|configs|status>_<name>_<uuid>
  # (older documentation: __msk_connect_...). A connector name has no '_', so "_<name>_" matches only this
  # connector's topics: one connector cannot read or rewrite another's offsets.
  internal_topics = [for prefix in ["__amazon_msk_connect", "__msk_connect"] : "${prefix}_*_${var.name}_*"]
  # Kafka Connect commits a sink's offsets in the consumer group connect-<connector name>. MSK Connect's own
  # worker group has no documented name, so it stays __amazon_msk_connect_* (it holds no offsets).
  consumer_groups = distinct(concat(
    ["__amazon_msk_connect_*"],
    var.role == "sink" ? ["connect-${var.name}"] : [],
    var.consumer_groups,
  ))
}

################################################################################
# Logs
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  count = var.create ? 1 : 0

  name              = "/aws/mskconnect/${var.name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

################################################################################
# Execution role
################################################################################

data "aws_iam_policy_document" "assume" {
  count = var.create ? 1 : 0

  statement {
    sid     = "MskConnectAssumesForThisConnectorOnly"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["kafkaconnect.amazonaws.com"]
    }

    # Confused-deputy protection: only this account's connector of this name may assume the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:kafkaconnect:${local.region}:${local.account_id}:connector/${var.name}/*"]
    }
  }
}

data "aws_iam_policy_document" "permissions" {
  count = var.create ? 1 : 0

  statement {
    sid       = "ConnectToCluster"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [var.cluster_arn]
  }

  dynamic "statement" {
    # Debezium's schema history reads the brokers' default replication factor before creating its topic.
    for_each = var.role == "source" ? [1] : []

    content {
      sid       = "ReadBrokerDefaults"
      actions   = ["kafka-cluster:DescribeClusterDynamicConfiguration"]
      resources = [var.cluster_arn]
    }
  }

  statement {
    sid       = "MskConnectInternalTopicsOfThisConnector"
    actions   = ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData"]
    resources = [for topic in local.internal_topics : "${local.topic_arn}/${topic}"]
  }

  dynamic "statement" {
    # Producing may create the topic (Debezium's data and schema history topics, a sink's dead-letter topic).
    for_each = length(var.write_topics) > 0 ? [1] : []

    content {
      sid       = "WriteTopics"
      actions   = ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
      resources = [for topic in sort(distinct(var.write_topics)) : "${local.topic_arn}/${topic}"]
    }
  }

  dynamic "statement" {
    for_each = length(var.read_topics) > 0 ? [1] : []

    content {
      sid       = "ReadTopics"
      actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
      resources = [for topic in sort(distinct(var.read_topics)) : "${local.topic_arn}/${topic}"]
    }
  }

  statement {
    sid       = "ConsumerGroups"
    actions   = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
    resources = [for group in sort(local.consumer_groups) : "${local.group_arn}/${group}"]
  }

  dynamic "statement" {
    for_each = length(var.secret_arns) > 0 ? [1] : []

    content {
      sid       = "ReadConnectorSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = sort(distinct(var.secret_arns))
    }
  }

  dynamic "statement" {
    for_each = length(var.secret_kms_key_arns) > 0 ? [1] : []

    content {
      sid       = "DecryptSecretsThroughSecretsManager"
      actions   = ["kms:Decrypt"]
      resources = sort(distinct(var.secret_kms_key_arns))

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.plugin_object_arn != null ? [1] : []

    content {
      sid       = "ReadPluginObject"
      actions   = ["s3:GetObject"]
      resources = [var.plugin_object_arn]
    }
  }
}

resource "aws_iam_role" "this" {
  count = var.create ? 1 : 0

  name                 = local.role_name
  description          = "Execution role of the MSK Connect connector ${var.name}"
  assume_role_policy   = data.aws_iam_policy_document.assume[0].json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags
}

resource "aws_iam_role_policy" "this" {
  count = var.create ? 1 : 0

  name   = "connector-access"
  role   = aws_iam_role.this[0].id
  policy = data.aws_iam_policy_document.permissions[0].json
}

################################################################################
# Connector
################################################################################

resource "aws_mskconnect_connector" "this" {
  count = var.create && var.create_connector ? 1 : 0

  name                       = var.name
  description                = var.description
  kafkaconnect_version       = var.kafkaconnect_version
  service_execution_role_arn = aws_iam_role.this[0].arn
  connector_configuration    = var.connector_configuration

  capacity {
    dynamic "provisioned_capacity" {
      for_each = var.capacity_mode == "provisioned" ? [1] : []

      content {
        mcu_count    = var.mcu_count
        worker_count = var.worker_count
      }
    }

    dynamic "autoscaling" {
      for_each = var.capacity_mode == "autoscaling" ? [1] : []

      content {
        mcu_count        = var.mcu_count
        min_worker_count = var.min_worker_count
        max_worker_count = var.max_worker_count

        scale_in_policy {
          cpu_utilization_percentage = var.scale_in_cpu_utilization_percentage
        }

        scale_out_policy {
          cpu_utilization_percentage = var.scale_out_cpu_utilization_percentage
        }
      }
    }
  }

  kafka_cluster {
    apache_kafka_cluster {
      bootstrap_servers = var.bootstrap_servers

      vpc {
        security_groups = var.security_group_ids
        subnets         = var.subnet_ids
      }
    }
  }

  kafka_cluster_client_authentication {
    authentication_type = "IAM"
  }

  kafka_cluster_encryption_in_transit {
    encryption_type = "TLS"
  }

  plugin {
    custom_plugin {
      arn      = var.plugin_arn
      revision = var.plugin_revision
    }
  }

  dynamic "worker_configuration" {
    for_each = var.worker_configuration_arn != null ? [1] : []

    content {
      arn      = var.worker_configuration_arn
      revision = var.worker_configuration_revision
    }
  }

  log_delivery {
    worker_log_delivery {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.this[0].name
      }
    }
  }

  tags = var.tags

  # The role must hold its permissions before the workers start.
  depends_on = [aws_iam_role_policy.this]
}
