locals {
  # Classes of aws-samples/msk-config-providers, which `dms2msk plugins build` puts into every plugin ZIP.
  provider_classes = {
    secretsmanager = "com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider"
    ssm            = "com.amazonaws.kafka.config.providers.SsmParamStoreConfigProvider"
    s3import       = "com.amazonaws.kafka.config.providers.S3ImportConfigProvider"
  }
  config_providers = sort(distinct(var.config_providers))

  provider_properties = merge(
    length(local.config_providers) > 0 ? { "config.providers" = join(",", local.config_providers) } : {},
    merge([for provider in local.config_providers : {
      "config.providers.${provider}.class" = local.provider_classes[provider]
    }]...),
    contains(local.config_providers, "secretsmanager") ? { "config.providers.secretsmanager.param.region" = var.region } : {},
    contains(local.config_providers, "ssm") ? { "config.providers.ssm.param.region" = var.region } : {},
    contains(local.config_providers, "s3import") ? {
      "config.providers.s3import.param.region"    = var.region
      "config.providers.s3import.param.local.dir" = var.s3import_local_dir
    } : {},
  )

  typed_properties = merge(
    {
      "key.converter"                     = var.key_converter
      "key.converter.schemas.enable"      = tostring(var.schemas_enable)
      "value.converter"                   = var.value_converter
      "value.converter.schemas.enable"    = tostring(var.schemas_enable)
      "offset.flush.interval.ms"          = tostring(var.offset_flush_interval_ms)
      "offset.flush.timeout.ms"           = tostring(var.offset_flush_timeout_ms)
      "offset.storage.topic"              = var.offset_storage_topic
      "task.shutdown.graceful.timeout.ms" = tostring(var.task_shutdown_graceful_timeout_ms)
    },
    local.provider_properties,
    var.extra_properties,
  )

  # A complete map (what dms2msk computes) wins over the typed variables.
  properties = var.properties != null ? var.properties : tomap(local.typed_properties)

  # Sorted lines: the same inputs always give the same content (a change replaces the configuration).
  properties_file_content = join("", [for key in sort(keys(local.properties)) : "${key}=${local.properties[key]}\n"])
}

################################################################################
# Worker configuration
################################################################################

resource "aws_mskconnect_worker_configuration" "this" {
  count = var.create ? 1 : 0

  name                    = var.name
  description             = var.description
  properties_file_content = local.properties_file_content
  tags                    = var.tags
}
