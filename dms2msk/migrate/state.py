"""The migrate state file ``OUT/dms2msk-migrate.json``: which cut-over step of which task is done.

Written atomically after every step (a temporary file next to it, then renamed), so an interrupted
run leaves either the previous state or the next one, never half of one; a re-run resumes at the
first step that is not done.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError
from ..files import write_file
from ..model import from_jsonable, to_jsonable

STATE_FILE = "dms2msk-migrate.json"
STATE_VERSION = 1

STEPS = ("precheck", "drain", "stop", "counts", "handover")
"""The overlap cut-over of one task, in order (README: `dms2msk migrate`)."""

STARTED = "started"
DONE = "done"


@dataclass(frozen=True)
class StepRecord:
    step: str
    state: str  # STARTED | DONE
    at: str  # UTC, ISO 8601
    detail: str = ""


@dataclass(frozen=True)
class TaskRecord:
    task_identifier: str
    task_arn: str
    steps: tuple[StepRecord, ...] = ()
    rolled_back_at: str | None = None

    def state_of(self, step: str) -> str | None:
        return next((r.state for r in reversed(self.steps) if r.step == step), None)

    def next_step(self) -> str | None:
        """The first step not done; None when the cut-over is complete."""
        return next((s for s in STEPS if self.state_of(s) != DONE), None)

    def with_step(self, record: StepRecord) -> TaskRecord:
        kept = tuple(r for r in self.steps if r.step != record.step)
        return replace(self, steps=(*kept, record))


@dataclass(frozen=True)
class MigrationState:
    version: int = STATE_VERSION
    task_arns: tuple[str, ...] = ()  # the pipelines of OUT when the first step ran: OUT must not change under us
    tasks: dict[str, TaskRecord] = field(default_factory=dict)

    def task(self, identifier: str, arn: str) -> TaskRecord:
        return self.tasks.get(identifier) or TaskRecord(identifier, arn)

    def with_task(self, record: TaskRecord) -> MigrationState:
        return replace(self, tasks={**self.tasks, record.task_identifier: record})


def state_path(out_dir: Path) -> Path:
    return Path(out_dir) / STATE_FILE


def load_state(out_dir: Path) -> MigrationState:
    """The state of earlier runs; an empty one when there is none."""
    path = state_path(out_dir)
    hint = f"move {path} aside (it is yours to keep) and re-run, or fix the file"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return MigrationState()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"migrate state {path} is not JSON: {exc}", hint=hint) from None
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        raise InputError(f"migrate state {path} is not a version-{STATE_VERSION} dms2msk migrate state", hint=hint)
    try:
        return from_jsonable(MigrationState, data, where=str(path))
    except (ValueError, TypeError, KeyError) as exc:
        raise InputError(f"migrate state {path} does not match its schema: {exc}", hint=hint) from None


def save_state(out_dir: Path, state: MigrationState) -> None:
    """Atomically (the shared writer): a reader or a crash sees the old state or the new one, never half of it."""
    write_file(state_path(out_dir), json.dumps(to_jsonable(state), indent=2, sort_keys=True) + "\n")
