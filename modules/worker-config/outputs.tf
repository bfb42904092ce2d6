################################################################################
# Worker configuration
################################################################################

output "arn" {
  description = "ARN of the worker configuration."
  value       = try(aws_mskconnect_worker_configuration.this[0].arn, null)
}

output "latest_revision" {
  description = "Revision of the worker configuration, for the connector's `worker_configuration.revision`."
  value       = try(aws_mskconnect_worker_configuration.this[0].latest_revision, null)
}

output "properties" {
  description = "The worker properties file content."
  value       = local.properties_file_content
}

output "properties_map" {
  description = "The worker properties by name (the lines of `properties`)."
  value       = local.properties
}
