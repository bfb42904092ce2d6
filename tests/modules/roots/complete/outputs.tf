output "bootstrap_brokers_sasl_iam" {
  description = "IAM bootstrap brokers."
  value       = module.cluster.bootstrap_brokers_sasl_iam
}

output "source_policy" {
  description = "Execution policy of the source connector."
  value       = module.demosrc_source.execution_policy_json
}
