locals {
  databases_by_cidr = { for key, db in var.databases : key => db if var.create && length(db.cidr_blocks) > 0 }
  databases_by_sg   = { for key, db in var.databases : key => db if var.create && db.security_group_id != null }
  broker_groups     = var.create ? { for index, id in var.broker_security_group_ids : tostring(index) => id } : {}
}

################################################################################
# Security group
################################################################################

resource "aws_security_group" "this" {
  count = var.create ? 1 : 0

  #checkov:skip=CKV2_AWS_5:The group is attached by the MSK Connect connectors, which are in another module.
  name_prefix = "${var.name}-"
  description = "MSK Connect workers of ${var.name}: egress to the databases, the brokers and AWS APIs only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}

################################################################################
# Rules
################################################################################

# aws_security_group_rule, not aws_vpc_security_group_*_rule: the latter reads back a different
# group reference under some emulators and would show a change on every plan.
resource "aws_security_group_rule" "database_cidr_egress" {
  for_each = local.databases_by_cidr

  type              = "egress"
  security_group_id = aws_security_group.this[0].id
  protocol          = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_blocks       = each.value.cidr_blocks
  description       = coalesce(each.value.description, "Connectors to database ${each.key}")
}

resource "aws_security_group_rule" "database_sg_egress" {
  for_each = local.databases_by_sg

  type                     = "egress"
  security_group_id        = aws_security_group.this[0].id
  protocol                 = "tcp"
  from_port                = each.value.port
  to_port                  = each.value.port
  source_security_group_id = each.value.security_group_id
  description              = coalesce(each.value.description, "Connectors to database ${each.key}")
}

resource "aws_security_group_rule" "database_sg_ingress" {
  for_each = var.create_database_ingress ? local.databases_by_sg : {}

  type                     = "ingress"
  security_group_id        = each.value.security_group_id
  protocol                 = "tcp"
  from_port                = each.value.port
  to_port                  = each.value.port
  source_security_group_id = aws_security_group.this[0].id
  description              = "MSK Connect workers of ${var.name} to database ${each.key}"
}

resource "aws_security_group_rule" "broker_sg_egress" {
  for_each = local.broker_groups

  type                     = "egress"
  security_group_id        = aws_security_group.this[0].id
  protocol                 = "tcp"
  from_port                = var.broker_port
  to_port                  = var.broker_port
  source_security_group_id = each.value
  description              = "Connectors to the MSK brokers (IAM auth over TLS)"
}

resource "aws_security_group_rule" "broker_sg_ingress" {
  for_each = var.create_broker_ingress ? local.broker_groups : {}

  type                     = "ingress"
  security_group_id        = each.value
  protocol                 = "tcp"
  from_port                = var.broker_port
  to_port                  = var.broker_port
  source_security_group_id = aws_security_group.this[0].id
  description              = "MSK Connect workers of ${var.name} (IAM auth over TLS)"
}

resource "aws_security_group_rule" "broker_cidr_egress" {
  count = var.create && length(var.broker_cidr_blocks) > 0 ? 1 : 0

  type              = "egress"
  security_group_id = aws_security_group.this[0].id
  protocol          = "tcp"
  from_port         = var.broker_port
  to_port           = var.broker_port
  cidr_blocks       = var.broker_cidr_blocks
  description       = "Connectors to the MSK brokers (IAM auth over TLS)"
}

resource "aws_security_group_rule" "https_egress" {
  count = var.create && length(var.https_egress_cidr_blocks) > 0 ? 1 : 0

  type              = "egress"
  security_group_id = aws_security_group.this[0].id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = var.https_egress_cidr_blocks
  description       = "Workers to AWS APIs (Secrets Manager config provider)"
}
