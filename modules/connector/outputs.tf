################################################################################
# Connector
################################################################################

output "arn" {
  description = "ARN of the connector."
  value       = try(aws_mskconnect_connector.this[0].arn, null)
}

output "name" {
  description = "Name of the connector."
  value       = var.create ? var.name : null
}

output "version" {
  description = "Current version of the connector."
  value       = try(aws_mskconnect_connector.this[0].version, null)
}

################################################################################
# Logs
################################################################################

output "log_group_name" {
  description = "Worker log group."
  value       = try(aws_cloudwatch_log_group.this[0].name, null)
}

output "log_group_arn" {
  description = "ARN of the worker log group."
  value       = try(aws_cloudwatch_log_group.this[0].arn, null)
}

################################################################################
# Execution role
################################################################################

output "execution_role_arn" {
  description = "ARN of the execution role."
  value       = try(aws_iam_role.this[0].arn, null)
}

output "execution_role_name" {
  description = "Name of the execution role."
  value       = try(aws_iam_role.this[0].name, null)
}

output "execution_policy_json" {
  description = "The execution role's permissions policy (for review)."
  value       = try(data.aws_iam_policy_document.permissions[0].json, null)
}
