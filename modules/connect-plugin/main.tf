data "aws_partition" "current" {}

locals {
  bucket_arn = "arn:${data.aws_partition.current.partition}:s3:::${var.bucket_name}"
  plugins    = var.create ? var.plugins : {}

  # plan must work before `dms2msk plugins build` has run: hash only the ZIPs that exist.
  missing_zip_files = sort([for plugin in values(local.plugins) : plugin.zip_path if !fileexists(plugin.zip_path)])
  # dms2msk builds the ZIPs into OUT/plugins/: OUT is the folder above the first missing ZIP's.
  plugins_build_dir = length(local.missing_zip_files) > 0 ? dirname(dirname(local.missing_zip_files[0])) : "OUT"
}

################################################################################
# Bucket
################################################################################

resource "aws_s3_bucket" "this" {
  count = var.create && var.create_bucket ? 1 : 0

  #checkov:skip=CKV_AWS_18:Only MSK Connect (at plugin registration) and operators read this bucket; CloudTrail data events cover access auditing.
  #checkov:skip=CKV_AWS_144:Plugin ZIPs are rebuilt from Maven Central with `dms2msk plugins build`; a cross-region copy adds nothing.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new plugin objects; Terraform uploads and registers them in the same run.
  bucket = var.bucket_name
  tags   = var.tags
}

resource "aws_s3_bucket_versioning" "this" {
  count = var.create && var.create_bucket ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count = var.create && var.create_bucket ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  count = var.create && var.create_bucket ? 1 : 0

  bucket                  = aws_s3_bucket.this[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count = var.create && var.create_bucket ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    id     = "expire-replaced-plugin-versions"
    status = "Enabled"

    filter {
      prefix = var.s3_key_prefix
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
  }

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

################################################################################
# Plugins
################################################################################

resource "aws_s3_object" "this" {
  for_each = local.plugins

  bucket      = var.bucket_name
  key         = "${var.s3_key_prefix}${basename(each.value.zip_path)}"
  source      = each.value.zip_path
  source_hash = fileexists(each.value.zip_path) ? filemd5(each.value.zip_path) : null
  kms_key_id  = var.kms_key_arn
  tags        = var.tags

  # The object version pins the custom plugin, so versioning must be on before the upload.
  depends_on = [
    aws_s3_bucket_versioning.this,
    aws_s3_bucket_server_side_encryption_configuration.this,
    aws_s3_bucket_public_access_block.this,
  ]
}

resource "aws_mskconnect_custom_plugin" "this" {
  for_each = var.create_custom_plugins ? local.plugins : {}

  name         = "${var.name_prefix}${each.key}"
  description  = each.value.description
  content_type = "ZIP"

  location {
    s3 {
      bucket_arn     = local.bucket_arn
      file_key       = aws_s3_object.this[each.key].key
      object_version = aws_s3_object.this[each.key].version_id
    }
  }

  tags = var.tags
}

check "plugin_zips_built" {
  assert {
    condition     = length(local.missing_zip_files) == 0
    error_message = "Plugin ZIP(s) not built yet: ${join(", ", local.missing_zip_files)}. Run `dms2msk plugins build ${local.plugins_build_dir}` before `terraform apply`."
  }
}
