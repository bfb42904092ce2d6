################################################################################
# Key
################################################################################

variable "create" {
  description = "Whether to create the key (false: every output is null)."
  type        = bool
  default     = true
}

variable "name" {
  description = "Alias name of the key, without the `alias/` prefix (e.g. `dms2msk`)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.name)) && !startswith(var.name, "aws/")
    error_message = "name must be 1-250 characters of letters, digits, '/', '_' or '-' and must not start with 'aws/'."
  }
}

variable "description" {
  description = "Description of the key."
  type        = string
  default     = "dms2msk: encrypts the MSK cluster, connector logs, plugin bucket and connector secrets"
}

variable "deletion_window_in_days" {
  description = "Waiting period before AWS deletes the key after it is scheduled for deletion (7-30)."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be between 7 and 30."
  }
}

variable "account_id" {
  description = "AWS account ID that owns the key. Null: read from the caller identity (an STS call)."
  type        = string
  default     = null

  validation {
    condition     = var.account_id == null || can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be 12 digits."
  }
}

variable "allow_cloudwatch_logs" {
  description = "Allow CloudWatch Logs in this region to use the key for log groups of this account."
  type        = bool
  default     = true
}

variable "log_group_names" {
  description = "Names (or patterns with `*`) of the log groups CloudWatch Logs may encrypt with the key, e.g. `/aws/mskconnect/orders-source`; only with allow_cloudwatch_logs."
  type        = list(string)
  default     = ["/aws/msk/*", "/aws/mskconnect/*"]

  validation {
    condition     = length(var.log_group_names) >= 1 && alltrue([for name in var.log_group_names : name != "*" && name != ""])
    error_message = "log_group_names needs at least one log group name or pattern; '*' alone is not allowed."
  }
}

variable "via_services" {
  description = "Short names of AWS services that may use the key on behalf of principals of this account (kms:ViaService), e.g. `secretsmanager`, `s3`, `kafka`."
  type        = list(string)
  default     = ["kafka", "s3", "secretsmanager"]
}

variable "tags" {
  description = "Tags for the key."
  type        = map(string)
  default     = {}
}
