################################################################################
# Bucket
################################################################################

output "bucket_name" {
  description = "Bucket that holds the plugin ZIPs."
  value       = var.create ? var.bucket_name : null
}

output "bucket_arn" {
  description = "ARN of the bucket that holds the plugin ZIPs."
  value       = var.create ? local.bucket_arn : null
}

################################################################################
# Plugins
################################################################################

output "plugins" {
  description = "Per plugin key: custom plugin `arn` and `revision` (null when not registered), uploaded `object_arn`, `object_key` and `object_version`."
  value = {
    for key, object in aws_s3_object.this : key => {
      arn            = try(aws_mskconnect_custom_plugin.this[key].arn, null)
      revision       = try(aws_mskconnect_custom_plugin.this[key].latest_revision, null)
      object_arn     = "${local.bucket_arn}/${object.key}"
      object_key     = object.key
      object_version = object.version_id
    }
  }
}

output "missing_zip_files" {
  description = "ZIP paths that do not exist yet; run `dms2msk plugins build OUT` before apply."
  value       = local.missing_zip_files
}
