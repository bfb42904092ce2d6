################################################################################
# Cluster
################################################################################

output "arn" {
  description = "ARN of the cluster (created or existing)."
  value       = local.cluster_arn
}

output "cluster_name" {
  description = "Name of the cluster."
  value       = local.cluster_name
}

output "cluster_uuid" {
  description = "UUID of the cluster, the last part of the ARN; IAM ARNs of topics and groups contain it."
  value       = local.cluster_uuid
}

output "bootstrap_brokers_sasl_iam" {
  description = "Comma-separated IAM (port 9098) bootstrap brokers."
  value       = local.bootstrap_brokers_sasl_iam
}

output "broker_security_group_ids" {
  description = "Security groups of the brokers; the network module opens port 9098 on them for the connectors."
  value       = local.broker_security_group_ids
}

output "security_group_id" {
  description = "Broker security group created by this module (null if none)."
  value       = try(aws_security_group.this[0].id, null)
}

output "configuration_arn" {
  description = "ARN of the MSK configuration (provisioned mode)."
  value       = try(aws_msk_configuration.this[0].arn, null)
}

################################################################################
# Broker logs
################################################################################

output "log_group_arn" {
  description = "ARN of the broker log group (provisioned mode)."
  value       = try(aws_cloudwatch_log_group.this[0].arn, null)
}
