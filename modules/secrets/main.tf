################################################################################
# Secrets
################################################################################

resource "aws_secretsmanager_secret" "this" {
  for_each = var.create ? var.secrets : {}

  #checkov:skip=CKV2_AWS_57:These hold database credentials owned by the database team; rotate them with the database's own rotation, then the connector picks the new value up on restart.
  name                    = each.value.name
  description             = each.value.description
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = var.tags
}

# Written only when values are supplied, through a write-only argument: nothing reaches the state.
resource "aws_secretsmanager_secret_version" "this" {
  for_each = var.create ? toset([for key in var.secret_values_wo_keys : key if contains(keys(var.secrets), key)]) : toset([])

  secret_id                = aws_secretsmanager_secret.this[each.key].id
  secret_string_wo         = var.secret_values_wo[each.key]
  secret_string_wo_version = var.secret_values_wo_version
}
