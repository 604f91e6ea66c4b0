"""`make bench` in small: the whole measuring path still works (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.model


def test_bench_quick_writes_its_tables_and_plot(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scripts.bench", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    markdown = (tmp_path / "benchmarks.md").read_text()
    for heading in (
        "Round trip at 1, 5, 20 and 50 concurrent users",
        "Overhead over the floor",
        "Training, start-up, size, memory",
        "Targets",
    ):
        assert heading in markdown
    assert "| project | 1 |" in markdown and "| floor (rasa init) | 1 |" in markdown
    # Two workers with the Redis lock store, Redis started by the benchmark (make test installs it).
    assert "## One worker or two" in markdown and "| project, 2 workers | 1 |" in markdown
    two_workers = next(
        line for line in markdown.splitlines() if line.startswith("| project, 2 workers | 5 |")
    )
    assert two_workers.split("|")[7].strip() == "0", f"errors with two workers: {two_workers}"
    assert (tmp_path / "images" / "latency-vs-concurrency.png").stat().st_size > 10_000
