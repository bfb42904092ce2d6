"""Run the Terraform CLI on a rendered folder: init, validate, fmt, offline plan, show.

Built on python-terraform. Every command that writes (``init`` makes ``.terraform``,
``plan`` writes a plan file, the offline plan adds a provider override) runs on a
temporary copy, so the rendered folder stays exactly what ``dms2msk render`` wrote.

The offline plan needs no AWS account: the provider gets dummy credentials and
its skip flags through an override file in the copy, and ``-refresh=false``
keeps it from reading real resources.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_terraform import IsFlagged, IsNotFlagged
from python_terraform import Terraform as _PythonTerraform

from .errors import ToolError

PLUGIN_DIR_ENV = "DMS2MSK_TF_PLUGIN_DIR"
"""Environment variable naming a provider filesystem mirror for ``terraform init -plugin-dir``."""
TERRAFORM_BIN_ENV = "DMS2MSK_TERRAFORM"
"""Environment variable naming the terraform binary (default: ``terraform`` on PATH)."""
DEFAULT_PLUGIN_DIR = Path("/opt/tf-plugins")

OFFLINE_OVERRIDE_FILE = "zz_dms2msk_offline_override.tf"
OFFLINE_OVERRIDE = """\
# Written by dms2msk into a temporary copy only: dummy credentials and the
# provider's skip flags, so that `plan -refresh=false` makes no AWS call.
provider "aws" {
  access_key                  = "dms2msk-offline"
  secret_key                  = "dms2msk-offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
"""

# What a copy leaves out: local Terraform state of a user's own run, and the plugin
# ZIPs (linked instead, they can be large).
_NOT_COPIED = (".terraform", ".terraform.lock.hcl", "terraform.tfstate", "terraform.tfstate.backup")
_LINKED = ("plugins",)

# python-terraform passes os.environ to terraform; changes to it are serialised.
_ENVIRON_LOCK = threading.Lock()


def find_terraform() -> str:
    """The terraform binary to run, or a ToolError saying how to get one."""
    configured = os.environ.get(TERRAFORM_BIN_ENV)
    candidate = shutil.which(configured or "terraform")
    if candidate is None:
        raise ToolError(
            f"terraform was not found ({'$' + TERRAFORM_BIN_ENV + '=' + configured if configured else 'not on PATH'})",
            hint="install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install) "
            f"or set {TERRAFORM_BIN_ENV} to its path",
        )
    return candidate


def find_plugin_dir() -> Path | None:
    """The provider mirror for ``init -plugin-dir``: $DMS2MSK_TF_PLUGIN_DIR, else /opt/tf-plugins, else none."""
    configured = os.environ.get(PLUGIN_DIR_ENV)
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise ToolError(
                f"${PLUGIN_DIR_ENV}={configured} is not a folder",
                hint="point it at a provider filesystem mirror (registry.terraform.io/hashicorp/aws/...)",
            )
        return path
    return DEFAULT_PLUGIN_DIR if DEFAULT_PLUGIN_DIR.is_dir() else None


@dataclass(frozen=True)
class TerraformResult:
    """What one terraform command did."""

    command: str
    return_code: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class ValidateResult:
    valid: bool
    diagnostics: tuple[dict[str, Any], ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[dict[str, Any], ...]:
        return tuple(d for d in self.diagnostics if d.get("severity") == "error")


class Terraform:
    """Terraform commands on one working folder (which they may write to)."""

    def __init__(
        self,
        working_dir: str | Path,
        *,
        plugin_dir: Path | str | None = "auto",
        binary: str | None = None,
        environment: Mapping[str, str] | None = None,
    ) -> None:
        self.working_dir = Path(working_dir)
        self.binary = binary or find_terraform()
        self.plugin_dir = find_plugin_dir() if plugin_dir == "auto" else (Path(plugin_dir) if plugin_dir else None)
        # TF_IN_AUTOMATION shortens the output; no input prompts ever.
        self.environment = {"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1", **(environment or {})}
        self._tf = _PythonTerraform(working_dir=str(self.working_dir), terraform_bin_path=self.binary)

    # -- plumbing ---------------------------------------------------------- #

    @contextlib.contextmanager
    def _environ(self) -> Iterator[None]:
        with _ENVIRON_LOCK:
            saved = {key: os.environ.get(key) for key in self.environment}
            os.environ.update(self.environment)
            try:
                yield
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value

    def run(
        self, command: str, *args: str, must_succeed: bool = True, ok_codes: tuple[int, ...] = (0,), **options: Any
    ) -> TerraformResult:
        """Run ``terraform <command>``; a failure raises ToolError with terraform's stderr."""
        options.setdefault("no_color", IsFlagged)
        with self._environ():
            try:
                code, out, err = self._tf.cmd(command, *args, **options)
            except OSError as exc:
                raise ToolError(f"terraform could not be started ({self.binary}): {exc}") from None
        result = TerraformResult(command=command, return_code=code, stdout=out or "", stderr=err or "")
        if must_succeed and code not in ok_codes:
            detail = (result.stderr.strip() or result.stdout.strip())[-4000:]
            raise ToolError(
                f"terraform {command} failed in {self.working_dir} (exit {code}):\n{detail}",
                hint="read terraform's message above; re-render with `dms2msk render` if the folder was edited",
            )
        return result

    # -- commands ---------------------------------------------------------- #

    def init(self) -> TerraformResult:
        """``terraform init`` without a backend, from the provider mirror when there is one."""
        options: dict[str, Any] = {"input": False, "backend": False}
        if self.plugin_dir is not None:
            options["plugin_dir"] = str(self.plugin_dir)
        return self.run("init", **options)

    def validate(self) -> ValidateResult:
        """``terraform validate -json`` (after init); the diagnostics are returned, not raised."""
        result = self.run("validate", must_succeed=False, json=IsFlagged)
        try:
            data = json.loads(result.stdout)
        except json.JSONDecodeError:
            raise ToolError(f"terraform validate failed in {self.working_dir}:\n{result.stderr.strip()}") from None
        return ValidateResult(valid=bool(data.get("valid")), diagnostics=tuple(data.get("diagnostics") or ()), raw=data)

    def fmt_check(self, *, recursive: bool = True) -> list[str]:
        """Files ``terraform fmt -check`` would change (empty when all are formatted)."""
        result = self.run(
            "fmt",
            must_succeed=False,
            ok_codes=(0, 3),
            **{"check": IsFlagged, "recursive": IsFlagged if recursive else IsNotFlagged, "list": "true"},
        )
        if result.return_code not in (0, 3):
            raise ToolError(f"terraform fmt failed in {self.working_dir}:\n{result.stderr.strip()}")
        return sorted(line.strip() for line in result.stdout.splitlines() if line.strip())

    def plan(self, plan_file: str = "dms2msk.tfplan", *, variables: Mapping[str, Any] | None = None) -> TerraformResult:
        """``terraform plan -refresh=false -out PLAN`` (no lock: the folder is a private copy)."""
        options: dict[str, Any] = {
            "refresh": False,
            "out": plan_file,
            "input": False,
            "lock": False,
            "detailed_exitcode": IsNotFlagged,
        }
        if variables:
            options["var"] = dict(variables)
        return self.run("plan", **options)

    def show_json(self, plan_file: str = "dms2msk.tfplan") -> dict[str, Any]:
        result = self.run("show", plan_file, json=IsFlagged)
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError as exc:
            raise ToolError(f"terraform show -json did not print JSON: {exc}") from None


# --------------------------------------------------------------------------- #
# On a copy of a rendered folder                                               #
# --------------------------------------------------------------------------- #


def copy_for_terraform(out_dir: str | Path, destination: str | Path) -> Path:
    """Copy a rendered folder for terraform to write into, leaving out local state; plugin ZIPs are linked."""
    source = Path(out_dir)
    if not (source / "main.tf").is_file():
        raise ToolError(f"{source} has no main.tf", hint=f"run `dms2msk render {shlex.quote(str(source))}` first")
    target = Path(destination)
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir()):
        if entry.name in _NOT_COPIED or entry.suffix == ".tfplan":
            continue
        if entry.name in _LINKED and entry.is_dir():
            (target / entry.name).symlink_to(entry.resolve(), target_is_directory=True)
        elif entry.is_dir():
            shutil.copytree(entry, target / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, target / entry.name)
    return target


@contextlib.contextmanager
def working_copy(out_dir: str | Path, *, offline: bool = True) -> Iterator[Path]:
    """A temporary copy of ``out_dir`` (with the offline provider override), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="dms2msk-tf-") as scratch:
        copy = copy_for_terraform(out_dir, Path(scratch) / "root")
        if offline:
            (copy / OFFLINE_OVERRIDE_FILE).write_text(OFFLINE_OVERRIDE, encoding="utf-8")
        yield copy


@dataclass(frozen=True)
class OfflineCheck:
    """The outcome of validate + offline plan on a rendered folder."""

    validate: ValidateResult
    plan: dict[str, Any] | None  # `terraform show -json` of the plan; None when validate failed
    unformatted: tuple[str, ...] = ()


def validate_dir(out_dir: str | Path, *, plugin_dir: Path | str | None = "auto") -> ValidateResult:
    """``init`` + ``validate`` on a copy of ``out_dir``."""
    with working_copy(out_dir) as copy:
        terraform = Terraform(copy, plugin_dir=plugin_dir)
        terraform.init()
        return terraform.validate()


def fmt_check_dir(out_dir: str | Path) -> list[str]:
    """Files under ``out_dir`` that ``terraform fmt -check -recursive`` would change (read-only)."""
    # fmt -check writes nothing and needs no init, so it runs on OUT itself.
    return Terraform(out_dir, plugin_dir=None).fmt_check(recursive=True)


def plan_json(
    out_dir: str | Path,
    *,
    plugin_dir: Path | str | None = "auto",
    variables: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``terraform show -json`` of an offline plan of ``out_dir`` (init, validate, plan on a copy)."""
    return offline_check(out_dir, plugin_dir=plugin_dir, variables=variables, require_valid=True).plan or {}


def offline_check(
    out_dir: str | Path,
    *,
    plugin_dir: Path | str | None = "auto",
    variables: Mapping[str, Any] | None = None,
    require_valid: bool = False,
) -> OfflineCheck:
    """fmt -check, init, validate and (when valid) an offline plan of ``out_dir``, all without changing it."""
    unformatted = tuple(fmt_check_dir(out_dir))
    with working_copy(out_dir) as copy:
        terraform = Terraform(copy, plugin_dir=plugin_dir)
        terraform.init()
        validation = terraform.validate()
        if not validation.valid:
            if require_valid:
                messages = "; ".join(_diagnostic_text(d) for d in validation.errors) or "invalid configuration"
                raise ToolError(f"terraform validate failed for {out_dir}: {messages}")
            return OfflineCheck(validate=validation, plan=None, unformatted=unformatted)
        terraform.plan(variables=variables)
        return OfflineCheck(validate=validation, plan=terraform.show_json(), unformatted=unformatted)


def _diagnostic_text(diagnostic: Mapping[str, Any]) -> str:
    where = diagnostic.get("range") or {}
    position = f"{where.get('filename')}:{(where.get('start') or {}).get('line')}" if where else ""
    text = f"{diagnostic.get('summary', '')}: {diagnostic.get('detail', '')}".strip(": ")
    return f"{position} {text}".strip()


def planned_resources(plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every resource in a plan JSON's planned values, across nested modules, sorted by address."""
    found: list[dict[str, Any]] = []

    def walk(module: Mapping[str, Any]) -> None:
        found.extend(module.get("resources") or ())
        for child in module.get("child_modules") or ():
            walk(child)

    walk((plan.get("planned_values") or {}).get("root_module") or {})
    return sorted(found, key=lambda r: r.get("address", ""))


def created_addresses(plan: Mapping[str, Any]) -> list[str]:
    """Addresses of the managed resources the plan creates."""
    return sorted(
        change["address"]
        for change in plan.get("resource_changes") or ()
        if change.get("mode") == "managed" and "create" in (change.get("change") or {}).get("actions", ())
    )
