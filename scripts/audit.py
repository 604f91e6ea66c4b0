"""`make audit`: every pinned package against public advisory databases, in one table.

    .venv-tools/bin/python -m scripts.audit [--no-resolve]       # or: make audit

- Python: every package of constraints.txt (the lock of .venv and of the deployment image,
  build tools included), by pip-audit (pinned in requirements-tools.txt, run from .venv-tools)
  against PyPI's advisory data, then OSV's if PyPI's cannot be had.
- npm: every package of web/package-lock.json, by `npm audit` against the npm registry's.

The table: ecosystem, package, version, advisory, fixed in, and whether the project can
upgrade. "no" names what forbids the fixed version: a requirement declared by an installed
package of .venv (aiohttp: rasa 3.6.21 requires <3.10), or, when none does, the conflict pip's
resolver reports for requirements-test.txt with the fixed version asked for (a fixed version
may itself need something Rasa forbids: wheel >=0.46 needs packaging >=24, Rasa <21).

Where an advisory service cannot be reached, or answers for none of the packages, one line says
so and nothing is claimed about those packages: never "no known vulnerabilities" for packages
that were not looked up. Exit status: 1 when an advisory has a fix the project can take (work
to do), else 0, unreachable services included.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "constraints.txt"
REQUIREMENTS = (ROOT / "requirements.txt", ROOT / "requirements-test.txt")
WEB = ROOT / "web"
# What a failed connection looks like in pip-audit's and npm's error output.
UNREACHABLE = re.compile(
    r"ConnectionError|NameResolution|Name or service not known|Temporary failure in name resolution|"
    r"Max retries exceeded|timed out|Timeout|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ServiceError|"
    r"audit endpoint returned an error|\b40[0-9] |\b5[0-9][0-9] ",
    re.IGNORECASE,
)


def normalise(name: str) -> str:
    """PEP 503 name: lower case, runs of -_. as one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Finding:
    """One advisory on one pinned package."""

    ecosystem: str
    package: str
    version: str
    advisory: str
    fixed_in: Tuple[str, ...]
    upgrade: str = ""  # "yes", "no: why", "no fix published", "unknown: why"


@dataclass(frozen=True)
class Outcome:
    """What one advisory service said: findings, or why nothing was checked."""

    ecosystem: str
    findings: Tuple[Finding, ...] = ()
    checked: int = 0
    unchecked: Tuple[str, ...] = ()  # packages the service did not answer for
    unreachable: str = ""  # set when nothing at all was checked


# --------------------------------------------------------------------------------------------
# Reading what the tools said (recorded outputs in the tests)


def from_pip_audit(report: Mapping, service: str) -> Outcome:
    """pip-audit's JSON report as an Outcome. A package pip-audit skipped (the service had no
    answer for it, e.g. "Dependency not found on PyPI") is unchecked, not clean."""
    findings: List[Finding] = []
    checked, unchecked = 0, []
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            unchecked.append(dependency["name"])
            continue
        checked += 1
        for vuln in dependency.get("vulns", []):
            cves = [a for a in vuln.get("aliases", []) if a.startswith("CVE-")]
            advisory = vuln["id"] + (f" ({cves[0]})" if cves and cves[0] != vuln["id"] else "")
            findings.append(
                Finding(
                    "PyPI",
                    dependency["name"],
                    dependency.get("version", "?"),
                    advisory,
                    tuple(vuln.get("fix_versions", [])),
                )
            )
    if not checked:
        reason = f"{service} answered for none of the {len(unchecked)} packages"
        first = next(
            (d.get("skip_reason") for d in report.get("dependencies", []) if d.get("skip_reason")),
            "",
        )
        return Outcome("PyPI", unreachable=f"{reason} ({first})" if first else reason)
    return Outcome("PyPI", tuple(findings), checked, tuple(unchecked))


def _fixed_in(vulnerable_range: str) -> Tuple[str, ...]:
    """The first version past an npm advisory's vulnerable range ("<4.2.3", ">=4.0.4 <4.2.3")."""
    upper = re.findall(r"<\s*([0-9][0-9A-Za-z.\-+]*)", vulnerable_range or "")
    return (upper[-1],) if upper and "<=" not in vulnerable_range else ()


def from_npm_audit(report: Mapping, lock: Mapping) -> Outcome:
    """`npm audit --json` (report format 2) as an Outcome; versions from package-lock.json."""
    if "vulnerabilities" not in report:
        message = (
            report.get("message") or (report.get("error") or {}).get("summary") or "no audit report"
        )
        return Outcome("npm", unreachable=str(message).splitlines()[0])
    packages = lock.get("packages", {})
    findings = []
    for name, entry in sorted(report["vulnerabilities"].items()):
        version = packages.get(f"node_modules/{name}", {}).get("version", "?")
        fix = entry.get("fixAvailable")
        if fix is True:
            upgrade = "yes (npm audit fix)"
        elif isinstance(fix, dict):
            major = ", a major version" if fix.get("isSemVerMajor") else ""
            upgrade = f"yes: {fix.get('name')} {fix.get('version')}{major}"
        else:
            upgrade = "no fix published"
        for via in entry.get("via", []):
            if not isinstance(via, dict):  # "via another vulnerable package": listed under that one
                continue
            advisory = (
                re.search(r"GHSA-[\w-]+", via.get("url", "")) or [str(via.get("source", "?"))]
            )[0]
            findings.append(
                Finding("npm", name, version, advisory, _fixed_in(via.get("range", "")), upgrade)
            )
    total = len([k for k in packages if k.startswith("node_modules/")])
    return Outcome("npm", tuple(findings), total)


# --------------------------------------------------------------------------------------------
# Can the project upgrade?


@dataclass(frozen=True)
class Installed:
    """One package of .venv and what it requires."""

    name: str
    version: str
    requires: Tuple[str, ...]


def installed_packages(site_packages: Path) -> List[Installed]:
    """Every package of a venv, read from its METADATA files (no import of the venv's Python)."""
    found = []
    for metadata in sorted(site_packages.glob("*.dist-info/METADATA")):
        message = Parser().parsestr(
            metadata.read_text(encoding="utf-8", errors="replace"), headersonly=True
        )
        found.append(
            Installed(
                message["Name"], message["Version"], tuple(message.get_all("Requires-Dist") or ())
            )
        )
    return found


def _requested_extras(
    packages: Iterable[Installed], requirement_lines: Iterable[str]
) -> Dict[str, Set[str]]:
    extras: Dict[str, Set[str]] = {}
    for line in [*requirement_lines, *(r for p in packages for r in p.requires)]:
        try:
            requirement = Requirement(line.split("#")[0].strip())
        except InvalidRequirement:
            continue
        extras.setdefault(normalise(requirement.name), set()).update(requirement.extras)
    return extras


def blockers(
    package: str,
    version: str,
    packages: Sequence[Installed],
    requirement_lines: Sequence[str] = (),
    environment: Optional[Dict[str, str]] = None,
) -> List[str]:
    """What forbids ``package`` at ``version``: the requirements on it, declared by the other
    installed packages, that this version does not satisfy (their markers evaluated for this
    Python, with the extras something asks of them)."""
    environment = dict(environment or default_environment())
    extras = _requested_extras(packages, requirement_lines)
    target, wanted = normalise(package), Version(version)
    found = []
    for requirer in packages:
        if normalise(requirer.name) == target:
            continue
        for line in requirer.requires:
            try:
                requirement = Requirement(line)
            except InvalidRequirement:
                continue
            if normalise(requirement.name) != target:
                continue
            if requirement.marker is not None and not any(
                requirement.marker.evaluate({**environment, "extra": extra})
                for extra in ["", *sorted(extras.get(normalise(requirer.name), ()))]
            ):
                continue
            if not requirement.specifier.contains(wanted, prereleases=True):
                found.append(
                    f"{requirer.name} {requirer.version} requires {requirement.name}{requirement.specifier}"
                )
    return sorted(set(found))


def first_fix(current: str, fixes: Sequence[str]) -> Optional[str]:
    """The lowest fixed version above ``current`` (advisories list one per release line)."""
    versions = []
    for fix in fixes:
        try:
            versions.append(Version(fix))
        except InvalidVersion:
            continue
    try:
        above = [v for v in versions if v > Version(current)]
    except InvalidVersion:
        above = versions
    return str(min(above or versions)) if versions else None


Resolver = Callable[[str, str], str]  # (package, version) -> "yes" or "no: ..." or "unknown: ..."


def pip_resolver(python: str = sys.executable) -> Resolver:
    """Asks pip (dry run, nothing installed) whether requirements-test.txt resolves with
    ``package>=version``; the project's own pin of that package, if any, is lifted."""
    cache: Dict[Tuple[str, str], str] = {}

    def resolve(package: str, version: str) -> str:
        if (package, version) in cache:
            return cache[(package, version)]
        lines = [
            line
            for path in REQUIREMENTS
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith(("#", "-r"))
        ]
        lines = [
            line
            for line in lines
            if normalise(re.split(r"[\[=<>!~; ]", line, maxsplit=1)[0]) != normalise(package)
        ]
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            handle.write("\n".join([*lines, f"{package}>={version}"]) + "\n")
        result = subprocess.run(
            [
                python,
                "-m",
                "pip",
                "install",
                "--dry-run",
                "--ignore-installed",
                "--disable-pip-version-check",
                "-r",
                handle.name,
            ],
            capture_output=True,
            text=True,
            timeout=900,
        )
        Path(handle.name).unlink()
        output = result.stdout + result.stderr
        if result.returncode == 0:
            answer = f"yes: pip resolves the requirements with {package}>={version}"
        elif "ResolutionImpossible" in output or "conflict" in output.lower():
            answer = "no: " + (
                _conflict(output, package)
                or f"pip finds no consistent set with {package}>={version}"
            )
        else:
            answer = (
                "unknown: pip could not resolve ("
                + (output.strip().splitlines() or ["?"])[-1][:120]
                + ")"
            )
        cache[(package, version)] = answer
        return answer

    return resolve


def _conflict(output: str, package: str) -> str:
    """The gist of pip's "The conflict is caused by:" lines: the upper bounds that bite, and
    what the lowest fixed version itself needs."""
    causes = re.findall(r"^\s{4}(\S.* depends on .*)$", output, flags=re.M)
    chosen: Dict[str, str] = {}
    for cause in causes:
        who, _, needs = cause.partition(" depends on ")
        name = normalise(who.split()[0].split("[")[0])
        if name == normalise(package):
            chosen[name] = cause  # pip lists the newest first: the last is the lowest fix
        elif "<" in needs and name not in chosen:
            chosen[name] = cause
    return "; ".join(chosen.values())


def decide(
    finding: Finding,
    packages: Sequence[Installed],
    requirement_lines: Sequence[str],
    resolver: Optional[Resolver],
) -> Finding:
    """``finding`` with its "can the project upgrade" answer."""
    if finding.upgrade:
        return finding
    fix = first_fix(finding.version, finding.fixed_in)
    if fix is None:
        answer = "no fix published"
    else:
        blocked = blockers(finding.package, fix, packages, requirement_lines)
        if blocked:
            answer = "no: " + "; ".join(blocked)
        elif resolver is not None:
            answer = resolver(finding.package, fix)
        else:
            answer = f"yes? no installed package forbids {fix} (not confirmed by the resolver)"
    return Finding(**{**finding.__dict__, "upgrade": answer})


# --------------------------------------------------------------------------------------------
# Running the tools


def run_pip_audit(lock: Path = LOCK, services: Sequence[str] = ("pypi", "osv")) -> Outcome:
    """pip-audit on the lock, each service in turn until one answers."""
    reasons = []
    for service in services:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "report.json"
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip_audit",
                    "-r",
                    str(lock),
                    "--no-deps",
                    "--disable-pip",
                    "-s",
                    service,
                    "-f",
                    "json",
                    "-o",
                    str(out),
                    "--progress-spinner",
                    "off",
                ],
                capture_output=True,
                text=True,
                timeout=1800,
            )
            report = (
                json.loads(out.read_text(encoding="utf-8"))
                if out.is_file() and out.stat().st_size
                else None
            )
        if report is None:
            if "No module named pip_audit" in result.stderr:
                raise SystemExit(
                    "error: pip-audit is not installed here: run `make audit` (it sets up .venv-tools)"
                )
            error = (result.stderr.strip().splitlines() or ["no output"])[-1]
            if not UNREACHABLE.search(result.stderr):
                raise SystemExit(f"error: pip-audit failed ({service}): {error}")
            reasons.append(f"{service}: {error[:160]}")
            continue
        outcome = from_pip_audit(report, service)
        if not outcome.unreachable:
            return outcome
        reasons.append(outcome.unreachable)
    return Outcome("PyPI", unreachable="; ".join(reasons))


def run_npm_audit(web: Path = WEB) -> Outcome:
    """`npm audit` on the widget's lock file (no node_modules needed)."""
    npm = shutil.which("npm")
    if npm is None:
        return Outcome("npm", unreachable="npm is not installed")
    result = subprocess.run(
        [npm, "audit", "--json", "--package-lock-only"],
        cwd=web,
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(result.stdout or "{}")
    except ValueError:
        report = {"message": (result.stderr.strip().splitlines() or ["unreadable output"])[-1]}
    lock = json.loads((web / "package-lock.json").read_text(encoding="utf-8"))
    return from_npm_audit(report, lock)


# --------------------------------------------------------------------------------------------
# The table


COLUMNS = ("ecosystem", "package", "version", "advisory", "fixed in", "can the project upgrade")


def table(findings: Sequence[Finding]) -> List[str]:
    """Aligned text rows, a header first."""
    rows = [COLUMNS] + [
        (f.ecosystem, f.package, f.version, f.advisory, ", ".join(f.fixed_in) or "-", f.upgrade)
        for f in sorted(findings, key=lambda f: (f.ecosystem, normalise(f.package), f.advisory))
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1]
        for row in rows
    ]


def summary(outcomes: Sequence[Outcome], versions: Mapping[str, str]) -> Tuple[List[str], int]:
    """The printed report and the exit status."""
    lines: List[str] = []
    findings = [f for outcome in outcomes for f in outcome.findings]
    for outcome in outcomes:
        tool = versions.get(outcome.ecosystem, "")
        if outcome.unreachable:
            lines.append(
                f"{outcome.ecosystem}: NOT CHECKED, the advisory service could not be reached "
                f"({tool}): {outcome.unreachable}"
            )
            continue
        lines.append(
            f"{outcome.ecosystem}: {outcome.checked} packages checked ({tool}), "
            f"{len(outcome.findings)} advisories"
        )
        if outcome.unchecked:
            lines.append(
                f"{outcome.ecosystem}: {len(outcome.unchecked)} packages NOT checked (no answer from the "
                f"service): {', '.join(outcome.unchecked)}"
            )
    if findings:
        lines += ["", *table(findings)]
    actionable = [f for f in findings if f.upgrade.startswith("yes")]
    if actionable:
        lines += [
            "",
            f"==> {len(actionable)} advisories have a fix the project can take: "
            + ", ".join(sorted({f.package for f in actionable})),
        ]
    return lines, 1 if actionable else 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--no-resolve",
        action="store_true",
        help="do not ask pip's resolver about upgrades no installed package forbids",
    )
    args = parser.parse_args(argv)
    site_packages = next(iter(sorted((ROOT / ".venv" / "lib").glob("python*/site-packages"))), None)
    if site_packages is None:
        raise SystemExit(
            "error: no .venv: run `make setup` first (the upgrade check reads its packages)"
        )
    packages = installed_packages(site_packages)
    requirement_lines = [
        line
        for path in REQUIREMENTS
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "-"))
    ]
    resolver = None if args.no_resolve else pip_resolver()

    python = run_pip_audit()
    python = Outcome(
        python.ecosystem,
        tuple(decide(f, packages, requirement_lines, resolver) for f in python.findings),
        python.checked,
        python.unchecked,
        python.unreachable,
    )
    npm = run_npm_audit()
    npm_version = (
        subprocess.run(
            [shutil.which("npm") or "npm", "--version"], capture_output=True, text=True
        ).stdout.strip()
        if shutil.which("npm")
        else "?"
    )
    from importlib.metadata import version

    lines, status = summary(
        [python, npm],
        {
            "PyPI": f"pip-audit {version('pip-audit')}, {LOCK.name}",
            "npm": f"npm {npm_version} audit, web/package-lock.json",
        },
    )
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
