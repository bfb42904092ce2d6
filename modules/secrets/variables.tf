################################################################################
# Secrets
################################################################################

variable "create" {
  description = "Whether to create the new secrets."
  type        = bool
  default     = true
}

variable "secrets" {
  description = <<-EOT
    New secrets to declare, keyed by a Terraform key. Only the container is created: its value
    (JSON with the `fields`, e.g. username and password) is put out of band, so it never reaches
    Terraform state. Names follow `<name_prefix>/<task-identifier>/<source|sink>`.
  EOT
  type = map(object({
    name        = string
    description = optional(string, "")
    fields      = optional(list(string), ["username", "password"])
  }))
  default = {}

  validation {
    condition     = alltrue([for secret in values(var.secrets) : can(regex("^[a-zA-Z0-9/_+=.@-]{1,512}$", secret.name))])
    error_message = "secret names must be 1-512 characters of letters, digits and /_+=.@-."
  }
}

variable "existing_secret_arns" {
  description = "Existing secrets (e.g. the DMS endpoints' SecretsManagerSecretId) keyed like `secrets`; referenced, never copied or read."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.existing_secret_arns) : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", arn))])
    error_message = "existing_secret_arns values must be Secrets Manager secret ARNs."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key that encrypts the new secrets."
  type        = string
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored: 0 (delete at once) or 7-30."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30)
    error_message = "recovery_window_in_days must be 0 or between 7 and 30."
  }
}

variable "secret_values_wo" {
  description = <<-EOT
    Optional values for some of the new secrets, keyed like `secrets`, as JSON text. They are passed
    through the provider's write-only `secret_string_wo` (Terraform >= 1.11), so they are never
    stored in the plan or state. Bump `secret_values_wo_version` to write them again.
  EOT
  type        = map(string)
  default     = {}
  sensitive   = true
  ephemeral   = true
}

variable "secret_values_wo_keys" {
  description = "Keys of `secrets` whose value `secret_values_wo` supplies (not secret themselves; for_each needs them at plan time)."
  type        = list(string)
  default     = []
}

variable "secret_values_wo_version" {
  description = "Version of the write-only values; change it to make Terraform write them again."
  type        = number
  default     = 1
}

variable "tags" {
  description = "Tags for every secret."
  type        = map(string)
  default     = {}
}
