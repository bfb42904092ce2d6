"""No stage after mapping reads include lists or the transform chain back out of a connector config.

Mapping compiles DMS rules into typed results (``Connector.captured_tables``, ``Connector.selection``,
``Connector.key_columns``, ``Connector.plugin_requirements``; read through :func:`dms2msk.capture.capture_set`)
and flattens them into properties; render writes those properties out. Any other module reading
``table.include.list``/``schema.include.list``/``database.include.list``/``collection.include.list``,
``message.key.columns`` or ``transforms`` back from a config re-derives meaning from text, and the parse bugs of
issue 14 come back with each such reader. This scan finds every such literal outside ``dms2msk/mapping`` and
``dms2msk/render``; only the validators (catalog, verify) and the one reader of older manifests
(``legacy_manifest._read``) are listed in :data:`ALLOWED`, and a reader that goes away must leave the list, so
the list can only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "dms2msk"
OWNERS = ("mapping", "render")
"""Mapping produces the properties from typed data; render writes them into files and Terraform."""

WATCHED_KEYS = frozenset(
    {
        "table.include.list",
        "schema.include.list",
        "database.include.list",
        "collection.include.list",
        "message.key.columns",
        "transforms",
    }
)
"""Connector properties whose values say what is captured, what keys it and which SMTs run (plus ``transforms.*``)."""
KEY_ATTRIBUTES = frozenset({"table_list_key", "schema_list_key"})
"""``IdentifierStyle`` attributes naming an engine's include-list keys: reading one is reading the key."""

ALLOWED: dict[tuple[str, str], str] = {
    # The catalog checks every property key against Debezium's ConfigDefs: reading keys is its job, and its
    # "transforms" section is its own data file's, not a connector property.
    ("catalog/__init__.py", "_raw_3x"): "merges the catalog data file's 'transforms' section",
    ("catalog/__init__.py", "_raw_derived"): "applies the 2.7 overlay to the catalog data's 'transforms' section",
    ("catalog/__init__.py", "load_catalog"): "builds ClassSpecs from the catalog data's 'transforms' section",
    ("catalog/__init__.py", "_check_chain"): "validates the transforms chain's keys and options against the catalog",
    ("catalog/__init__.py", "check_properties"): "validates every key, the transforms.* ones included",
    ("catalog/extract.py", "extract"): "writes the 'transforms' section of the extracted catalog",
    # verify runs a config the way Kafka Connect would: instantiating its SMT chain from the properties is the
    # point of the check, not an inference.
    ("verify/engine.py", "TransformChain.__init__"): "builds the SMT chain from the config, as the worker does",
    ("verify/offline.py", "_chain_checks"): "configures each SMT of the chain with the real classes",
    # Manifests written by older versions carry the capture set, key columns and SMT chain only as properties:
    # one function reads them, for every consumer (dms2msk.capture.capture_set, plugins.needs_scripting).
    ("legacy_manifest.py", "_read"): "reads an older manifest's include lists, message.key.columns and SMT types",
}
"""``(path under dms2msk, enclosing function) -> why it still reads a watched property``."""


def _watched(value: object) -> bool:
    return isinstance(value, str) and (value in WATCHED_KEYS or value.startswith("transforms."))


class _Readers(ast.NodeVisitor):
    """Every watched key literal in a read position, by enclosing function (``<module>`` at the top level).

    Writing positions are not reads: dict literal keys, assignment targets (``config["k"] = v``), keyword
    arguments (``IdentifierStyle(schema_list_key="...")`` declares the key), annotated defaults and docstrings.
    Reading a key through a module constant that holds it (``TABLE_LIST_KEYS``) or through an
    ``IdentifierStyle`` key attribute counts as a read where it happens.
    """

    def __init__(self, key_constants: frozenset[str] = frozenset()) -> None:
        self.scope: list[str] = []
        self.not_reads: set[int] = set()
        self.found: set[str] = set()
        self.key_constants = key_constants

    def _read_here(self) -> None:
        self.found.add(".".join(self.scope) or "<module>")

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load) and node.id in self.key_constants:
            self._read_here()

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.ctx, ast.Load) and node.attr in KEY_ATTRIBUTES:
            self._read_here()
        self.generic_visit(node)

    def _scoped(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def visit_Expr(self, node: ast.Expr) -> None:
        if not isinstance(node.value, ast.Constant):  # a bare string statement is a docstring
            self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        self.not_reads.update(id(key) for key in node.keys if key is not None)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Store):
            self.not_reads.add(id(node.slice))
        self.generic_visit(node)

    def visit_keyword(self, node: ast.keyword) -> None:
        self.not_reads.add(id(node.value))
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.not_reads.add(id(node.value))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if id(node) not in self.not_reads and _watched(node.value):
            self._read_here()


def _key_constants(tree: ast.Module) -> frozenset[str]:
    """Module-level names assigned a value that holds a watched key (``TABLE_LIST_KEYS = (...)``)."""
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(node, ast.Constant) and _watched(node.value) for node in ast.walk(statement.value)
        ):
            names.update(target.id for target in statement.targets if isinstance(target, ast.Name))
    return frozenset(names)


def _readers_in(code: str) -> set[str]:
    tree = ast.parse(code)
    visitor = _Readers(_key_constants(tree))
    visitor.visit(tree)
    return visitor.found


def _readers() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.split("/", 1)[0] in OWNERS:
            continue
        found.update((relative, scope) for scope in _readers_in(path.read_text(encoding="utf-8")))
    return found


def test_scanner_sees_reads_and_not_writes() -> None:
    reads = (
        "def a(c):\n    return c.get('table.include.list')\n"
        "def b(c):\n    return c['schema.include.list']\n"
        "def d(c):\n    return 'transforms' in c\n"
        "def e(c, x):\n    return c.get(f'transforms.{x}.type')\n"
        "KEYS = ('database.include.list', 'collection.include.list')\n"
        "def f(c):\n    return [c.get(k) for k in KEYS]\n"
        "def g(c, style):\n    return c.get(style.table_list_key)\n"
        "def h(c):\n    return c.get('message.key.columns', '').split(';')\n"
    )
    assert _readers_in(reads) == {"a", "b", "d", "e", "f", "g", "h", "<module>"}
    writes = (
        '"""table.include.list in a docstring."""\n'
        "def w(c):\n    c['table.include.list'] = 'x'\n    return {'transforms': 'a', 'transforms.a.type': 'T'}\n"
        "S = Style(schema_list_key='database.include.list')\n"
        "class F:\n    table_list_key: str = 'table.include.list'\n"
    )
    assert _readers_in(writes) == set()


def test_no_new_module_reads_connector_properties_back() -> None:
    new = sorted(f"dms2msk/{path}: {scope}" for path, scope in _readers() - set(ALLOWED))
    assert not new, (
        "these read include lists or transforms back from a connector config; carry the meaning as a typed field "
        "from mapping instead (Connector.captured_tables, Connector.plugin_requirements, ...):\n" + "\n".join(new)
    )


def test_the_allow_list_only_shrinks() -> None:
    stale = sorted(f"{path}: {scope}" for path, scope in set(ALLOWED) - _readers())
    assert not stale, f"these no longer read the properties back; remove their ALLOWED entries: {stale}"
