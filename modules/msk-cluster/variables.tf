################################################################################
# Cluster
################################################################################

variable "create" {
  description = "Whether to create (or, in `existing` mode, read) anything at all."
  type        = bool
  default     = true
}

variable "mode" {
  description = "`provisioned` (brokers), `serverless`, or `existing` (read the cluster given by `existing_cluster_arn`; nothing is created)."
  type        = string
  default     = "provisioned"

  validation {
    condition     = contains(["provisioned", "serverless", "existing"], var.mode)
    error_message = "mode must be one of provisioned, serverless, existing."
  }
}

variable "name" {
  description = "Cluster name (1-64 characters: letters, digits, '-'). Ignored in `existing` mode."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits and '-'."
  }
}

variable "kafka_version" {
  description = "Apache Kafka version of a provisioned cluster, e.g. `3.7.x.kraft` (KRaft metadata mode) or `3.8.x`."
  type        = string
  default     = "3.7.x.kraft"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.([0-9]+|x)(\\.[0-9]+)?(\\.kraft)?$", var.kafka_version))
    error_message = "kafka_version must look like 3.7.x, 3.7.x.kraft, 3.6.0 or 3.6.0.1."
  }
}

variable "client_subnets" {
  description = "Subnets of the brokers (provisioned) or of the cluster's VPC endpoints (serverless), one per availability zone."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.client_subnets) <= 16
    error_message = "client_subnets accepts at most 16 subnets."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster, for the broker security group this module creates (`create_security_group`)."
  type        = string
  default     = null
}

variable "create_security_group" {
  description = "Create a broker security group; the network module adds the rule that lets the connectors reach port 9098."
  type        = bool
  default     = true
}

variable "security_group_ids" {
  description = "Further security groups to attach to the brokers (or the serverless cluster)."
  type        = list(string)
  default     = []
}

variable "broker_instance_type" {
  description = "Broker instance type, e.g. `kafka.m5.large` or `kafka.m7g.large`."
  type        = string
  default     = "kafka.m5.large"

  validation {
    condition     = can(regex("^kafka\\.(t3\\.small|m5\\.[0-9]*x?large|m7g\\.[0-9]*x?large)$", var.broker_instance_type))
    error_message = "broker_instance_type must be a standard MSK broker type: kafka.t3.small, kafka.m5.* or kafka.m7g.* (express brokers do not support broker logs)."
  }
}

variable "number_of_broker_nodes" {
  description = "Number of brokers; must be a multiple of the number of `client_subnets`. Null: one per subnet."
  type        = number
  default     = null

  validation {
    condition = (
      var.number_of_broker_nodes == null ? true :
      var.number_of_broker_nodes >= 1 && floor(var.number_of_broker_nodes) == var.number_of_broker_nodes &&
      var.number_of_broker_nodes % max(length(var.client_subnets), 1) == 0
    )
    error_message = "number_of_broker_nodes must be a positive whole multiple of the number of client_subnets."
  }
}

variable "ebs_volume_size" {
  description = "EBS storage per broker in GiB (1-16384)."
  type        = number
  default     = 100

  validation {
    condition     = var.ebs_volume_size >= 1 && var.ebs_volume_size <= 16384
    error_message = "ebs_volume_size must be between 1 and 16384 GiB."
  }
}

variable "enhanced_monitoring" {
  description = "CloudWatch monitoring level of a provisioned cluster."
  type        = string
  default     = "DEFAULT"

  validation {
    condition     = contains(["DEFAULT", "PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"], var.enhanced_monitoring)
    error_message = "enhanced_monitoring must be DEFAULT, PER_BROKER, PER_TOPIC_PER_BROKER or PER_TOPIC_PER_PARTITION."
  }
}

variable "scram_enabled" {
  description = "Also allow SASL/SCRAM client authentication (IAM is always on)."
  type        = bool
  default     = false
}

variable "encryption_at_rest_kms_key_arn" {
  description = "Customer managed KMS key that encrypts the broker storage."
  type        = string
  default     = null
}

variable "server_properties" {
  description = "Broker settings of the MSK configuration (`key = value` lines)."
  type        = map(string)
  default = {
    "auto.create.topics.enable"  = "false"
    "default.replication.factor" = "3"
    "min.insync.replicas"        = "2"
    "num.partitions"             = "1"
  }
}

################################################################################
# Broker logs
################################################################################

variable "cloudwatch_log_group_retention_in_days" {
  description = "Retention of the broker log group: 0 (never expire) or at least 365 days, as security scanners require."
  type        = number
  default     = 365

  validation {
    condition     = contains([0, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cloudwatch_log_group_retention_in_days)
    error_message = "cloudwatch_log_group_retention_in_days must be 0 or one of 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "cloudwatch_log_group_kms_key_arn" {
  description = "Customer managed KMS key that encrypts the broker log group."
  type        = string
  default     = null
}

################################################################################
# Existing cluster
################################################################################

variable "existing_cluster_arn" {
  description = "ARN of the cluster to use in `existing` mode."
  type        = string
  default     = null

  validation {
    condition     = var.existing_cluster_arn == null || can(regex("^arn:aws[a-z-]*:kafka:[a-z0-9-]+:[0-9]{12}:cluster/[a-zA-Z0-9-]+/[a-zA-Z0-9-]+$", var.existing_cluster_arn))
    error_message = "existing_cluster_arn must look like arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID."
  }
}

variable "existing_bootstrap_brokers_sasl_iam" {
  description = "IAM bootstrap brokers of the existing cluster. Null: read with the aws_msk_bootstrap_brokers data source."
  type        = string
  default     = null
}

variable "existing_broker_security_group_ids" {
  description = "Security groups of the existing cluster's brokers. Null: read with the aws_msk_cluster data source."
  type        = list(string)
  default     = null
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
