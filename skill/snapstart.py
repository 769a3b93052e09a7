"""Lambda SnapStart: what each execution environment resumed from one snapshot must not share.

With SnapStart on (the stack's SnapStart parameter), Lambda runs lambda_function.py's module
code once, when it publishes a version, snapshots the process, and resumes every new execution
environment of that version from the same snapshot. Whatever the process held then, every
environment holds: the state of the `random` module, and any client with its connections and
the credentials it resolved. The after-restore hook below gives each environment its own. The
before-snapshot hook does, once, what a first request would otherwise pay for in every restored
environment (skill.app.warm_up): every locale's content read, the screening rules compiled.

The hooks library (snapshot_restore_py) is part of Lambda's Python runtimes and nowhere else:
without it, as on this machine, `register` does nothing. With SnapStart off the hook is
registered but never run: nothing is restored.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ask_sdk_core.skill import CustomSkill

HOOKS_MODULE = "snapshot_restore_py"


def register(skill: CustomSkill, warm_up: Callable[[], None] | None = None) -> bool:
    """Registers `warm_up` to run before the snapshot (skill.app.warm_up, from the entry point)
    and `after_restore(skill)` after each restore, with Lambda's runtime hooks; False where there
    are none. Neither runs without SnapStart: a plain cold start warms nothing up, and answers its
    first request as soon as it can."""
    try:
        hooks = importlib.import_module(HOOKS_MODULE)
    except ImportError:
        return False
    if warm_up is not None:
        hooks.register_before_snapshot(warm_up)
    hooks.register_after_restore(after_restore, skill)
    return True


def after_restore(skill: CustomSkill) -> None:
    """Run by Lambda in each execution environment it resumes from the snapshot, before the
    environment's first request."""
    # Every environment resumed from one snapshot would otherwise draw the same "random" waits
    # (skill/core/saving.py's jitter), so that devices racing to save would retry in step.
    # seed() without an argument takes fresh entropy from the OS.
    random.seed()
    # A fresh DynamoDB client on first use: new connections, and credentials resolved now rather
    # than those of the process that was snapshotted.
    _reconnect(skill.persistence_adapter)
    # The Alexa API client opens a connection per call and keeps none; should it ever keep one,
    # its reconnect() is called too.
    _reconnect(skill.api_client)


def _reconnect(holder: Any) -> None:
    reconnect = getattr(holder, "reconnect", None)
    if callable(reconnect):
        reconnect()
