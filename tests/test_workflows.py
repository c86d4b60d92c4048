"""The CI workflows and the pre-commit hooks, checked for structure and safety.

The workflows cannot run here, so this is what can be known without GitHub: the
triggers, least privilege, the order of checks before a deployment, pinned actions,
and that CI runs the README's commands. The YAML is read with the catalog's own
strict loader, which keeps `on:` a string (PyYAML would read it as true).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from generator.reader import read_document

WORKFLOWS = REPO / ".github" / "workflows"
PRE_COMMIT = REPO / ".pre-commit-config.yaml"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
PINNED_LINE = re.compile(r"uses:\s*(\S+)\s+#\s*v\d+(\.\d+)*\s*$")


def load(path: Path) -> dict[str, Any]:
    doc, problems = read_document(path, path.name)
    assert doc is not None and isinstance(doc.data, dict), problems
    return doc.data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job.get("steps") or []


def runs(job: dict[str, Any]) -> list[str]:
    return [s["run"].strip() for s in steps(job) if "run" in s]


def uses(job: dict[str, Any]) -> list[str]:
    return [s["uses"].split("@")[0] for s in steps(job) if "uses" in s]


def write_scopes(permissions: Any) -> set[str]:
    if permissions in ("write-all",):
        return {"*"}
    return {k for k, v in (permissions or {}).items() if v == "write"}


@pytest.fixture(scope="module")
def pr() -> dict[str, Any]:
    return load(WORKFLOWS / "pr.yml")


@pytest.fixture(scope="module")
def deploy() -> dict[str, Any]:
    return load(WORKFLOWS / "deploy.yml")


def all_workflows() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))


def test_the_two_workflows_exist():
    assert [p.name for p in all_workflows()] == ["deploy.yml", "pr.yml"]


@pytest.mark.parametrize("path", all_workflows(), ids=lambda p: p.name)
def test_no_workflow_runs_fork_code_with_privileges(path):
    text = path.read_text(encoding="utf-8")
    assert "pull_request_target" not in text
    assert "workflow_run" not in load(path)["on"]
    assert not re.search(r"\$\{\{[^}]*secrets\.", text)  # nothing here needs a secret


@pytest.mark.parametrize("path", all_workflows(), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_named(path):
    data = load(path)
    found = [s["uses"] for job in data["jobs"].values() for s in steps(job) if "uses" in s]
    assert found
    for action in found:
        assert PINNED.fullmatch(action), f"{path.name}: {action} is not pinned to a full commit SHA"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert len(lines) == len(found)
    for line in lines:
        assert PINNED_LINE.search(line), f"{path.name}: name the version in a comment: {line.strip()}"


def test_one_action_one_pin_across_workflows():
    pins: dict[str, set[str]] = {}
    for path in all_workflows():
        for job in load(path)["jobs"].values():
            for step in steps(job):
                if "uses" in step:
                    name, sha = step["uses"].split("@")
                    pins.setdefault(name, set()).add(sha)
    assert {name: len(shas) for name, shas in pins.items()} == dict.fromkeys(pins, 1)


@pytest.mark.parametrize("path", all_workflows(), ids=lambda p: p.name)
def test_top_level_permissions_are_read_only(path):
    assert load(path)["permissions"] == {"contents": "read"}


def test_pull_requests_are_validated_built_and_tested_without_any_write_access(pr):
    assert set(pr["on"]) == {"pull_request"}
    jobs = pr["jobs"]
    for job in jobs.values():
        assert write_scopes(job.get("permissions")) == set()
        assert "actions/checkout" in uses(job)
    commands = [command for job in jobs.values() for command in runs(job)]
    assert ".venv/bin/tmrc validate --format github catalog" in commands
    assert "make site" in commands
    assert "make test" in commands
    site_job = next(job for job in jobs.values() if "make site" in runs(job))
    setup = next(s for s in steps(site_job) if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.11"
    order = runs(site_job)
    assert order.index(".venv/bin/tmrc validate --format github catalog") < order.index("make site")
    upload = next(s for s in steps(site_job) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site"


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_the_test_job_runs_make_test_with_debian_chromium(name):
    jobs = load(WORKFLOWS / name)["jobs"]
    job = next(job for job in jobs.values() if "make test" in runs(job))
    assert runs(job)[-1] == "make test"
    assert str(job.get("container", "")).startswith("python:3.11-bookworm")  # Debian 12, Python 3.11
    install = "\n".join(runs(job)[:-1])
    assert "apt-get install" in install and "chromium" in install


def test_deploy_runs_on_the_default_branch_and_by_hand(deploy):
    assert deploy["on"]["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in deploy["on"]
    assert set(deploy["on"]) == {"push", "workflow_dispatch"}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_deploy_needs_every_check_and_only_it_may_write(deploy):
    jobs = deploy["jobs"]
    deploying = [name for name, job in jobs.items() if "actions/deploy-pages" in uses(job)]
    assert deploying == ["deploy"]
    job = jobs["deploy"]
    needs = job["needs"] if isinstance(job["needs"], list) else [job["needs"]]
    assert set(needs) == set(jobs) - {"deploy"}, "the deployment must wait for every other job"
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    assert "always()" not in str(job.get("if", "")) and "failure()" not in str(job.get("if", ""))
    for name, other in jobs.items():
        if name != "deploy":
            assert write_scopes(other.get("permissions")) == set(), name
            assert "id-token" not in (other.get("permissions") or {}), name


def test_deploy_builds_for_the_pages_address_and_uploads_the_site(deploy):
    build = next(job for job in deploy["jobs"].values() if "actions/upload-pages-artifact" in uses(job))
    assert ".venv/bin/tmrc validate --format github catalog" in runs(build)
    configure = next(s for s in steps(build) if s.get("uses", "").startswith("actions/configure-pages@"))
    site = next(s for s in steps(build) if s.get("run", "").strip() == "make site")
    expected = "${{ steps." + configure["id"] + ".outputs.base_url }}"
    assert site["env"]["TMRC_SITE_URL"] == expected
    upload = next(s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    position = [s.get("uses", s.get("run", "")).split("@")[0].strip() for s in steps(build)]
    assert position.index("actions/configure-pages") < position.index("make site")
    assert position.index("make site") < position.index("actions/upload-pages-artifact")


def test_mkdocs_reads_the_site_address_the_deploy_workflow_sets():
    assert "!ENV [TMRC_SITE_URL," in (REPO / "mkdocs.yml").read_text(encoding="utf-8")


# --- pre-commit ---------------------------------------------------------------------


def locked_version(package: str) -> str:
    text = (REPO / "requirements" / "test.lock").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(package)}==([^\s\\]+)", text, re.MULTILINE)
    assert match, f"{package} is not in requirements/test.lock"
    return match.group(1)


def test_pre_commit_config_parses_and_pins_the_locked_ruff():
    config = load(PRE_COMMIT)
    repos = {r["repo"]: r for r in config["repos"]}
    ruff = repos["https://github.com/astral-sh/ruff-pre-commit"]
    assert ruff["rev"] == "v" + locked_version("ruff")
    assert {h["id"] for h in ruff["hooks"]} == {"ruff-check", "ruff-format"}


def test_pre_commit_hygiene_hooks_and_the_catalog_check():
    config = load(PRE_COMMIT)
    repos = {r["repo"]: r for r in config["repos"]}
    hooks = {h["id"]: h for h in repos["https://github.com/pre-commit/pre-commit-hooks"]["hooks"]}
    assert set(hooks) >= {
        "check-yaml",
        "check-json",
        "end-of-file-fixer",
        "trailing-whitespace",
        "check-added-large-files",
    }
    assert re.search(hooks["check-yaml"]["exclude"], "mkdocs.yml")
    assert not re.search(hooks["check-yaml"]["exclude"], "catalog/consortium.yaml")
    local = [h for r in config["repos"] if r["repo"] == "local" for h in r["hooks"]]
    assert [h["entry"] for h in local] == [".venv/bin/tmrc validate catalog"]
