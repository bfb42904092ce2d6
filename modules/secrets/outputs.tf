################################################################################
# Secrets
################################################################################

output "secret_arns" {
  description = "ARN of every secret, new and existing, keyed like the inputs; the connectors' execution roles may read exactly these."
  value = merge(
    var.existing_secret_arns,
    { for key, secret in aws_secretsmanager_secret.this : key => secret.arn },
  )
}

output "secret_names" {
  description = "Name of every new secret, keyed like `secrets`."
  value       = { for key, secret in aws_secretsmanager_secret.this : key => secret.name }
}

output "put_value_commands" {
  description = "AWS CLI commands that put each new secret's value out of band (replace the placeholders)."
  value = {
    for key, secret in aws_secretsmanager_secret.this : key => format(
      "aws secretsmanager put-secret-value --secret-id %s --secret-string '%s'",
      secret.name,
      jsonencode({ for field in var.secrets[key].fields : field => "<${field}>" }),
    )
  }
}
