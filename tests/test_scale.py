"""Scale-out, the way Rasa supports it: two Rasa servers and two action servers behind nginx,
sharing PostgreSQL (tracker store) and Redis (lock store), all on loopback.

nginx runs deploy/nginx.conf itself, with the compose hosts rewritten to loopback ports
(tests/test_deploy_files.py, loopback_nginx_conf). Nothing is installed here: PostgreSQL 15,
Redis and nginx come from the distribution (scripts/install-system-packages.sh, which
`make test` runs). Everything is started once for the module, in a temporary directory, and
stopped at the end, whatever happens (about 2 minutes on 2 cores).

Rasa 3.6.21's own RedisLockStore is not atomic across servers (RasaHQ/rasa#9213): about one
burst in three of simultaneous messages for one conversation lost a turn with it. The burst
test below is what stores/lock_store.py's AtomicRedisLockStore was written against.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, ContextManager, Dict, Iterator, List, Optional, Tuple

import pytest
import requests
import yaml

from scripts import launch

pytestmark = pytest.mark.servers

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
INSTALL = "scripts/install-system-packages.sh"
UNAVAILABLE = "can't answer right now"


def _deploy_files_module() -> Any:
    """tests/test_deploy_files.py, for its loopback rendering of deploy/nginx.conf."""
    spec = importlib.util.spec_from_file_location(
        "_deploy_files", Path(__file__).with_name("test_deploy_files.py")
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _binary(name: str, *candidates: str) -> Optional[str]:
    return shutil.which(name) or next((c for c in candidates if Path(c).is_file()), None)


def _require_system_packages() -> Dict[str, str]:
    found = {
        "initdb": str(PG_BIN / "initdb") if (PG_BIN / "initdb").is_file() else None,
        "pg_ctl": str(PG_BIN / "pg_ctl") if (PG_BIN / "pg_ctl").is_file() else None,
        "createdb": str(PG_BIN / "createdb") if (PG_BIN / "createdb").is_file() else None,
        "redis-server": _binary("redis-server", "/usr/bin/redis-server"),
        "nginx": _binary("nginx", "/usr/sbin/nginx"),
    }
    missing = [name for name, path in found.items() if path is None]
    if missing:
        pytest.fail(
            f"missing {', '.join(missing)} (PostgreSQL 15 in {PG_BIN}, redis-server, nginx): "
            f"run {INSTALL} as root or with sudo (`make test` does)",
            pytrace=False,
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail(
                f"running as root needs the `postgres` OS user (Debian's postgresql package "
                f"creates it): run {INSTALL}",
                pytrace=False,
            )
    return {k: v for k, v in found.items() if v}


def _wait_for(
    check: Callable[[], bool], timeout: float, what: str, diagnostics: Callable[[], str] = str
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{what} not ready within {timeout:.0f} s\n{diagnostics()}")


def _tail(path: Path, lines: int = 25) -> str:
    if not path.exists():
        return f"({path.name}: no file)"
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    return f"--- {path} ---\n" + "\n".join(text)


class Postgres:
    """A throwaway PostgreSQL 15 cluster on a loopback port; run as `postgres` when we are root."""

    def __init__(self, binaries: Dict[str, str], directory: Path) -> None:
        self.bin = binaries
        self.dir = directory
        self.data = directory / "data"
        self.socket_dir = directory / "socket"
        self.log = directory / "postgres.log"
        self.port = launch.free_port()
        self.password = secrets.token_urlsafe(16)
        self.as_root = os.geteuid() == 0

    def _run(self, *command: str, timeout: float = 90) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        result = subprocess.run(
            [*prefix, *command], cwd=self.dir, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, (
            f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}\n{_tail(self.log)}"
        )

    def start(self) -> str:
        self.dir.mkdir(parents=True)
        self.socket_dir.mkdir()
        password_file = self.dir / "password"
        password_file.write_text(self.password + "\n", encoding="utf-8")
        if self.as_root:
            entry = pwd.getpwnam("postgres")
            for path in (self.dir, self.socket_dir, password_file):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.dir.chmod(0o700)
        password_file.chmod(0o600)
        self._run(
            self.bin["initdb"],
            "-D",
            str(self.data),
            "-U",
            "rasa",
            "--pwfile",
            str(password_file),
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.socket_dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            self.bin["pg_ctl"],
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )
        self._run(
            self.bin["createdb"],
            "-h",
            str(self.socket_dir),
            "-p",
            str(self.port),
            "-U",
            "rasa",
            "rasa",
        )
        return f"postgresql://rasa:{self.password}@127.0.0.1:{self.port}/rasa"

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self._run(
                    self.bin["pg_ctl"],
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "-w",
                    "-t",
                    "30",
                    "stop",
                )


class Cluster:
    """Everything the tests talk to, and the handles to stop and restart servers."""

    def __init__(self, workdir: Path, stack: contextlib.ExitStack) -> None:
        self.workdir = workdir
        self.stack = stack
        self.token = secrets.token_urlsafe(24)
        self.rasa_ports = [launch.free_port(), launch.free_port()]
        self.action_ports = [launch.free_port(), launch.free_port()]
        self.nginx_port = launch.free_port()
        self.nginx_action_port = launch.free_port()
        self.rasa: Dict[int, Any] = {}  # index -> Popen of the Rasa server
        self.actions: Dict[int, Any] = {}  # index -> Popen of the action server
        self.endpoints = workdir / "endpoints.yml"
        self.nginx_dir = workdir / "nginx"
        self.postgres: Optional[Postgres] = None

    # --- addresses ---
    @property
    def nginx(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def rasa_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.rasa_ports[index]}"

    # --- diagnostics ---
    def diagnostics(self) -> str:
        files = [self.workdir / f"rasa-{i}.log" for i in (0, 1)] + [self.nginx_dir / "error.log"]
        if self.postgres:
            files.append(self.postgres.log)
        return "\n".join(_tail(f) for f in files)

    def access_log(self) -> str:
        path = self.nginx_dir / "access.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    # --- servers ---
    def rasa_server(self, index: int) -> ContextManager[Any]:
        return launch.rasa_server(
            self.rasa_ports[index],
            self.nginx_action_port,
            extra_args=[
                "--endpoints",
                str(self.endpoints),
                "--log-file",
                str(self.workdir / f"rasa-{index}.log"),
            ],
        )

    def action_server(self, index: int) -> ContextManager[Any]:
        return launch.action_server(self.action_ports[index])

    def enter_concurrently(self, managers: Dict[Tuple[str, int], ContextManager[Any]]) -> None:
        """Start servers in parallel (each context manager waits until its server answers);
        every one that started is stopped with the module, even if another failed."""
        with ThreadPoolExecutor(max_workers=len(managers)) as pool:
            futures = {key: pool.submit(manager.__enter__) for key, manager in managers.items()}
        errors = []
        for key, future in futures.items():
            try:
                process = future.result()
            except BaseException as error:  # noqa: BLE001 - reported below, after cleanup is registered
                errors.append(f"{key}: {error}")
                continue
            self.stack.push(managers[key].__exit__)
            (self.rasa if key[0] == "rasa" else self.actions)[key[1]] = process
        if errors:
            raise RuntimeError(
                "servers did not start: " + "; ".join(errors) + "\n" + self.diagnostics()
            )

    def kill_rasa(self, index: int) -> None:
        """SIGKILL: no shutdown of any kind, as if the machine died."""
        process = self.rasa[index]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def restart_rasa(self, index: int) -> None:
        self.enter_concurrently({("rasa", index): self.rasa_server(index)})

    def stop_actions(self, index: int) -> None:
        launch.stop(self.actions[index])

    def start_actions(self, index: int) -> None:
        self.enter_concurrently({("actions", index): self.action_server(index)})


def _write_endpoints(path: Path, action_url: str) -> None:
    """The project's endpoints.yml (SQL tracker store, lock store), actions through nginx."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8")) or {}
    endpoints["action_endpoint"] = {"url": action_url}
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")


@contextlib.contextmanager
def _nginx(binary: str, cluster: Cluster) -> Iterator[subprocess.Popen]:
    conf = _deploy_files_module().write_loopback_nginx(
        cluster.nginx_dir,
        listen=cluster.nginx_port,
        action_listen=cluster.nginx_action_port,
        rasa_ports=cluster.rasa_ports,
        action_ports=cluster.action_ports,
    )
    process = subprocess.Popen(
        [
            binary,
            "-p",
            str(cluster.nginx_dir),
            "-e",
            str(cluster.nginx_dir / "error.log"),
            "-c",
            str(conf),
        ],
        stdout=subprocess.DEVNULL,
        stderr=(cluster.nginx_dir / "stderr.log").open("ab"),
        start_new_session=True,
    )
    try:
        _wait_for(
            lambda: (
                process.poll() is None
                and requests.get(f"{cluster.nginx}/widget/lupus-chat.css", timeout=2).status_code
                == 200
            ),
            30,
            "nginx",
            lambda: (
                _tail(cluster.nginx_dir / "error.log") + _tail(cluster.nginx_dir / "stderr.log")
            ),
        )
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # graceful stop of master and workers
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextlib.contextmanager
def _redis(binary: str, workdir: Path) -> Iterator[str]:
    port, password = launch.free_port(), secrets.token_urlsafe(16)
    directory = workdir / "redis"
    directory.mkdir()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--requirepass",
            password,
            "--dir",
            str(directory),
            "--logfile",
            str(directory / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port, password=password, socket_timeout=2)
        _wait_for(
            lambda: process.poll() is None and client.ping(),
            20,
            "redis",
            lambda: _tail(directory / "redis.log"),
        )
        yield f"redis://:{password}@127.0.0.1:{port}/1"
    finally:
        launch.stop(process, timeout=10)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    binaries = _require_system_packages()
    if not launch.MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does it)", pytrace=False)
    # Not pytest's tmp_path: its parent directories are private to root, and PostgreSQL runs
    # as `postgres` and nginx's workers as an unprivileged user.
    workdir = Path(tempfile.mkdtemp(prefix="lupus-scale-"))
    workdir.chmod(0o755)
    with contextlib.ExitStack() as stack, pytest.MonkeyPatch.context() as env:
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        cluster = Cluster(workdir, stack)
        postgres = cluster.postgres = Postgres(binaries, workdir / "postgres")
        stack.callback(postgres.stop)
        database_url = postgres.start()
        redis_url = stack.enter_context(_redis(binaries["redis-server"], workdir))
        # What launch.rasa_server and launch.action_server pass on to the servers.
        env.setenv("DATABASE_URL", database_url)
        env.setenv("REDIS_URL", redis_url)
        env.setenv("RASA_API_TOKEN", cluster.token)
        env.delenv("RASA_JWT_SECRET", raising=False)
        # Ten simultaneous messages for one conversation are answered one after the other (the
        # lock): give the last one time before the REST channel's "try again" (default 20 s).
        env.setenv("REPLY_TIMEOUT_SECONDS", "60")
        _write_endpoints(cluster.endpoints, f"http://127.0.0.1:{cluster.nginx_action_port}/webhook")
        stack.enter_context(_nginx(binaries["nginx"], cluster))
        cluster.enter_concurrently(
            {
                ("actions", 0): cluster.action_server(0),
                ("actions", 1): cluster.action_server(1),
                ("rasa", 0): cluster.rasa_server(0),
                ("rasa", 1): cluster.rasa_server(1),
            }
        )
        yield cluster


# --------------------------------------------------------------------------------------------
# Talking to it


def say(base_url: str, sender: str, message: str, timeout: float = 90) -> List[dict]:
    response = requests.post(
        f"{base_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        headers={"X-Test-Sender": sender},
        timeout=timeout,
    )
    assert response.status_code == 200, f"{base_url}: {response.status_code} {response.text[:300]}"
    return response.json()


def text(replies: List[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def tracker(cluster: Cluster, index: int, sender: str) -> dict:
    response = requests.get(
        f"{cluster.rasa_url(index)}/conversations/{sender}/tracker",
        params={"token": cluster.token},
        timeout=30,
    )
    assert response.status_code == 200, response.text[:300]
    return response.json()


def turns(events: List[dict]) -> List[Tuple[str, List[str]]]:
    """(user text, bot texts up to the next user message) for every user message, in order."""
    result: List[Tuple[str, List[str]]] = []
    for event in events:
        if event["event"] == "user":
            result.append((event.get("text") or "", []))
        elif event["event"] == "bot" and result:
            result[-1][1].append(event.get("text") or "")
    return result


def new_sender(label: str) -> str:
    return f"scale-{label}-{uuid.uuid4().hex[:8]}"


# --------------------------------------------------------------------------------------------
# The tests


def test_turns_alternating_between_servers_keep_their_context(cluster: Cluster) -> None:
    sender = new_sender("alternate")
    first = say(cluster.rasa_url(0), sender, "how does benlysta work?")
    assert "belimumab" in text(first).lower()

    follow_up = say(cluster.rasa_url(1), sender, "can kids have it?")
    assert "from 5 years of age" in text(follow_up), text(follow_up)
    assert "belimumab" in text(follow_up)

    other = say(cluster.rasa_url(0), sender, "what about anifrolumab?")
    assert "anifrolumab only for adults" in text(other), text(other)

    given = say(cluster.rasa_url(1), sender, "how is it given?")
    assert "does not say how anifrolumab is given" in text(given), text(given)

    seen_by_a, seen_by_b = tracker(cluster, 0, sender), tracker(cluster, 1, sender)
    assert seen_by_a["events"] == seen_by_b["events"], "both servers read the same conversation"
    assert [user for user, _ in turns(seen_by_a["events"])] == [
        "how does benlysta work?",
        "can kids have it?",
        "what about anifrolumab?",
        "how is it given?",
    ]
    assert seen_by_a["slots"]["drugs"] == ["anifrolumab"]


QUESTIONS = [
    "what is a biologic?",
    "how does belimumab work?",
    "how is benlysta given?",
    "can children take belimumab?",
    "what is anifrolumab?",
    "how does rituximab work?",
    "what are B lymphocytes?",
    "what is interferon?",
    "who can take anifrolumab?",
    "what treatments are coming?",
]


def _burst(cluster: Cluster) -> Tuple[str, Dict[str, List[dict]]]:
    """Ten messages for one new conversation, sent at the same moment through nginx."""
    sender = new_sender("burst")
    say(cluster.nginx, sender, "hi")  # the opening disclaimer comes with this first reply
    barrier = threading.Barrier(len(QUESTIONS))

    def send(question: str) -> Tuple[str, List[dict]]:
        barrier.wait(timeout=30)
        return question, say(cluster.nginx, sender, question)

    with ThreadPoolExecutor(max_workers=len(QUESTIONS)) as pool:
        return sender, dict(pool.map(send, QUESTIONS))


def _check_processed_in_order(
    cluster: Cluster, sender: str, answered: Dict[str, List[dict]]
) -> None:
    for question, replies in answered.items():
        assert replies and UNAVAILABLE not in text(replies), f"{question!r}: {replies}"
    conversation = turns(tracker(cluster, 0, sender)["events"])[1:]  # after "hi"
    users = [user for user, _ in conversation]
    assert sorted(users) == sorted(QUESTIONS), f"lost or duplicated: {users}"
    for user, bot in conversation:
        # Each message's replies come right after it, and are exactly what its sender received:
        # the turns were processed one at a time, never interleaved.
        assert bot, f"{user!r} has no reply before the next message"
        assert bot == [r["text"] for r in answered[user] if r.get("text")], user


@pytest.mark.parametrize("burst", range(3))  # Rasa's own lock store failed about 1 in 3
def test_simultaneous_messages_for_one_sender_are_processed_in_order_none_lost(
    cluster: Cluster, burst: int
) -> None:
    sender, answered = _burst(cluster)
    # Both Rasa servers took part (round robin through nginx): the order must come from Redis.
    upstreams = set(
        re.findall(rf"upstream=127\.0\.0\.1:(\d+) sender={sender}", cluster.access_log())
    )
    assert upstreams == {str(p) for p in cluster.rasa_ports}, upstreams
    _check_processed_in_order(cluster, sender, answered)


def test_a_rasa_server_killed_mid_conversation_loses_no_turn(cluster: Cluster) -> None:
    sender = new_sender("kill")
    said: List[str] = []

    def turn(base_url: str, message: str) -> str:
        said.append(message)
        return text(say(base_url, sender, message))

    assert "belimumab" in turn(cluster.nginx, "how does benlysta work?").lower()
    assert "once a month" in turn(cluster.nginx, "how is it given?")

    cluster.kill_rasa(0)
    log_before = len(cluster.access_log())
    # nginx finds server A refusing and sends these to B (proxy_next_upstream, max_fails).
    assert "from 5 years of age" in turn(cluster.nginx, "can kids have it?")
    assert "anifrolumab only for adults" in turn(cluster.nginx, "what about anifrolumab?")
    assert "does not say how anifrolumab is given" in turn(cluster.nginx, "how is it given?")
    after_kill = cluster.access_log()[log_before:]
    assert f"127.0.0.1:{cluster.rasa_ports[1]}" in after_kill and " 502 " not in after_kill, (
        after_kill
    )

    cluster.restart_rasa(0)
    # The restarted server continues the conversation where it stood: anifrolumab.
    assert "anifrolumab only for adults" in turn(cluster.rasa_url(0), "can kids have it?")

    stored = tracker(cluster, 0, sender)
    conversation = turns(stored["events"])
    assert [user for user, _ in conversation] == said, "every answered turn is stored, in order"
    assert all(bot for _, bot in conversation), conversation
    assert stored["slots"]["drugs"] == ["anifrolumab"]


def test_without_action_servers_the_user_is_told_to_try_again_then_answers_resume(
    cluster: Cluster,
) -> None:
    sender = new_sender("actions-down")
    assert "belimumab" in text(say(cluster.nginx, sender, "how does belimumab work?")).lower()
    try:
        cluster.stop_actions(0)
        cluster.stop_actions(1)
        down = text(say(cluster.nginx, sender, "how is it given?"))
        assert UNAVAILABLE in down, down

        cluster.start_actions(0)
        # nginx may still hold both action servers as failed for up to fail_timeout (10 s).
        deadline, reply = time.monotonic() + 45, ""
        while time.monotonic() < deadline:
            reply = text(say(cluster.nginx, sender, "how is it given?"))
            if UNAVAILABLE not in reply:
                break
            time.sleep(1)
        assert "once a month" in reply, f"answers did not resume: {reply}\n{cluster.diagnostics()}"
    finally:
        for index in (0, 1):
            if cluster.actions[index].poll() is not None:
                cluster.start_actions(index)


def test_the_widget_page_and_socketio_work_through_nginx(cluster: Cluster) -> None:
    page = requests.get(f"{cluster.nginx}/", timeout=10)
    assert page.status_code == 200
    assert f'data-server-url="{cluster.nginx}"' in page.text
    assert (
        f"connect-src 'self' {cluster.nginx} ws://127.0.0.1:{cluster.nginx_port}"
        in page.headers["Content-Security-Policy"]
    )
    for name, path in [
        ("lupus-chat.js", "web/widget/lupus-chat.js"),
        ("lupus-chat.css", "web/widget/lupus-chat.css"),
        ("socket.io.min.js", "web/node_modules/socket.io-client/dist/socket.io.min.js"),
    ]:
        asset = requests.get(f"{cluster.nginx}/widget/{name}", timeout=10)
        assert asset.status_code == 200 and asset.content == (ROOT / path).read_bytes(), name
    assert requests.get(f"{cluster.nginx}/widget/", timeout=10).status_code == 404
    assert (
        requests.get(
            f"{cluster.nginx}/conversations/x/tracker?token={cluster.token}", timeout=10
        ).status_code
        == 404
    )

    async def chat_polling() -> str:
        """python-socketio's client over the polling transport: many HTTP requests, which must
        all reach the server holding the session (ip_hash)."""
        import socketio

        client = socketio.AsyncClient(reconnection=False)
        loop = asyncio.get_running_loop()
        confirmed: "asyncio.Future[str]" = loop.create_future()
        answer: "asyncio.Future[str]" = loop.create_future()
        session_id = new_sender("polling")
        client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
        # The first reply of a new session is the disclaimer: wait for the answer itself.
        client.on(
            "bot_uttered",
            lambda m: (
                "belimumab" in (m.get("text") or "").lower()
                and not answer.done()
                and answer.set_result(m["text"])
            ),
        )
        await client.connect(
            cluster.nginx, socketio_path="socket.io", transports=["polling"], wait_timeout=10
        )
        try:
            await client.emit("session_request", {"session_id": session_id})
            assert await asyncio.wait_for(confirmed, 10) == session_id
            await client.emit(
                "user_uttered", {"message": "how does benlysta work?", "session_id": session_id}
            )
            return await asyncio.wait_for(answer, 60)
        finally:
            await client.disconnect()

    async def chat_websocket() -> str:
        """Socket.IO spoken directly over a WebSocket (python-engineio's WebSocket client needs
        a newer aiohttp than Rasa 3.6 allows): checks nginx's Upgrade handling."""
        import json

        import websockets

        session_id = new_sender("websocket")
        url = f"ws://127.0.0.1:{cluster.nginx_port}/socket.io/?EIO=4&transport=websocket"
        async with websockets.connect(url, open_timeout=10) as ws:

            async def receive_event(name: str) -> list:
                while True:
                    packet = await asyncio.wait_for(ws.recv(), 60)
                    if packet == "2":  # engine.io ping
                        await ws.send("3")
                    elif packet.startswith("42"):
                        event = json.loads(packet[2:])
                        if event[0] == name and (
                            name != "bot_uttered"
                            or "belimumab" in (event[1].get("text") or "").lower()
                        ):
                            return event

            assert (await asyncio.wait_for(ws.recv(), 10)).startswith("0{")  # engine.io open
            await ws.send("40")  # socket.io connect, default namespace
            assert (await asyncio.wait_for(ws.recv(), 10)).startswith("40")
            await ws.send("42" + json.dumps(["session_request", {"session_id": session_id}]))
            assert (await receive_event("session_confirm"))[1] == session_id
            await ws.send(
                "42"
                + json.dumps(
                    [
                        "user_uttered",
                        {"message": "how does benlysta work?", "session_id": session_id},
                    ]
                )
            )
            return (await receive_event("bot_uttered"))[1]["text"]

    assert "belimumab" in asyncio.run(chat_polling()).lower()
    assert "belimumab" in asyncio.run(chat_websocket()).lower()
