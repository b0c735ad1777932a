"""docker-compose.yml and the Dockerfile, checked statically: no Docker engine runs here.

The schema in tests/data/compose-spec.json is the Compose Specification as shipped in
docker-compose 1.29.2 (compose/config/compose_spec.json, Apache-2.0).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from helpline.config import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
SCHEMA = json.loads((ROOT / "tests" / "data" / "compose-spec.json").read_text())
SUBSTITUTION = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


# --- helpers ------------------------------------------------------------------------------------
def with_defaults(value: Any) -> str:
    """A value as compose would see it with no .env: ${VAR:-default} becomes default."""
    return SUBSTITUTION.sub(lambda m: m.group(2) or "", str(value))


def environment(service: str) -> dict[str, str]:
    env = SERVICES[service].get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {name: with_defaults(value) for name, value in env.items()}


def command(service: str) -> list[str]:
    cmd = SERVICES[service]["command"]
    return shlex.split(cmd) if isinstance(cmd, str) else [str(part) for part in cmd]


def option(argv: list[str], name: str) -> str:
    assert name in argv, f"{name} missing from {argv}"
    return argv[argv.index(name) + 1]


def bind_mounts(service: str) -> dict[PurePosixPath, Path]:
    """Container path -> repository path, for the service's ./host:/container mounts."""
    mounts = {}
    for volume in SERVICES[service].get("volumes", []):
        source, target = volume.split(":")[:2]
        if source.startswith((".", "/")):
            mounts[PurePosixPath(target)] = (ROOT / source).resolve()
    return mounts


def host_path(service: str, container_path: str) -> Path:
    """Where a path the service's process opens comes from in the repository."""
    path = PurePosixPath(SERVICES[service].get("working_dir", "/"), container_path)
    for target, source in bind_mounts(service).items():
        if path.is_relative_to(target):
            return source / path.relative_to(target)
    raise AssertionError(f"{container_path} in {service} is not under any mounted directory")


@dataclass
class Stage:
    base: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def dockerfile_stages(path: Path) -> dict[str, Stage]:
    lines = [line for line in path.read_text().splitlines() if not line.lstrip().startswith("#")]
    text = re.sub(r"\\\n", " ", "\n".join(lines))
    stages: dict[str, Stage] = {}
    stage = None
    for line in filter(None, (line.strip() for line in text.splitlines())):
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            base, _, name = args.partition(" AS ") if " AS " in args else args.partition(" as ")
            stage = stages[name.strip() or str(len(stages))] = Stage(base.strip(), name.strip())
        else:
            assert stage is not None, f"{keyword} before FROM in {path}"
            stage.instructions.append((keyword, args))
    return stages


def start_rasa(tmp_path: Path, **overrides: str) -> dict[str, Any]:
    """Run the rasa service's entrypoint and command as the container would, with a stand-in for
    the image's `rasa` that reports the environment and arguments it was started with."""
    stand_in = tmp_path / "rasa"
    stand_in.write_text(f"#!{sys.executable}\nimport json, os, sys\n"
                        "print(json.dumps({'env': dict(os.environ), 'argv': sys.argv[1:]}))\n")
    stand_in.chmod(0o755)
    # Compose reads $$ as a literal $; the entrypoint interpolates nothing itself.
    entrypoint = [part.replace("$$", "$") for part in SERVICES["rasa"]["entrypoint"]]
    assert not any(SUBSTITUTION.search(part) for part in SERVICES["rasa"]["entrypoint"])
    env = {**environment("rasa"), **overrides, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(entrypoint + command("rasa"), env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def build_stage(service: str) -> Stage:
    build = SERVICES[service]["build"]
    dockerfile = ROOT / build["context"] / build.get("dockerfile", "Dockerfile")
    stages = dockerfile_stages(dockerfile)
    return stages[build["target"]] if "target" in build else list(stages.values())[-1]


def copy_sources(args: str) -> list[str]:
    words = json.loads(args) if args.startswith("[") else shlex.split(args)
    return [word for word in words[:-1] if not word.startswith("--")]


def pinned_version(requirements: Path, package: str) -> str:
    match = re.search(rf"^{re.escape(package)}==(\S+)$", requirements.read_text(), re.MULTILINE)
    assert match, f"{package} is not pinned in {requirements.name}"
    return match.group(1)


# --- the file as a whole ------------------------------------------------------------------------
def test_compose_file_follows_the_compose_specification():
    # The schema says draft 2019-09, spelled with http and a trailing "#", which jsonschema
    # does not recognise on its own.
    assert "2019-09" in SCHEMA["$schema"]
    jsonschema.Draft201909Validator.check_schema(SCHEMA)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in jsonschema.Draft201909Validator(SCHEMA).iter_errors(COMPOSE)]
    assert errors == []


def test_the_four_services_and_nothing_else():
    assert set(SERVICES) == {"redis", "rasa", "actions", "gateway"}


def test_every_service_restarts_unless_stopped():
    assert {name: service.get("restart") for name, service in SERVICES.items()} == dict.fromkeys(
        SERVICES, "unless-stopped")


# --- images ---------------------------------------------------------------------------------------
def test_images_are_pinned_to_the_versions_the_bot_environment_tests():
    requirements = ROOT / "requirements-bot.txt"
    assert build_stage("rasa").base == f"rasa/rasa:{pinned_version(requirements, 'rasa')}" == "rasa/rasa:3.6.21"
    actions_base = build_stage("actions").base
    assert actions_base == f"rasa/rasa-sdk:{pinned_version(requirements, 'rasa-sdk')}" == "rasa/rasa-sdk:3.6.2"
    assert re.fullmatch(r"redis:7\.\d+(\.\d+)?-alpine", SERVICES["redis"]["image"])
    assert build_stage("gateway").base == "python:3.11-slim"


def test_redis_appends_to_a_named_volume():
    argv = command("redis")
    assert option(argv, "--appendonly") == "yes"
    volumes = dict(volume.split(":")[:2][::-1] for volume in SERVICES["redis"]["volumes"])
    assert volumes["/data"] in COMPOSE["volumes"]


# --- paths ----------------------------------------------------------------------------------------
def test_every_mounted_directory_exists():
    mounted = {name: bind_mounts(name) for name in SERVICES}
    assert set(mounted["rasa"].values()) == {ROOT / "bot", ROOT / "models"}
    for name, mounts in mounted.items():
        for source in mounts.values():
            assert source.is_relative_to(ROOT), f"{name} mounts {source}, outside the repository"
            # models/ is made by `make train`; the rest is in the repository.
            assert source.is_dir() or source == ROOT / "models", f"{name} mounts missing {source}"
    assert all(volume.endswith(":ro") for volume in SERVICES["rasa"]["volumes"])


def test_every_build_context_dockerfile_and_copied_path_exists():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    for name in ("rasa", "actions", "gateway"):
        build = SERVICES[name]["build"]
        context = ROOT / build["context"]
        assert (context / build.get("dockerfile", "Dockerfile")).is_file()
        for args in build_stage(name).args("COPY"):
            for source in copy_sources(args):
                assert (context / source).exists(), f"{name} copies {source}, which does not exist"
                assert PurePosixPath(source).parts[0] not in ignored, f"{source} is in .dockerignore"


def test_the_rasa_command_names_files_that_exist():
    argv = command("rasa")
    assert argv[0] == "run" and "--enable-api" not in argv
    assert host_path("rasa", option(argv, "--endpoints")) == ROOT / "bot" / "endpoints.yml"
    assert host_path("rasa", option(argv, "--credentials")) == ROOT / "bot" / "credentials.yml"
    assert (ROOT / "bot" / "endpoints.yml").is_file() and (ROOT / "bot" / "credentials.yml").is_file()
    # The model is the one `make train` writes.
    model = re.search(r"^MODEL\s*:=\s*(\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert model and host_path("rasa", option(argv, "--model")) == ROOT / model.group(1)


# --- how the services find one another ------------------------------------------------------------
def test_rasa_starts_with_its_command_and_every_variable_its_endpoints_use(tmp_path: Path):
    started = start_rasa(tmp_path)
    assert started["argv"] == command("rasa")
    used = set(re.findall(r"\$\{(\w+)\}", (ROOT / "bot" / "endpoints.yml").read_text()))
    assert used >= {"ACTION_ENDPOINT_URL", "REDIS_HOST", "RETENTION_SECONDS"}
    assert used <= set(started["env"])
    assert started["env"]["RASA_TELEMETRY_ENABLED"] == "false"


def test_rasa_calls_the_action_server_on_its_port():
    url = urlsplit(environment("rasa")["ACTION_ENDPOINT_URL"])
    assert url.hostname == "actions"
    assert url.port == int(option(command("actions"), "--port"))
    assert url.path == "/webhook"


def test_the_gateway_calls_rasa_on_its_port():
    url = urlsplit(environment("gateway")["RASA_URL"])
    assert url.hostname == "rasa"
    assert url.port == int(option(command("rasa"), "--port")) == 5005


def test_everyone_uses_the_redis_service():
    assert "--port" not in command("redis")  # so Redis listens on its default, 6379
    for name in ("gateway", "actions"):
        url = urlsplit(environment(name)["REDIS_URL"])
        assert (url.scheme, url.hostname, url.port, url.path) == ("redis", "redis", 6379, "/0"), name
    rasa = environment("rasa")
    assert (rasa["REDIS_HOST"], rasa["REDIS_PORT"], rasa["REDIS_DB"]) == ("redis", "6379", "0")


def test_the_gateway_sets_only_variables_it_reads():
    source = (ROOT / "src" / "helpline" / "config.py").read_text()
    from_env = source[source.index("def from_env"):]
    read = set(re.findall(r"""(?:env|_int|_float)\(\s*["'](\w+)["']""", from_env))
    assert {"REDIS_URL", "RASA_URL", "HELPLINE_PORT"} <= read  # the pattern still finds them
    assert set(environment("gateway")) <= read


def test_rasa_keeps_conversations_as_long_as_the_gateway(tmp_path: Path):
    # One setting for both, so a RETENTION_DAYS in .env reaches the two services alike.
    assert SERVICES["rasa"]["environment"]["RETENTION_DAYS"] == SERVICES["gateway"]["environment"]["RETENTION_DAYS"]
    assert int(environment("gateway")["RETENTION_DAYS"]) == Settings().retention_days
    assert start_rasa(tmp_path)["env"]["RETENTION_SECONDS"] == str(Settings().retention_seconds)
    assert start_rasa(tmp_path, RETENTION_DAYS="7")["env"]["RETENTION_SECONDS"] == str(7 * 24 * 3600)


# --- dependencies and exposure --------------------------------------------------------------------
def test_dependencies_name_services_that_can_satisfy_them():
    for name, service in SERVICES.items():
        depends_on = service.get("depends_on") or {}
        if isinstance(depends_on, list):
            depends_on = dict.fromkeys(depends_on, {"condition": "service_started"})
        for other, how in depends_on.items():
            assert other in SERVICES and other != name, f"{name} depends on unknown {other}"
            if how.get("condition") == "service_healthy":
                assert "healthcheck" in SERVICES[other], f"{name} waits for {other}, which has no healthcheck"
    assert SERVICES["gateway"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert SERVICES["rasa"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_only_the_gateway_is_published():
    assert [name for name, service in SERVICES.items() if service.get("ports")] == ["gateway"]
    _, container = str(SERVICES["gateway"]["ports"][0]).rsplit(":", 1)
    assert container == environment("gateway")["HELPLINE_PORT"] == "8080"
    assert environment("gateway")["HELPLINE_HOST"] == "0.0.0.0"


@pytest.mark.parametrize("name", ["redis", "rasa", "actions"])
def test_internal_services_have_no_route_out(name: str):
    networks = SERVICES[name]["networks"]
    assert networks and all(COMPOSE["networks"][network].get("internal") for network in networks)


def test_the_gateway_healthcheck_asks_healthz_on_its_port():
    check = " ".join(SERVICES["gateway"]["healthcheck"]["test"])
    assert f"127.0.0.1:{environment('gateway')['HELPLINE_PORT']}/healthz" in check


# --- users ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["gateway", "actions"])
def test_built_images_run_as_a_non_root_user(name: str):
    stage = build_stage(name)
    at = {keyword: i for i, (keyword, _) in enumerate(stage.instructions)}  # last occurrence of each
    assert "USER" in at and "CMD" in at
    assert at["USER"] < at["CMD"], "the last USER must come before CMD"
    assert stage.args("USER")[-1].split(":")[0] not in {"root", "0"}
    assert "user" not in SERVICES[name]  # compose does not switch back to root either


def test_the_gateway_image_serves_with_its_data_paths_named():
    stage = build_stage("gateway")
    assert stage.args("CMD")[-1] == '["helpline", "serve"]'
    env = " ".join(stage.args("ENV"))
    # Installed into site-packages, the package cannot find data/content from its own location.
    assert "HELPLINE_CONTENT_DIR=/app/data/content" in env
    assert any(copy_sources(args) == ["data/content"] and args.endswith("./data/content")
               for args in stage.args("COPY"))
    assert "/healthz" in stage.args("HEALTHCHECK")[-1]


def test_the_rasa_image_has_the_word_piece_vectors_the_bot_environment_tests():
    # bot/config.yml names bot.components.sentence_vectors, which needs the tokenizer and
    # wordllama's files at the versions `make` installs.
    installs = " ".join(build_stage("rasa").args("RUN"))
    tokenizers = pinned_version(ROOT / "requirements-bot.txt", "tokenizers")
    assert f"tokenizers=={tokenizers}" in installs
    wordllama = re.search(r"^WORDLLAMA\s*:=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert f"--no-deps {wordllama}" in installs
    assert "bot.components.sentence_vectors.SentenceVectorsFeaturizer" in (ROOT / "bot" / "config.yml").read_text()


def test_the_gateway_image_trains_its_backstop_where_the_gateway_looks_for_it():
    stage = build_stage("gateway")
    env = " ".join(stage.args("ENV"))
    found = re.search(r"HELPLINE_BACKSTOP_DIR=(\S+)", env)
    assert found, "the gateway image must name HELPLINE_BACKSTOP_DIR"
    training = [args for args in stage.args("RUN") if "helpline train-backstop" in args]
    assert training and f"--out {found.group(1)}" in training[0]
    copied = [copy_sources(args) for args in stage.args("COPY")]
    assert ["data/nlu"] in copied and ["bot/config.yml"] in copied
    assert "--nlu /app/data/nlu" in training[0] and "--bot-config /app/bot/config.yml" in training[0]


def test_the_rasa_image_has_the_shared_vectors_module():
    # bot/components/sentence_vectors.py imports helpline.vectors.
    assert "from helpline.vectors import" in (ROOT / "bot" / "components" / "sentence_vectors.py").read_text()
    assert any(copy_sources(args) == ["src/helpline"] and args.endswith("/app/helpline")
               for args in build_stage("rasa").args("COPY"))
