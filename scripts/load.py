"""Load run: simulated users holding conversations over the REST channel.

    .venv/bin/python -m scripts.load [--users 50] [--turns 20] [--url http://localhost:5005]
    make load

Each user sends `--turns` messages one after the other (a realistic mix: questions, follow-ups,
declines, a button click), all users at once. Without --url it starts its own action server and
Rasa server on free ports. Prints latency percentiles, messages per second, errors (non-200,
empty reply, exception) and lost turns (user messages missing from the stored conversation,
read back through the HTTP API). A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import statistics
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Tuple

import aiohttp

# One conversation; users go round it from different starting points.
SCRIPT = [
    "hi",
    "what is a biologic?",
    "how are they made",
    "how does benlysta work",
    "can kids have it?",
    "how is it given?",
    "what about anifrolumab?",
    "who is saphnelo for",
    "what are the side effects",
    '/faq_drug_children{"drug":"belimumab"}',
    "what do biologics target in lupus",
    "what is interferon",
    "is belimumab ok if lupus affects the brain",
    "what is rituximab used for",
    "what new treatments are coming",
    "can i take it while pregnant",
    "what other diseases are biologics used for",
    "was belimumab the first biologic approved",
    "does benlysta work for kidneys",
    "thanks",
]


@dataclass
class Results:
    """What the run measured."""

    latencies: List[float] = field(default_factory=list)
    errors: Dict[str, int] = field(default_factory=dict)
    senders: List[str] = field(default_factory=list)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def percentile(values: List[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


async def _user(
    session: aiohttp.ClientSession,
    url: str,
    turns: int,
    offset: int,
    results: Results,
    script: List[str],
) -> None:
    sender = f"load-{uuid.uuid4().hex[:12]}"
    results.senders.append(sender)
    for turn in range(turns):
        message = script[(offset + turn) % len(script)]
        started = time.perf_counter()
        try:
            async with session.post(
                f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}
            ) as response:
                body = await response.json(content_type=None)
                results.latencies.append(time.perf_counter() - started)
                if response.status != 200:
                    results.error(f"HTTP {response.status}")
                elif not body or not any(m.get("text") for m in body):
                    results.error("empty reply")
        except (aiohttp.ClientError, asyncio.TimeoutError, json.JSONDecodeError) as error:
            results.error(type(error).__name__)


async def _lost_turns(
    session: aiohttp.ClientSession, url: str, token: Optional[str], results: Results, turns: int
) -> Optional[int]:
    if not token:
        return None
    lost = 0
    for sender in results.senders:
        async with session.get(
            f"{url}/conversations/{sender}/tracker", params={"token": token}
        ) as response:
            tracker = await response.json()
        said = sum(1 for e in tracker.get("events", []) if e.get("event") == "user")
        lost += max(0, turns - said)
    return lost


async def run_load(
    url: str, users: int, turns: int, token: Optional[str], script: Optional[List[str]] = None
) -> Tuple[Results, float, Optional[int]]:
    """Run the users; return the results, the wall time and the lost turns (None if unknown)."""
    results = Results()
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(
            *(_user(session, url, turns, i, results, script or SCRIPT) for i in range(users))
        )
        wall = time.perf_counter() - started
        lost = await _lost_turns(session, url, token, results, turns)
    return results, wall, lost


def report(
    results: Results, wall: float, lost: Optional[int], users: int, turns: int
) -> Dict[str, float]:
    """Print and return the figures."""
    ms = [1000 * s for s in results.latencies]
    figures = {
        "users": users,
        "turns": turns,
        "messages": len(ms),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "mean_ms": statistics.fmean(ms) if ms else float("nan"),
        "messages_per_s": len(ms) / wall if wall else 0.0,
        "errors": sum(results.errors.values()),
        "lost_turns": -1 if lost is None else lost,
    }
    print(
        f"{users} users x {turns} turns: {len(ms)} messages in {wall:.1f} s = "
        f"{figures['messages_per_s']:.1f} messages/s"
    )
    print(
        f"latency p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, "
        f"p99 {figures['p99_ms']:.0f} ms"
    )
    print(
        f"errors: {figures['errors']} {results.errors or ''}  lost turns: "
        f"{'not checked (no API token)' if lost is None else lost}"
    )
    return figures


@contextlib.contextmanager
def own_servers() -> Iterator[Tuple[str, str]]:
    """An action server and a Rasa server on free ports, with a fresh API token."""
    from scripts import launch

    token = secrets.token_hex(16)
    os.environ["RASA_API_TOKEN"] = token
    action_port, rasa_port = launch.free_port(), launch.free_port()
    with launch.action_server(action_port), launch.rasa_server(rasa_port, action_port):
        yield f"http://localhost:{rasa_port}", token


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--url", help="a running Rasa server (default: start one)")
    parser.add_argument(
        "--token", default=os.environ.get("RASA_API_TOKEN"), help="API token, to count lost turns"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        url, token = (args.url, args.token) if args.url else stack.enter_context(own_servers())
        results, wall, lost = asyncio.run(run_load(url, args.users, args.turns, token))
    figures = report(results, wall, lost, args.users, args.turns)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2)


if __name__ == "__main__":
    main()
