################################################################################
# Bucket
################################################################################

variable "create" {
  description = "Whether to create anything at all."
  type        = bool
  default     = true
}

variable "create_bucket" {
  description = "Create a versioned, KMS-encrypted, private bucket for the plugin ZIPs; false: upload into `bucket_name`, an existing versioned bucket."
  type        = bool
  default     = true
}

variable "bucket_name" {
  description = "Name of the bucket to create (`create_bucket`) or of the existing bucket."
  type        = string

  validation {
    condition = (
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name)) &&
      !can(regex("\\.\\.|^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$|^xn--|-s3alias$", var.bucket_name))
    )
    error_message = "bucket_name must be a valid S3 bucket name: 3-63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the bucket's default encryption and the uploaded objects."
  type        = string
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which replaced plugin versions are deleted from the bucket."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

################################################################################
# Plugins
################################################################################

variable "plugins" {
  description = <<-EOT
    Plugins to upload and register, keyed by `<plugin-key>-<debezium-version>` (the ZIP's base name).
    `zip_path` is the local ZIP written by `dms2msk plugins build OUT` (into OUT/plugins); plan works before it exists.
  EOT
  type = map(object({
    zip_path    = string
    description = optional(string, "")
  }))
  default = {}

  validation {
    condition     = alltrue([for key in keys(var.plugins) : can(regex("^[a-zA-Z0-9][a-zA-Z0-9._-]{0,100}$", key))])
    error_message = "plugin keys must be 1-101 characters of letters, digits, '.', '_' or '-'."
  }
  validation {
    condition     = alltrue([for plugin in values(var.plugins) : endswith(plugin.zip_path, ".zip")])
    error_message = "every zip_path must name a .zip file."
  }
}

variable "s3_key_prefix" {
  description = "Key prefix of the uploaded ZIPs in the bucket."
  type        = string
  default     = "plugins/"
}

variable "name_prefix" {
  description = "Prefix of the custom plugin names (`<name_prefix><plugin key>`)."
  type        = string
  default     = ""
}

variable "create_custom_plugins" {
  description = "Register the uploaded ZIPs as MSK Connect custom plugins (false: upload only)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
