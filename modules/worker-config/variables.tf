################################################################################
# Worker configuration
################################################################################

variable "create" {
  description = "Whether to create the worker configuration."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the worker configuration. Any change replaces it, and with it every connector that uses it."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,127}$", var.name))
    error_message = "name must be 1-128 characters of letters, digits and '-'."
  }
}

variable "description" {
  description = "Description of the worker configuration."
  type        = string
  default     = "dms2msk: JSON converters and the MSK config providers"
}

variable "region" {
  description = "Region the config providers read secrets and parameters from."
  type        = string
}

variable "config_providers" {
  description = "MSK config providers to enable: `secretsmanager`, `ssm`, `s3import`."
  type        = list(string)
  default     = ["secretsmanager"]

  validation {
    condition     = alltrue([for provider in var.config_providers : contains(["secretsmanager", "ssm", "s3import"], provider)])
    error_message = "config_providers may contain only secretsmanager, ssm and s3import."
  }
}

variable "s3import_local_dir" {
  description = "Worker folder the s3import provider writes imported files (e.g. truststores) to."
  type        = string
  default     = "/tmp/kafka-ssl"
}

variable "key_converter" {
  description = "Converter class of record keys."
  type        = string
  default     = "org.apache.kafka.connect.json.JsonConverter"
}

variable "value_converter" {
  description = "Converter class of record values."
  type        = string
  default     = "org.apache.kafka.connect.json.JsonConverter"
}

variable "schemas_enable" {
  description = "Embed the schema in each JSON record (`*.converter.schemas.enable`); the JDBC sink needs it."
  type        = bool
  default     = true
}

variable "offset_flush_interval_ms" {
  description = "How often the workers commit source offsets (ms)."
  type        = number
  default     = 10000

  validation {
    condition     = var.offset_flush_interval_ms >= 1000
    error_message = "offset_flush_interval_ms must be at least 1000."
  }
}

variable "offset_flush_timeout_ms" {
  description = "How long an offset commit may take before it is cancelled (ms)."
  type        = number
  default     = 5000

  validation {
    condition     = var.offset_flush_timeout_ms >= 1000
    error_message = "offset_flush_timeout_ms must be at least 1000."
  }
}

variable "task_shutdown_graceful_timeout_ms" {
  description = "How long tasks get to stop cleanly (ms)."
  type        = number
  default     = 10000

  validation {
    condition     = var.task_shutdown_graceful_timeout_ms >= 0
    error_message = "task_shutdown_graceful_timeout_ms must not be negative."
  }
}

variable "offset_storage_topic" {
  description = "The compacted topic every source connector keeps its offsets in (`offset.storage.topic`): a replaced connector of the same name resumes from it. MSK Connect creates it; never delete it."
  type        = string
  default     = "__amazon_msk_connect_offsets_dms2msk"

  validation {
    condition     = can(regex("^__amazon_msk_connect_[A-Za-z0-9._-]{1,228}$", var.offset_storage_topic))
    error_message = "offset_storage_topic must start with __amazon_msk_connect_ (the internal topics connector roles may write) and hold only letters, digits, '.', '_' and '-'."
  }
}

variable "extra_properties" {
  description = "Further worker properties (they override the ones above)."
  type        = map(string)
  default     = {}
}

variable "properties" {
  description = "The complete worker properties (name => value). When set, the typed variables above (converters, offsets, config providers, extra_properties) are ignored; dms2msk passes the map it records in its manifest."
  type        = map(string)
  default     = null

  validation {
    condition     = alltrue([for key, value in coalesce(var.properties, {}) : can(regex("^[A-Za-z0-9_.-]+$", key)) && !can(regex("[\\r\\n]", value))])
    error_message = "properties keys may have only letters, digits, '.', '_' and '-', and values must be one line."
  }
}

variable "tags" {
  description = "Tags for the worker configuration."
  type        = map(string)
  default     = {}
}
