"""`make audit` (scripts/audit.py) on recorded tool outputs: no network here. The table says
what the tools found and whether the project can upgrade; a service that cannot be reached,
or answers for no package, gives one line and never a clean bill."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import List, Tuple

import pytest

from scripts import audit
from scripts.audit import Installed, Outcome

# pip-audit 2.x JSON (-f json): what it writes for the lock (trimmed).
PIP_AUDIT = {
    "dependencies": [
        {
            "name": "aiohttp",
            "version": "3.9.5",
            "vulns": [
                {
                    "id": "GHSA-8495-4g3g-x7pr",
                    "fix_versions": ["3.10.11"],
                    "aliases": ["CVE-2024-52304"],
                    "description": "request smuggling in the Python parser",
                }
            ],
        },
        {
            "name": "setuptools",
            "version": "70.3.0",
            "vulns": [
                {
                    "id": "PYSEC-2025-49",
                    "fix_versions": ["78.1.1"],
                    "aliases": ["CVE-2025-47273", "GHSA-5rjg-fvgr-3xxf"],
                    "description": "path traversal in PackageIndex",
                }
            ],
        },
        {
            "name": "wheel",
            "version": "0.45.1",
            "vulns": [
                {
                    "id": "GHSA-8rrh-rw8j-w5fx",
                    "fix_versions": ["0.46.2"],
                    "aliases": ["CVE-2026-24049"],
                    "description": "path traversal in wheel unpack",
                }
            ],
        },
        {
            "name": "pyyaml",
            "version": "6.0.1",
            "vulns": [
                {
                    "id": "GHSA-0000-0000-0000",
                    "fix_versions": ["6.0.3", "5.4.2"],
                    "aliases": [],
                    "description": "x",
                }
            ],
        },
        {"name": "sanic", "version": "21.12.2", "vulns": []},
        {
            "name": "absl-py",
            "skip_reason": "Dependency not found on PyPI and could not be audited: absl-py (1.4.0)",
        },
    ],
    "fixes": [],
}
ALL_SKIPPED = {
    "dependencies": [
        {
            "name": n,
            "skip_reason": f"Dependency not found on PyPI and could not be audited: {n} (1.0)",
        }
        for n in ("absl-py", "aiohttp", "rasa")
    ],
    "fixes": [],
}

# npm audit --json (report version 2) for web/, and what npm prints when the endpoint refuses.
NPM_AUDIT = {
    "auditReportVersion": 2,
    "vulnerabilities": {
        "socket.io-parser": {
            "name": "socket.io-parser",
            "severity": "high",
            "isDirect": False,
            "via": [
                {
                    "source": 1094521,
                    "name": "socket.io-parser",
                    "dependency": "socket.io-parser",
                    "title": "Insufficient validation",
                    "url": "https://github.com/advisories/GHSA-cqmj-92xf-r6r9",
                    "severity": "high",
                    "range": ">=4.0.4 <4.2.3",
                }
            ],
            "effects": ["socket.io-client"],
            "range": "4.0.4 - 4.2.2",
            "nodes": ["node_modules/socket.io-parser"],
            "fixAvailable": True,
        },
        "socket.io-client": {
            "name": "socket.io-client",
            "severity": "high",
            "isDirect": True,
            "via": ["socket.io-parser"],
            "effects": [],
            "range": "*",
            "nodes": ["node_modules/socket.io-client"],
            "fixAvailable": {
                "name": "socket.io-client",
                "version": "4.8.5",
                "isSemVerMajor": False,
            },
        },
    },
    "metadata": {},
}
NPM_REFUSED = {
    "message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
    "statusCode": 405,
    "error": {"summary": "", "detail": ""},
}
NPM_LOCK = {
    "packages": {
        "": {},
        "node_modules/socket.io-client": {"version": "4.8.4"},
        "node_modules/socket.io-parser": {"version": "4.2.2"},
    }
}

# What .venv declares (the requirements that matter here, as in the real METADATA files).
VENV = [
    Installed(
        "rasa",
        "3.6.21",
        (
            "aiohttp (>=3.9.0,<3.10)",
            "setuptools (>=70.3.0,<70.4.0)",
            "wheel (>=0.38.1)",
            "packaging (>=20.0,<21.0)",
            'spacy (>=3.1,<3.5) ; extra == "spacy"',
        ),
    ),
    Installed("astunparse", "1.6.3", ("wheel (<1.0,>=0.23.0)",)),
    Installed("aiohttp", "3.9.5", ()),
    Installed("PyYAML", "6.0.1", ()),
    Installed("wheel", "0.45.1", ()),
]
REQUIREMENT_LINES = ["rasa[spacy]==3.6.21", "PyYAML==6.0.1"]


class FakeResolver:
    """Stands for pip's dry-run resolution: wheel's fix needs packaging>=24, the rest resolves."""

    def __init__(self) -> None:
        self.asked: List[Tuple[str, str]] = []

    def __call__(self, package: str, version: str) -> str:
        self.asked.append((package, version))
        if package == "wheel":
            return (
                "no: wheel 0.46.2 depends on packaging>=24.0; rasa 3.6.21 depends on packaging<21.0"
            )
        return f"yes: pip resolves the requirements with {package}>={version}"


def _decided(outcome: Outcome, resolver: FakeResolver) -> Outcome:
    findings = tuple(audit.decide(f, VENV, REQUIREMENT_LINES, resolver) for f in outcome.findings)
    return Outcome(
        outcome.ecosystem, findings, outcome.checked, outcome.unchecked, outcome.unreachable
    )


def _row(lines: List[str], package: str) -> str:
    return next(line for line in lines if line.split()[1:2] == [package])


def test_table_names_each_advisory_and_what_blocks_the_fix() -> None:
    resolver = FakeResolver()
    python = _decided(audit.from_pip_audit(PIP_AUDIT, "pypi"), resolver)
    npm = audit.from_npm_audit(NPM_AUDIT, NPM_LOCK)
    lines, status = audit.summary([python, npm], {"PyPI": "pip-audit", "npm": "npm audit"})

    header = next(line for line in lines if line.startswith("ecosystem"))
    for column in ("package", "version", "advisory", "fixed in", "can the project upgrade"):
        assert column in header
    aiohttp = _row(lines, "aiohttp")
    assert (
        "3.9.5" in aiohttp
        and "GHSA-8495-4g3g-x7pr (CVE-2024-52304)" in aiohttp
        and "3.10.11" in aiohttp
    )
    assert "no: rasa 3.6.21 requires aiohttp" in aiohttp and "<3.10" in aiohttp
    assert "no: rasa 3.6.21 requires setuptools" in _row(lines, "setuptools")
    # Nothing installed forbids wheel 0.46.2; the resolver knows its own needs do.
    assert "no: wheel 0.46.2 depends on packaging>=24.0" in _row(lines, "wheel")
    # The project's own pin is no blocker: raising it is the fix. The fix above 6.0.1 is 6.0.3.
    assert "yes" in _row(lines, "pyyaml").split("  ")[-1] and ("pyyaml", "6.0.3") in resolver.asked
    assert ("aiohttp", "3.10.11") not in resolver.asked, "settled without the resolver"
    assert "yes (npm audit fix)" in _row(lines, "socket.io-parser") and "4.2.2" in _row(
        lines, "socket.io-parser"
    )
    assert "4.2.3" in _row(lines, "socket.io-parser")
    assert not [line for line in lines if line.split()[1:2] == ["socket.io-client"]], (
        "listed under its dependency"
    )
    assert any("1 packages NOT checked" in line and "absl-py" in line for line in lines)
    assert any(line.startswith("PyPI: 5 packages checked") for line in lines)
    assert status == 1 and "fix the project can take: pyyaml, socket.io-parser" in lines[-1]


def test_nothing_to_do_exits_zero() -> None:
    python = _decided(
        audit.from_pip_audit({"dependencies": [PIP_AUDIT["dependencies"][0]]}, "pypi"),
        FakeResolver(),
    )
    lines, status = audit.summary([python], {})
    assert status == 0 and "no: rasa 3.6.21" in _row(lines, "aiohttp")


def test_a_service_that_answers_for_no_package_is_not_a_clean_bill() -> None:
    python = audit.from_pip_audit(ALL_SKIPPED, "pypi")
    npm = audit.from_npm_audit(NPM_REFUSED, NPM_LOCK)
    lines, status = audit.summary([python, npm], {"PyPI": "pip-audit 2.10.1", "npm": "npm 11"})
    assert status == 0
    assert lines == [
        "PyPI: NOT CHECKED, the advisory service could not be reached (pip-audit 2.10.1): pypi answered for "
        "none of the 3 packages (Dependency not found on PyPI and could not be audited: absl-py (1.0))",
        "npm: NOT CHECKED, the advisory service could not be reached (npm 11): 405 Method Not Allowed - POST "
        "https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
    ]
    assert not any("no known" in line.lower() or "checked (" in line for line in lines)


def test_unreachable_pip_audit_is_one_line_and_other_failures_are_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []

    def unreachable(command, **kwargs):
        calls.append(command[command.index("-s") + 1])
        return subprocess.CompletedProcess(
            command,
            1,
            "",
            "requests.exceptions.ConnectionError: HTTPSConnectionPool("
            "host='api.osv.dev', port=443): Max retries exceeded",
        )

    monkeypatch.setattr(audit.subprocess, "run", unreachable)
    outcome = audit.run_pip_audit()
    assert (
        calls == ["pypi", "osv"]
        and outcome.findings == ()
        and "Max retries exceeded" in outcome.unreachable
    )

    def broken(command, **kwargs):
        return subprocess.CompletedProcess(
            command, 2, "", "pip_audit: error: unrecognized arguments: --bogus"
        )

    monkeypatch.setattr(audit.subprocess, "run", broken)
    with pytest.raises(SystemExit, match="pip-audit failed"):
        audit.run_pip_audit()


def test_a_recorded_report_on_disk_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The path of a real run: pip-audit writes its JSON report (-o), exit 1 as vulnerabilities were found."""

    def records(command, **kwargs):
        Path(command[command.index("-o") + 1]).write_text(json.dumps(PIP_AUDIT), encoding="utf-8")
        return subprocess.CompletedProcess(
            command, 1, "", "Found 4 known vulnerabilities in 4 packages"
        )

    monkeypatch.setattr(audit.subprocess, "run", records)
    outcome = audit.run_pip_audit()
    assert {f.package for f in outcome.findings} == {"aiohttp", "setuptools", "wheel", "pyyaml"}
    assert outcome.unchecked == ("absl-py",) and not outcome.unreachable


def test_blockers_follow_markers_and_requested_extras() -> None:
    assert audit.blockers("spacy", "3.8.0", VENV, ["rasa[spacy]==3.6.21"]) == [
        "rasa 3.6.21 requires spacy<3.5,>=3.1"
    ]
    assert audit.blockers("spacy", "3.8.0", VENV, ["rasa==3.6.21"]) == [], (
        "the extra nobody asked for"
    )
    assert audit.blockers("aiohttp", "3.9.9", VENV) == []
    assert audit.first_fix("3.9.5", ["3.8.6", "3.10.11", "3.9.4"]) == "3.10.11"
    assert audit.first_fix("1.0", []) is None


def test_installed_packages_are_read_from_metadata(tmp_path: Path) -> None:
    info = tmp_path / "rasa-3.6.21.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: rasa\nVersion: 3.6.21\n"
        "Requires-Dist: aiohttp (>=3.9.0,<3.10)\nRequires-Dist: wheel (>=0.38.1)\n\nREADME\n"
    )
    assert audit.installed_packages(tmp_path) == [
        Installed("rasa", "3.6.21", ("aiohttp (>=3.9.0,<3.10)", "wheel (>=0.38.1)"))
    ]


def test_pips_conflict_is_told_in_short() -> None:
    output = """ERROR: Cannot install -r req.txt (line 2), rasa[spacy]==3.6.21 and wheel==0.46.2 because these package versions have conflicting dependencies.

The conflict is caused by:
    rasa 3.6.21 depends on packaging<21.0 and >=20.0
    spacy 3.4.4 depends on packaging>=20.0
    rasa[spacy] 3.6.21 depends on packaging<21.0 and >=20.0
    wheel 0.48.0 depends on packaging>=24.0
    wheel 0.46.2 depends on packaging>=24.0

To fix this you could try to:
ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/
"""
    assert audit._conflict(output, "wheel") == (
        "rasa 3.6.21 depends on packaging<21.0 and >=20.0; wheel 0.46.2 depends on packaging>=24.0"
    )
