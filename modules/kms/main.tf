data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_caller_identity" "current" {
  count = var.create && var.account_id == null ? 1 : 0
}

locals {
  account_id = var.account_id != null ? var.account_id : try(data.aws_caller_identity.current[0].account_id, "")
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

################################################################################
# Key
################################################################################

data "aws_iam_policy_document" "this" {
  count = var.create ? 1 : 0

  # The account keeps full control, so IAM policies decide who may use the key
  # (the AWS default key policy). In a key policy "*" means "this key".
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = var.allow_cloudwatch_logs ? [1] : []

    content {
      sid       = "CloudWatchLogsEncryptsThisAccountsLogGroups"
      actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = ["logs.${local.region}.amazonaws.com"]
      }

      condition {
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.via_services) > 0 ? [1] : []

    content {
      sid       = "AccountPrincipalsUseThroughServices"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey", "kms:CreateGrant"]
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [for service in sort(var.via_services) : "${service}.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_kms_key" "this" {
  count = var.create ? 1 : 0

  description             = var.description
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.this[0].json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  count = var.create ? 1 : 0

  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this[0].key_id
}
