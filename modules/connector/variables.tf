################################################################################
# Connector
################################################################################

variable "create" {
  description = "Whether to create anything at all."
  type        = bool
  default     = true
}

variable "create_connector" {
  description = "Create the `aws_mskconnect_connector` itself (false: only its role, policy and log group)."
  type        = bool
  default     = true
}

variable "name" {
  description = "Connector name, e.g. `<task-identifier>-source`. Any change replaces the connector."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,127}$", var.name))
    error_message = "name must be 1-128 characters of letters, digits and '-'."
  }
}

variable "description" {
  description = "Description of the connector."
  type        = string
  default     = ""
}

variable "role" {
  description = "`source` or `sink`: a source may read the brokers' defaults; a sink commits its offsets in group `connect-<name>`."
  type        = string

  validation {
    condition     = contains(["source", "sink"], var.role)
    error_message = "role must be source or sink."
  }
}

variable "kafkaconnect_version" {
  description = "Kafka Connect version of MSK Connect: `2.7.1` (Debezium 2.x) or `3.7.x` (Java 17, Debezium 3.x)."
  type        = string
  default     = "3.7.x"

  validation {
    condition     = contains(["2.7.1", "3.7.x"], var.kafkaconnect_version)
    error_message = "kafkaconnect_version must be 2.7.1 or 3.7.x, the versions MSK Connect runs."
  }
}

variable "connector_configuration" {
  description = "Connector properties (strings). Credentials are `$${secretsmanager:<secret>:<key>}` references, never values."
  type        = map(string)

  validation {
    condition     = contains(keys(var.connector_configuration), "connector.class")
    error_message = "connector_configuration must contain connector.class."
  }
}

variable "bootstrap_servers" {
  description = "The cluster's IAM bootstrap brokers (port 9098)."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets the connector's workers run in."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids needs at least one subnet."
  }
}

variable "security_group_ids" {
  description = "Security groups of the connector's workers (the network module's group)."
  type        = list(string)

  validation {
    condition     = length(var.security_group_ids) >= 1 && length(var.security_group_ids) <= 5
    error_message = "security_group_ids needs 1-5 security groups."
  }
}

variable "plugin_arn" {
  description = "ARN of the connector's custom plugin."
  type        = string
}

variable "plugin_revision" {
  description = "Revision of the custom plugin."
  type        = number
  default     = 1
}

variable "worker_configuration_arn" {
  description = "ARN of the worker configuration (converters, config providers). Null: MSK Connect defaults."
  type        = string
  default     = null
}

variable "worker_configuration_revision" {
  description = "Revision of the worker configuration."
  type        = number
  default     = 1
}

################################################################################
# Capacity
################################################################################

variable "max_tasks" {
  description = "The connector's `tasks.max`; autoscaling makes sense only when it is above 1 (Debezium MySQL, PostgreSQL and MariaDB sources run one task)."
  type        = number
  default     = 1

  validation {
    condition     = var.max_tasks >= 1 && floor(var.max_tasks) == var.max_tasks
    error_message = "max_tasks must be a positive whole number."
  }
}

variable "capacity_mode" {
  description = "`provisioned` (fixed worker count) or `autoscaling`."
  type        = string
  default     = "provisioned"

  validation {
    condition     = contains(["provisioned", "autoscaling"], var.capacity_mode)
    error_message = "capacity_mode must be provisioned or autoscaling."
  }
  validation {
    condition     = var.capacity_mode == "provisioned" || var.max_tasks > 1
    error_message = "capacity_mode = autoscaling needs max_tasks > 1: a connector with a single task cannot use more workers."
  }
}

variable "mcu_count" {
  description = "MSK Connect units per worker (1, 2, 4 or 8)."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 2, 4, 8], var.mcu_count)
    error_message = "mcu_count must be 1, 2, 4 or 8."
  }
}

variable "worker_count" {
  description = "Workers of a provisioned connector (1-10)."
  type        = number
  default     = 1

  validation {
    condition     = var.worker_count >= 1 && var.worker_count <= 10 && floor(var.worker_count) == var.worker_count
    error_message = "worker_count must be a whole number from 1 to 10."
  }
}

variable "min_worker_count" {
  description = "Minimum workers when autoscaling (1-10)."
  type        = number
  default     = 1

  validation {
    condition     = var.min_worker_count >= 1 && var.min_worker_count <= 10
    error_message = "min_worker_count must be from 1 to 10."
  }
}

variable "max_worker_count" {
  description = "Maximum workers when autoscaling (1-10, at least min_worker_count)."
  type        = number
  default     = 2

  validation {
    condition     = var.max_worker_count >= 1 && var.max_worker_count <= 10 && var.max_worker_count >= var.min_worker_count
    error_message = "max_worker_count must be from 1 to 10 and at least min_worker_count."
  }
}

variable "scale_in_cpu_utilization_percentage" {
  description = "CPU utilisation below which autoscaling removes a worker (1-100)."
  type        = number
  default     = 20

  validation {
    condition     = var.scale_in_cpu_utilization_percentage >= 1 && var.scale_in_cpu_utilization_percentage <= 100
    error_message = "scale_in_cpu_utilization_percentage must be from 1 to 100."
  }
}

variable "scale_out_cpu_utilization_percentage" {
  description = "CPU utilisation above which autoscaling adds a worker (1-100)."
  type        = number
  default     = 80

  validation {
    condition     = var.scale_out_cpu_utilization_percentage >= 1 && var.scale_out_cpu_utilization_percentage <= 100
    error_message = "scale_out_cpu_utilization_percentage must be from 1 to 100."
  }
}

################################################################################
# Logs
################################################################################

variable "log_retention_in_days" {
  description = "Retention of the worker log group: 0 (never expire) or at least 365 days, as security scanners require."
  type        = number
  default     = 365

  validation {
    condition     = contains([0, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be 0 or one of 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  description = "Customer managed KMS key that encrypts the worker log group."
  type        = string
}

################################################################################
# Execution role
################################################################################

variable "account_id" {
  description = "AWS account ID of the connector. Null: the account in cluster_arn."
  type        = string
  default     = null

  validation {
    condition     = var.account_id == null || can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be 12 digits."
  }
}

variable "cluster_arn" {
  description = "ARN of the MSK cluster (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID); topic and group permissions are scoped to it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kafka:[a-z0-9-]+:[0-9]{12}:cluster/[^/]+/[^/]+$", var.cluster_arn))
    error_message = "cluster_arn must look like arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID."
  }
}

variable "write_topics" {
  description = "Topic names or prefixes ending in `*` the connector produces to and may create: a source's data, schema change, heartbeat and schema history topics, a sink's dead-letter topic."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for topic in var.write_topics : topic != "*" && can(regex("^[a-zA-Z0-9._-]+\\*?$", topic))])
    error_message = "write_topics entries must be topic names (letters, digits, '.', '_', '-') or prefixes ending in '*'; '*' alone is not allowed."
  }
}

variable "read_topics" {
  description = "Topic names or prefixes ending in `*` the connector consumes: a sink's topics, a source's schema history and signal topics."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for topic in var.read_topics : topic != "*" && can(regex("^[a-zA-Z0-9._-]+\\*?$", topic))])
    error_message = "read_topics entries must be topic names (letters, digits, '.', '_', '-') or prefixes ending in '*'; '*' alone is not allowed."
  }
  validation {
    condition     = length(var.read_topics) + length(var.write_topics) >= 1
    error_message = "a connector reads or writes at least one topic: set read_topics or write_topics."
  }
}

variable "consumer_groups" {
  description = "Consumer groups the connector uses besides MSK Connect's (`__amazon_msk_connect_*`, and `connect-<name>` for a sink), e.g. `<topic prefix>-schemahistory`."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for group in var.consumer_groups : group != "*" && can(regex("^[a-zA-Z0-9._-]+\\*?$", group))])
    error_message = "consumer_groups entries must be group names or prefixes ending in '*'; '*' alone is not allowed."
  }
}

variable "secret_arns" {
  description = "Secrets Manager secrets the connector reads through the config provider."
  type        = list(string)
  default     = []
}

variable "secret_kms_key_arns" {
  description = "KMS keys that encrypt those secrets (kms:Decrypt via Secrets Manager only)."
  type        = list(string)
  default     = []
}

variable "plugin_object_arn" {
  description = "ARN of the plugin ZIP object (arn:aws:s3:::BUCKET/KEY) the connector may read. Null: no S3 permission."
  type        = string
  default     = null
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the execution role."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
