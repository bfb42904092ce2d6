data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_caller_identity" "current" {
  count = var.create && var.account_id == null ? 1 : 0
}

locals {
  account_id   = var.account_id != null ? var.account_id : try(data.aws_caller_identity.current[0].account_id, "")
  partition    = data.aws_partition.current.partition
  region       = data.aws_region.current.name
  account_root = "arn:${local.partition}:iam::${local.account_id}:root"

  # A key policy, not an IAM policy: "Resource": "*" means "this key". The account keeps full
  # control (the AWS default key policy), so IAM policies decide who else may use the key.
  key_policy_statements = concat(
    [{
      Sid       = "AccountAdministers"
      Effect    = "Allow"
      Principal = { AWS = local.account_root }
      Action    = "kms:*"
      Resource  = "*"
    }],
    var.allow_cloudwatch_logs ? [{
      Sid       = "CloudWatchLogsEncryptsTheseLogGroups"
      Effect    = "Allow"
      Principal = { Service = "logs.${local.region}.amazonaws.com" }
      Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
      Resource  = "*"
      Condition = {
        # Only the log groups named: the key does not encrypt (or decrypt) every log group of the account.
        ArnLike = { "kms:EncryptionContext:aws:logs:arn" = [for name in sort(distinct(var.log_group_names)) : "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${name}"] }
      }
    }] : [],
    length(var.via_services) > 0 ? [{
      Sid       = "AccountPrincipalsUseThroughServices"
      Effect    = "Allow"
      Principal = { AWS = local.account_root }
      Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey", "kms:CreateGrant"]
      Resource  = "*"
      Condition = {
        StringEquals = { "kms:ViaService" = [for service in sort(var.via_services) : "${service}.${local.region}.amazonaws.com"] }
      }
    }] : [],
  )
}

################################################################################
# Key
################################################################################

resource "aws_kms_key" "this" {
  count = var.create ? 1 : 0

  description             = var.description
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  policy                  = jsonencode({ Version = "2012-10-17", Statement = local.key_policy_statements })
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  count = var.create ? 1 : 0

  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this[0].key_id
}
