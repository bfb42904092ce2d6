locals {
  name          = "dms2msk"
  plugin_key    = "debezium-connector-mysql-2.7.3.Final"
  sink_plugin   = "debezium-connector-jdbc-2.7.3.Final"
  source_name   = "demosrc-source"
  sink_name     = "demosrc-sink"
  topic_prefix  = "demosrc"
  history_topic = "demosrc.schema-history"
}

module "kms" {
  source = "./modules/kms"

  name       = local.name
  account_id = var.account_id
}

module "cluster" {
  source = "./modules/msk-cluster"

  name                                = local.name
  mode                                = var.cluster_mode
  vpc_id                              = var.vpc_id
  client_subnets                      = var.subnet_ids
  number_of_broker_nodes              = 3
  encryption_at_rest_kms_key_arn      = module.kms.key_arn
  cloudwatch_log_group_kms_key_arn    = module.kms.key_arn
  existing_cluster_arn                = var.existing_cluster_arn
  existing_bootstrap_brokers_sasl_iam = var.existing_bootstrap_brokers_sasl_iam
  existing_broker_security_group_ids  = var.existing_broker_security_group_ids
}

module "plugins" {
  source = "./modules/connect-plugin"

  bucket_name           = "dms2msk-plugins-${var.account_id}"
  kms_key_arn           = module.kms.key_arn
  create_custom_plugins = !var.emulator
  plugins = {
    (local.plugin_key)  = { zip_path = "${var.plugin_dir}/${local.plugin_key}.zip" }
    (local.sink_plugin) = { zip_path = "${var.plugin_dir}/${local.sink_plugin}.zip" }
  }
}

module "worker_config" {
  source = "./modules/worker-config"

  create = !var.emulator
  name   = "${local.name}-workers"
  region = var.region
}

module "secrets" {
  source = "./modules/secrets"

  kms_key_arn             = module.kms.key_arn
  recovery_window_in_days = 0
  secrets = {
    demosrc_sink = { name = "${local.name}/demosrc/sink", description = "JDBC sink credentials of task demosrc" }
  }
  existing_secret_arns = {
    demosrc_source = var.source_secret_arn
  }
}

module "network" {
  source = "./modules/network"

  name                      = "${local.name}-connectors"
  vpc_id                    = var.vpc_id
  broker_security_group_ids = module.cluster.broker_security_group_ids
  databases = {
    demosrc_mysql = { port = 3306, security_group_id = var.source_db_security_group_id }
    demosrc_pg    = { port = 5432, cidr_blocks = ["10.0.8.0/24"] }
  }
}

module "demosrc_source" {
  source = "./modules/connector"

  create_connector  = !var.emulator
  name              = local.source_name
  role              = "source"
  bootstrap_servers = module.cluster.bootstrap_brokers_sasl_iam
  connector_configuration = {
    "connector.class"                                    = "io.debezium.connector.mysql.MySqlConnector"
    "tasks.max"                                          = "1"
    "database.hostname"                                  = "demosrc.cluster-abc.ap-northeast-2.rds.amazonaws.com"
    "database.port"                                      = "3306"
    "database.user"                                      = "$${secretsmanager:${var.source_secret_arn}:username}"
    "database.password"                                  = "$${secretsmanager:${var.source_secret_arn}:password}"
    "database.server.id"                                 = "184054"
    "topic.prefix"                                       = local.topic_prefix
    "schema.history.internal.kafka.topic"                = local.history_topic
    "schema.history.internal.kafka.bootstrap.servers"    = module.cluster.bootstrap_brokers_sasl_iam
    "schema.history.internal.producer.security.protocol" = "SASL_SSL"
    "schema.history.internal.consumer.security.protocol" = "SASL_SSL"
  }
  subnet_ids          = var.subnet_ids
  security_group_ids  = [module.network.security_group_id]
  plugin_arn          = coalesce(module.plugins.plugins[local.plugin_key].arn, "arn:aws:kafkaconnect:${var.region}:${var.account_id}:custom-plugin/none/none")
  plugin_revision     = coalesce(module.plugins.plugins[local.plugin_key].revision, 1)
  plugin_object_arn   = module.plugins.plugins[local.plugin_key].object_arn
  cluster_arn         = coalesce(module.cluster.arn, "arn:aws:kafka:${var.region}:${var.account_id}:cluster/none/none")
  write_topics        = ["${local.topic_prefix}.*", "__debezium-heartbeat.${local.topic_prefix}", local.history_topic]
  read_topics         = [local.history_topic]
  consumer_groups     = ["${local.source_name}-schemahistory"]
  secret_arns         = [module.secrets.secret_arns["demosrc_source"]]
  secret_kms_key_arns = [module.kms.key_arn]
  log_kms_key_arn     = module.kms.key_arn

  worker_configuration_arn      = module.worker_config.arn
  worker_configuration_revision = module.worker_config.latest_revision
}

module "demosrc_sink" {
  source = "./modules/connector"

  create_connector     = !var.emulator
  name                 = local.sink_name
  role                 = "sink"
  kafkaconnect_version = "2.7.1"
  max_tasks            = 2
  capacity_mode        = "autoscaling"
  bootstrap_servers    = module.cluster.bootstrap_brokers_sasl_iam
  connector_configuration = {
    "connector.class"     = "io.debezium.connector.jdbc.JdbcSinkConnector"
    "tasks.max"           = "2"
    "topics.regex"        = "${local.topic_prefix}\\..*"
    "connection.url"      = "jdbc:postgresql://10.0.8.10:5432/demo"
    "connection.username" = "$${secretsmanager:${local.name}/demosrc/sink:username}"
    "connection.password" = "$${secretsmanager:${local.name}/demosrc/sink:password}"
  }
  subnet_ids          = var.subnet_ids
  security_group_ids  = [module.network.security_group_id]
  plugin_arn          = coalesce(module.plugins.plugins[local.sink_plugin].arn, "arn:aws:kafkaconnect:${var.region}:${var.account_id}:custom-plugin/none/none")
  plugin_revision     = coalesce(module.plugins.plugins[local.sink_plugin].revision, 1)
  plugin_object_arn   = module.plugins.plugins[local.sink_plugin].object_arn
  cluster_arn         = coalesce(module.cluster.arn, "arn:aws:kafka:${var.region}:${var.account_id}:cluster/none/none")
  read_topics         = ["${local.topic_prefix}.*"]
  write_topics        = ["${local.topic_prefix}-dlq"]
  secret_arns         = [module.secrets.secret_arns["demosrc_sink"]]
  secret_kms_key_arns = [module.kms.key_arn]
  log_kms_key_arn     = module.kms.key_arn

  worker_configuration_arn      = module.worker_config.arn
  worker_configuration_revision = module.worker_config.latest_revision
}
