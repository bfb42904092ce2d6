"""dms2msk: AWS DMS tasks to Debezium connectors on Amazon MSK Connect, as Terraform.

The stages are usable as a library::

    from dms2msk import scan, map_inventory, render
    inventory = scan.scan(regions=["ap-northeast-2"])
    result = map_inventory(inventory)
    render.render(result, "out/")
"""

__version__ = "0.1.0"
