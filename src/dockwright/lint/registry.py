"""The one ordered list of every lint rule (as hadolint's Process.hs): a rule not listed here never runs."""

from __future__ import annotations

import functools

from dockwright.lint.rule import Rule
from dockwright.lint.rules.dw001_parse_error import ParseError
from dockwright.lint.rules.dw101_base_image_unpinned import BaseImageUnpinned
from dockwright.lint.rules.dw102_python_image_without_version import PythonImageWithoutVersion
from dockwright.lint.rules.dw103_alpine_with_c_extensions import AlpineWithCExtensions
from dockwright.lint.rules.dw104_python_end_of_life import PythonEndOfLife
from dockwright.lint.rules.dw106_external_image_unpinned import ExternalImageUnpinned
from dockwright.lint.rules.dw201_apt_install_recommends import AptInstallRecommends
from dockwright.lint.rules.dw202_apt_lists_kept import AptListsKept
from dockwright.lint.rules.dw203_apt_upgrade import AptUpgrade
from dockwright.lint.rules.dw204_toolchain_in_final_stage import ToolchainInFinalStage
from dockwright.lint.rules.dw205_single_stage_compiles import SingleStageCompiles
from dockwright.lint.rules.dw206_apt_install_without_yes import AptInstallWithoutYes
from dockwright.lint.rules.dw207_apk_add_cache_kept import ApkAddCacheKept
from dockwright.lint.rules.dw208_pipe_without_pipefail import PipeWithoutPipefail
from dockwright.lint.rules.dw301_pip_cache_kept import PipCacheKept
from dockwright.lint.rules.dw302_requirements_without_hashes import RequirementsWithoutHashes
from dockwright.lint.rules.dw303_pip_install_unpinned import PipInstallUnpinned
from dockwright.lint.rules.dw304_uv_sync_unlocked import UvSyncUnlocked
from dockwright.lint.rules.dw305_uv_cache_settings import UvCacheSettings
from dockwright.lint.rules.dw306_poetry_install_dev import PoetryInstallDev
from dockwright.lint.rules.dw307_pipenv_without_deploy import PipenvWithoutDeploy
from dockwright.lint.rules.dw308_pdm_install_dev import PdmInstallDev
from dockwright.lint.rules.dw309_pip_install_source_tree import PipInstallSourceTree
from dockwright.lint.rules.dw310_uv_sync_dev import UvSyncDev
from dockwright.lint.rules.dw311_requirement_redirected import RequirementRedirected
from dockwright.lint.rules.dw401_runs_as_root import RunsAsRoot
from dockwright.lint.rules.dw402_user_not_numeric import UserNotNumeric
from dockwright.lint.rules.dw403_secret_in_env import SecretInEnv
from dockwright.lint.rules.dw404_pip_trusted_host import PipTrustedHost
from dockwright.lint.rules.dw405_add_local_file import AddLocalFile
from dockwright.lint.rules.dw406_credential_file_copied import CredentialFileCopied
from dockwright.lint.rules.dw501_copy_source_before_deps import CopySourceBeforeDeps
from dockwright.lint.rules.dw502_copied_then_deleted import CopiedThenDeleted
from dockwright.lint.rules.dw601_python_output_buffered import PythonOutputBuffered
from dockwright.lint.rules.dw602_shell_form_command import ShellFormCommand
from dockwright.lint.rules.dw603_missing_healthcheck import MissingHealthcheck
from dockwright.lint.rules.dw604_missing_oci_labels import MissingOciLabels
from dockwright.lint.rules.dw605_no_init_process import NoInitProcess
from dockwright.lint.rules.dw606_relative_workdir import RelativeWorkdir
from dockwright.lint.rules.dw607_exec_form_shell_syntax import ExecFormShellSyntax
from dockwright.lint.rules.dw608_run_export import RunExport
from dockwright.lint.rules.dw609_development_server import DevelopmentServer
from dockwright.lint.rules.dw610_global_arg_out_of_scope import GlobalArgOutOfScope
from dockwright.lint.rules.dw701_dockerignore_missing import DockerignoreMissing
from dockwright.lint.rules.dw702_dockerignore_incomplete import DockerignoreIncomplete
from dockwright.lint.rules.dw703_copied_file_ignored import CopiedFileIgnored
from dockwright.lint.rules.dw801_shellcheck import ShellCheck
from dockwright.lint.rules.dw900_unused_suppression import UnusedSuppression

RULES: tuple[Rule, ...] = (
    ParseError(),
    # base image
    BaseImageUnpinned(),
    PythonImageWithoutVersion(),
    AlpineWithCExtensions(),
    PythonEndOfLife(),
    ExternalImageUnpinned(),
    # OS packages
    AptInstallRecommends(),
    AptListsKept(),
    AptUpgrade(),
    ToolchainInFinalStage(),
    SingleStageCompiles(),
    AptInstallWithoutYes(),
    ApkAddCacheKept(),
    PipeWithoutPipefail(),
    # Python install
    PipCacheKept(),
    RequirementsWithoutHashes(),
    PipInstallUnpinned(),
    UvSyncUnlocked(),
    UvCacheSettings(),
    PoetryInstallDev(),
    PipenvWithoutDeploy(),
    PdmInstallDev(),
    PipInstallSourceTree(),
    UvSyncDev(),
    RequirementRedirected(),
    # security
    RunsAsRoot(),
    UserNotNumeric(),
    SecretInEnv(),
    PipTrustedHost(),
    AddLocalFile(),
    CredentialFileCopied(),
    # cache and layering
    CopySourceBeforeDeps(),
    CopiedThenDeleted(),
    # runtime
    PythonOutputBuffered(),
    ShellFormCommand(),
    MissingHealthcheck(),
    MissingOciLabels(),
    NoInitProcess(),
    RelativeWorkdir(),
    ExecFormShellSyntax(),
    RunExport(),
    DevelopmentServer(),
    GlobalArgOutOfScope(),
    # .dockerignore
    DockerignoreMissing(),
    DockerignoreIncomplete(),
    CopiedFileIgnored(),
    # shell scripts
    ShellCheck(),
    # meta
    UnusedSuppression(),
)

GROUPS = {
    "DW0": "parse",
    "DW1": "base image",
    "DW2": "OS packages",
    "DW3": "Python install",
    "DW4": "security",
    "DW5": "cache and layering",
    "DW6": "runtime",
    "DW7": ".dockerignore",
    "DW8": "shell scripts",
    "DW9": "meta",
}


@functools.lru_cache(maxsize=256)
def rule_by_code(code: str) -> Rule | None:
    code = code.upper()
    for rule in RULES:
        if rule.code == code or code in rule.aliases or rule.name == code.lower():
            return rule
    return None
