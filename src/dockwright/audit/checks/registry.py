"""The one ordered list of every audit check: a check not listed here never runs, and the report
lists the results in this order."""

from __future__ import annotations

import sys
from types import ModuleType

from dockwright.audit.checks.base import Check
from dockwright.audit.checks.bytecode import check_bytecode
from dockwright.audit.checks.caches import check_caches
from dockwright.audit.checks.dockerignore import check_dockerignore
from dockwright.audit.checks.dotfiles import check_dotfiles
from dockwright.audit.checks.healthcheck import check_healthcheck
from dockwright.audit.checks.labels import check_labels
from dockwright.audit.checks.lock import check_lock
from dockwright.audit.checks.logs import check_logs
from dockwright.audit.checks.pip_in_runtime import check_pip_in_runtime
from dockwright.audit.checks.scan import check_scan
from dockwright.audit.checks.secrets import check_secrets
from dockwright.audit.checks.setuid import check_setuid
from dockwright.audit.checks.shared_libs import check_shared_libs
from dockwright.audit.checks.shell import check_shell
from dockwright.audit.checks.signals import check_signals
from dockwright.audit.checks.site_tests import check_site_tests
from dockwright.audit.checks.site_trees import check_site_trees
from dockwright.audit.checks.size import check_size
from dockwright.audit.checks.startup import check_startup
from dockwright.audit.checks.toolchain import check_toolchain
from dockwright.audit.checks.user import check_user
from dockwright.audit.checks.waste import check_waste
from dockwright.audit.image import ImageFacts

CHECKS: tuple[Check, ...] = (
    # the guides' Pro shipping checklist
    check_dockerignore,
    check_toolchain,
    check_caches,
    check_user,
    check_healthcheck,
    check_labels,
    check_scan,
    check_logs,
    check_size,
    check_waste,
    check_signals,
    check_startup,
    # Python-aware findings
    check_pip_in_runtime,
    check_bytecode,
    check_site_tests,
    check_site_trees,
    check_shared_libs,
    check_dotfiles,
    check_secrets,
    check_setuid,
    check_shell,
    check_lock,
)

GROUPS = {"checklist": "Pro shipping checklist", "python": "Python-aware findings"}


def module_of(check: Check) -> ModuleType:
    """The module a check lives in: its ``ID``, ``TITLE``, ``GROUP`` and documentation (the docstring)."""
    return sys.modules[check.__module__]


def reads_secrets(check: Check) -> bool:
    """The check reads the secret scan's hits (``ImageFacts.secrets``): its module says
    ``READS_SECRETS = True``. The others may run while the scan finishes (``report_from_facts``)."""
    return bool(getattr(module_of(check), "READS_SECRETS", False))


def prepare_later(check: Check, facts: ImageFacts) -> None:
    """Let a check that reads the secret scan's hits read the file table already (its module's
    ``prepare(facts)``, when it has one), while the scan finishes."""
    prepare = getattr(module_of(check), "prepare", None)
    if prepare is not None:
        prepare(facts)


def check_by_id(check_id: str) -> Check | None:
    """The check whose report id is ``check_id`` (``lock``, ``pip-in-runtime``), else None."""
    wanted = check_id.strip().lower()
    return next((check for check in CHECKS if wanted == module_of(check).ID), None)
