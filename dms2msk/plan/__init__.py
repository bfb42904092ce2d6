"""The migration plan: diff the rendered estate against what exists, and say how to cut over.

Library use::

    from dms2msk.plan import plan, to_markdown
    result = plan("out/", state="terraform.tfstate", inventory=load_inventory("dms2msk-inventory.json"),
                  primary_key_reports=["pk.csv"])  # the output of the primary-key query each task prints
    print(to_markdown(result))
"""

from __future__ import annotations

from .core import make_plan, plan
from .desired import DesiredEstate, load_desired
from .diff import diff_estate, plugin_identity
from .existing import load_state, no_existing_state, read_live
from .keys import PrimaryKeyCheck, PrimaryKeyReport, check_primary_keys, load_primary_key_reports
from .migration import decommission, inventory_drift
from .report import exit_code, summary, to_json, to_markdown
from .types import Action, MigrationPlan

__all__ = [
    "Action",
    "DesiredEstate",
    "MigrationPlan",
    "PrimaryKeyCheck",
    "PrimaryKeyReport",
    "check_primary_keys",
    "decommission",
    "diff_estate",
    "exit_code",
    "inventory_drift",
    "load_desired",
    "load_primary_key_reports",
    "load_state",
    "make_plan",
    "no_existing_state",
    "plan",
    "plugin_identity",
    "read_live",
    "summary",
    "to_json",
    "to_markdown",
]
