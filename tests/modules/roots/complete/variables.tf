variable "region" {
  description = "Region of the example estate."
  type        = string
  default     = "ap-northeast-2"
}

variable "account_id" {
  description = "Account of the example estate."
  type        = string
  default     = "123456789012"
}

variable "vpc_id" {
  description = "VPC of the connectors and the cluster."
  type        = string
  default     = "vpc-0123456789abcdef0"
}

variable "subnet_ids" {
  description = "Subnets of the connectors and the brokers."
  type        = list(string)
  default     = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"]
}

variable "source_db_security_group_id" {
  description = "Security group of the MySQL source."
  type        = string
  default     = "sg-0bbbbbbbbbbbbbbb1"
}

variable "cluster_mode" {
  description = "provisioned, serverless or existing."
  type        = string
  default     = "provisioned"
}

variable "existing_cluster_arn" {
  description = "Cluster ARN in existing mode."
  type        = string
  default     = null
}

variable "existing_bootstrap_brokers_sasl_iam" {
  description = "Bootstrap brokers in existing mode."
  type        = string
  default     = null
}

variable "existing_broker_security_group_ids" {
  description = "Broker security groups in existing mode."
  type        = list(string)
  default     = null
}

variable "source_secret_arn" {
  description = "The DMS source endpoint's existing secret."
  type        = string
  default     = "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:dms/demosrc-AbCdEf"
}

variable "plugin_dir" {
  description = "Where `dms2msk plugins build` wrote the ZIPs."
  type        = string
  default     = "plugins"
}

variable "emulator" {
  description = "Leave out what an AWS emulator cannot create (MSK Connect resources)."
  type        = bool
  default     = false
}
