locals {
  provisioned = var.create && var.mode == "provisioned"
  serverless  = var.create && var.mode == "serverless"
  existing    = var.create && var.mode == "existing"

  # arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID: the name and UUID come from the ARN, so IAM ARNs of
  # an existing cluster's topics and groups need no API call.
  existing_arn_parts = var.existing_cluster_arn == null ? [] : split("/", var.existing_cluster_arn)

  number_of_broker_nodes = coalesce(var.number_of_broker_nodes, max(length(var.client_subnets), 2))

  cluster_arn = (
    local.provisioned ? aws_msk_cluster.this[0].arn :
    local.serverless ? aws_msk_serverless_cluster.this[0].arn :
    local.existing ? var.existing_cluster_arn : null
  )
  cluster_name = (
    local.existing ? try(local.existing_arn_parts[1], null) : var.create ? var.name : null
  )
  cluster_uuid = (
    local.provisioned ? aws_msk_cluster.this[0].cluster_uuid :
    local.serverless ? aws_msk_serverless_cluster.this[0].cluster_uuid :
    local.existing ? try(local.existing_arn_parts[2], null) : null
  )
  bootstrap_brokers_sasl_iam = (
    local.provisioned ? aws_msk_cluster.this[0].bootstrap_brokers_sasl_iam :
    local.serverless ? aws_msk_serverless_cluster.this[0].bootstrap_brokers_sasl_iam :
    local.existing ? coalesce(var.existing_bootstrap_brokers_sasl_iam, try(data.aws_msk_bootstrap_brokers.this[0].bootstrap_brokers_sasl_iam, "")) : null
  )
  created_security_group_ids = var.create && var.create_security_group && !local.existing ? [aws_security_group.this[0].id] : []
  broker_security_group_ids = (
    local.existing ? coalesce(var.existing_broker_security_group_ids, try(tolist(data.aws_msk_cluster.this[0].broker_node_group_info[0].security_groups), [])) :
    var.create ? concat(local.created_security_group_ids, var.security_group_ids) : []
  )
}

################################################################################
# Security group
################################################################################

resource "aws_security_group" "this" {
  count = var.create && var.create_security_group && !local.existing ? 1 : 0

  #checkov:skip=CKV2_AWS_5:Attached to the brokers (aws_msk_cluster / aws_msk_serverless_cluster below), which the graph check does not follow through locals.
  name_prefix = "${var.name}-brokers-"
  description = "MSK brokers of ${var.name}; ingress rules come from the connectors' network module"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-brokers" })

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = var.vpc_id != null
      error_message = "vpc_id is required when create_security_group is true."
    }
  }
}

################################################################################
# Configuration
################################################################################

resource "aws_msk_configuration" "this" {
  count = local.provisioned ? 1 : 0

  # The version in the name lets create_before_destroy make the new configuration before the old one goes.
  name           = "${var.name}-${replace(var.kafka_version, ".", "-")}"
  description    = "Broker settings of ${var.name}"
  kafka_versions = [var.kafka_version]
  server_properties = join("\n", [
    for key in sort(keys(var.server_properties)) : "${key} = ${var.server_properties[key]}"
  ])

  lifecycle {
    create_before_destroy = true
  }
}

################################################################################
# Broker logs
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  count = local.provisioned ? 1 : 0

  name              = "/aws/msk/cluster/${var.name}"
  retention_in_days = var.cloudwatch_log_group_retention_in_days
  kms_key_id        = var.cloudwatch_log_group_kms_key_arn
  tags              = var.tags

  lifecycle {
    precondition {
      condition     = var.cloudwatch_log_group_kms_key_arn != null
      error_message = "cloudwatch_log_group_kms_key_arn is required: broker logs are encrypted with a customer managed key."
    }
  }
}

################################################################################
# Provisioned cluster
################################################################################

resource "aws_msk_cluster" "this" {
  count = local.provisioned ? 1 : 0

  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = local.number_of_broker_nodes
  enhanced_monitoring    = var.enhanced_monitoring

  broker_node_group_info {
    instance_type   = var.broker_instance_type
    client_subnets  = var.client_subnets
    security_groups = local.broker_security_group_ids

    storage_info {
      ebs_storage_info {
        volume_size = var.ebs_volume_size
      }
    }
  }

  client_authentication {
    unauthenticated = false

    sasl {
      iam   = true
      scram = var.scram_enabled
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this[0].arn
    revision = aws_msk_configuration.this[0].latest_revision
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = var.encryption_at_rest_kms_key_arn

    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.this[0].name
      }
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(var.client_subnets) >= 2
      error_message = "A provisioned cluster needs client_subnets in at least 2 availability zones."
    }
    precondition {
      condition     = local.number_of_broker_nodes % max(length(var.client_subnets), 1) == 0
      error_message = "The broker count (${local.number_of_broker_nodes}) must be a multiple of the number of client_subnets (${length(var.client_subnets)}); set number_of_broker_nodes."
    }
    precondition {
      condition     = var.encryption_at_rest_kms_key_arn != null
      error_message = "encryption_at_rest_kms_key_arn is required: the brokers' storage is encrypted with a customer managed key."
    }
  }
}

################################################################################
# Serverless cluster
################################################################################

resource "aws_msk_serverless_cluster" "this" {
  count = local.serverless ? 1 : 0

  cluster_name = var.name

  vpc_config {
    subnet_ids         = var.client_subnets
    security_group_ids = local.broker_security_group_ids
  }

  client_authentication {
    sasl {
      iam {
        enabled = true
      }
    }
  }

  tags = var.tags
}

################################################################################
# Existing cluster
################################################################################

data "aws_msk_cluster" "this" {
  count = local.existing && var.existing_broker_security_group_ids == null ? 1 : 0

  cluster_name = local.existing_arn_parts[1]
}

data "aws_msk_bootstrap_brokers" "this" {
  count = local.existing && var.existing_bootstrap_brokers_sasl_iam == null ? 1 : 0

  cluster_arn = var.existing_cluster_arn
}
