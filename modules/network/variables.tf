################################################################################
# Security group
################################################################################

variable "create" {
  description = "Whether to create the connector security group and its rules."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name prefix of the connector security group."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9._-]{0,200}$", var.name))
    error_message = "name must be 1-201 characters of letters, digits, '.', '_' and '-'."
  }
}

variable "vpc_id" {
  description = "VPC the connectors run in."
  type        = string
}

################################################################################
# Rules
################################################################################

variable "databases" {
  description = <<-EOT
    Databases the connectors reach, keyed by a Terraform key (e.g. the DMS endpoint identifier):
    `port`, and either `cidr_blocks` or `security_group_id` (then, with
    `create_database_ingress`, the database's group also admits the connectors).
  EOT
  type = map(object({
    port              = number
    cidr_blocks       = optional(list(string), [])
    security_group_id = optional(string)
    description       = optional(string, "")
  }))
  default = {}

  validation {
    condition     = alltrue([for db in values(var.databases) : db.port >= 1 && db.port <= 65535])
    error_message = "every database port must be between 1 and 65535."
  }
  validation {
    condition     = alltrue([for db in values(var.databases) : (length(db.cidr_blocks) > 0) != (db.security_group_id != null)])
    error_message = "every database needs exactly one of cidr_blocks or security_group_id."
  }
}

variable "create_database_ingress" {
  description = "Also add an ingress rule to each database security group (`security_group_id`) for the connectors."
  type        = bool
  default     = true
}

variable "broker_security_group_ids" {
  description = "Security groups of the MSK brokers; egress to them on the IAM port, and (with `create_broker_ingress`) ingress on them from the connectors."
  type        = list(string)
  default     = []
}

variable "broker_cidr_blocks" {
  description = "CIDR blocks of the brokers, when their security groups are not managed here."
  type        = list(string)
  default     = []
}

variable "create_broker_ingress" {
  description = "Add an ingress rule on each broker security group for the connectors."
  type        = bool
  default     = true
}

variable "broker_port" {
  description = "Broker port for IAM-authenticated TLS clients."
  type        = number
  default     = 9098
}

variable "https_egress_cidr_blocks" {
  description = "Where the workers reach AWS APIs (Secrets Manager for the config provider) on 443: the VPC endpoints' or NAT's CIDRs."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "tags" {
  description = "Tags for the security group."
  type        = map(string)
  default     = {}
}
