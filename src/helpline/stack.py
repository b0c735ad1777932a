"""Starts and stops the whole helpline: Redis (embedded unless REDIS_URL is set), the action
server, the Rasa server and the gateway. Used by `helpline run`, the end-to-end tests and the
benchmark, so all three start the stack the same way.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import tempfile
import threading
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import embedded_redis
from .config import ROOT, Settings

BOT_VENV = ROOT / ".venv-bot"
MODEL = ROOT / "models" / "helpline.tar.gz"


class StackError(SystemExit):
    """Something the stack cannot fix itself; the message is one sentence saying how to."""


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_ok(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (our own localhost URL)
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path


@dataclass
class Stack:
    settings: Settings
    model: Path = MODEL
    startup_timeout: float = 180.0
    quiet: bool = False
    # False: Redis and the gateway only, Rasa's port left dead (`helpline eval --bot-down`).
    bot: bool = True
    processes: list[Process] = field(default_factory=list)
    redis_url: str = ""

    @property
    def rasa_port(self) -> int:
        return urlsplit(self.settings.rasa_url).port or 5005

    @property
    def gateway_url(self) -> str:
        return f"http://{self.settings.host}:{self.settings.port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.action_server_port}"

    def say(self, text: str) -> None:
        if not self.quiet:
            print(f"[helpline] {text}", flush=True)

    # --- checks that end in one clear sentence -------------------------------------------------
    def check(self) -> None:
        if self.bot and not (BOT_VENV / "bin" / "rasa").exists():
            raise StackError(f"The bot's environment is missing ({BOT_VENV}): run `make run`, which creates it.")
        if self.bot and not self.model.exists():
            raise StackError(f"No trained model at {self.model}: run `make run` or `make train`.")
        wanted = [("gateway", self.settings.host, self.settings.port),
                  ("Rasa", "127.0.0.1", self.rasa_port),
                  ("action server", "127.0.0.1", self.settings.action_server_port)]
        if not self.bot:
            wanted = wanted[:2]  # Rasa's port must be free: nothing may answer there
        if not self.settings.redis_url:
            wanted.append(("embedded Redis", "127.0.0.1", self.settings.embedded_redis_port))
        for what, host, port in wanted:
            if not port_free(host, port):
                raise StackError(f"Port {port} for the {what} is already taken: stop what uses it "
                                 "or choose another port in .env (see .env.example).")

    # --- processes -----------------------------------------------------------------------------
    def spawn(self, name: str, argv: list[str], env: dict[str, str]) -> Process:
        log_dir = self.settings.var_dir / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"{name}.log"
        with open(log_path, "ab") as log_file:
            # A new session: Ctrl-C reaches only this supervisor, which stops them in order.
            popen = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        process = Process(name, popen, log_path)
        self.processes.append(process)
        return process

    def wait_for(self, process: Process, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                tail = process.log_path.read_text(errors="replace").splitlines()[-15:]
                raise StackError(f"The {what} stopped while starting (exit {process.popen.returncode}); "
                                 f"its log is {process.log_path}:\n" + "\n".join(tail))
            if ready():
                return
            time.sleep(0.3)
        raise StackError(f"The {what} was not ready after {self.startup_timeout:.0f} s; see {process.log_path}.")

    def start_redis(self) -> str:
        if self.settings.redis_url:
            return self.settings.redis_url
        port = self.settings.embedded_redis_port
        argv = embedded_redis.argv(port, self.settings.var_dir / "redis")
        process = self.spawn("redis", argv, dict(os.environ))
        self.wait_for(process, lambda: embedded_redis.answers("127.0.0.1", port), "embedded Redis")
        return f"redis://127.0.0.1:{port}/0"

    def bot_env(self) -> dict[str, str]:
        url = urlsplit(self.redis_url)
        env = dict(os.environ)
        env.update({
            "REDIS_HOST": url.hostname or "127.0.0.1",
            "REDIS_PORT": str(url.port or 6379),
            "REDIS_DB": (url.path or "/0").lstrip("/") or "0",
            "REDIS_PASSWORD": url.password or "",
            "REDIS_URL": self.redis_url,
            "RETENTION_SECONDS": str(self.settings.retention_seconds),
            "ACTION_ENDPOINT_URL": f"{self.action_url}/webhook",
            "HELPLINE_CONTENT_DIR": str(self.settings.content_dir),
            # Rasa and TensorFlow are chatty and phone home; neither is wanted here.
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        })
        return env

    def start(self) -> None:
        self.check()
        started = time.monotonic()
        try:
            self.say("starting Redis" if not self.settings.redis_url else "using Redis at REDIS_URL")
            self.redis_url = self.start_redis()
            started_bot = self.start_bot() if self.bot else None
            if not self.bot:
                self.say("not starting the bot: the gateway runs as it would with Rasa down")
            gateway_env = dict(os.environ)
            gateway_env.update({"REDIS_URL": self.redis_url, "HELPLINE_HOST": self.settings.host,
                                "HELPLINE_PORT": str(self.settings.port), "RASA_URL": self.settings.rasa_url,
                                "HELPLINE_VAR_DIR": str(self.settings.var_dir),
                                "HELPLINE_CONTENT_DIR": str(self.settings.content_dir),
                                "HELPLINE_BACKSTOP_DIR": str(self.settings.backstop_dir)})
            gateway = self.spawn("gateway", [sys.executable, "-m", "helpline", "serve"], gateway_env)
            self.wait_for(gateway, lambda: http_ok(f"{self.gateway_url}/healthz"), "gateway")
            self.say(f"gateway up at {self.gateway_url}")
            if started_bot:
                self.wait_for_bot(*started_bot)
                self.wait_for(gateway, lambda: http_ok(f"{self.gateway_url}/readyz"), "gateway (ready check)")
        except BaseException:
            self.stop()
            raise
        self.say(f"ready in {time.monotonic() - started:.0f} s")

    def start_bot(self) -> tuple[Process, Process]:
        """The action server and the Rasa server, started (they load while the gateway starts)."""
        bot_env = self.bot_env()
        rasa = str(BOT_VENV / "bin" / "rasa")
        self.say("starting the action server and the Rasa server (loading the model takes a little while)")
        # rasa_sdk binds every interface unless SANIC_HOST says otherwise: the action server
        # holds a connection to the content store and is for Rasa on this machine alone.
        actions = self.spawn("actions", [rasa, "run", "actions", "--actions", "actions",
                                         "--port", str(self.settings.action_server_port)],
                             bot_env | {"SANIC_HOST": "127.0.0.1"})
        bot = self.spawn("rasa", [rasa, "run", "--model", str(self.model), "--endpoints", "bot/endpoints.yml",
                                  "--credentials", "bot/credentials.yml", "--interface", "127.0.0.1",
                                  "--port", str(self.rasa_port)], bot_env)
        return actions, bot

    def wait_for_bot(self, actions: Process, bot: Process) -> None:
        self.wait_for(actions, lambda: http_ok(f"{self.action_url}/health"), "action server")
        self.say(f"action server up at {self.action_url}")
        self.wait_for(bot, lambda: http_ok(f"{self.settings.rasa_url}/"), "Rasa server")
        self.say(f"Rasa server up at {self.settings.rasa_url}")

    def stop_process(self, process: Process, grace: float = 15.0) -> None:
        if process.popen.poll() is not None:
            return
        process.popen.send_signal(signal.SIGTERM)
        try:
            process.popen.wait(grace)
        except subprocess.TimeoutExpired:
            process.popen.kill()
            process.popen.wait()

    def stop(self) -> None:
        """Stop everything this stack started, the gateway first and Redis last. A second
        Ctrl-C or a SIGTERM while stopping must not leave the rest running."""
        previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)} \
            if threading.current_thread() is threading.main_thread() else {}
        try:
            for process in reversed(self.processes):
                try:
                    self.stop_process(process)
                except Exception:  # keep going: every process must be stopped
                    process.popen.kill()
            self.processes.clear()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def stopped_on_terminate() -> Iterator[None]:
    """Inside: SIGTERM and SIGHUP end the process as Ctrl-C does, through the with-blocks, so a
    stack started inside is stopped (its processes run in their own sessions: nothing else
    stops them, and a killed `helpline eval` used to leave Redis, Rasa and the gateway running)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, leave) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def running_or_own(settings: Settings, bot: bool = True) -> Iterator[tuple[str, str]]:
    """The gateway and Rasa URLs of the helpline `make run` started, if it is up; otherwise a
    stack of its own on free ports, stopped afterwards. For the benchmark and the evaluation.
    Without the bot, always a stack of its own, with nothing listening on Rasa's port."""
    gateway_url = f"http://{settings.host}:{settings.port}"
    if bot and http_ok(f"{gateway_url}/readyz") and http_ok(f"{settings.rasa_url}/"):
        print(f"[helpline] using the running helpline at {gateway_url}", flush=True)
        yield gateway_url, settings.rasa_url
        return
    own = dataclasses.replace(settings, port=free_port(), rasa_url=f"http://127.0.0.1:{free_port()}",
                              action_server_port=free_port(), embedded_redis_port=free_port(), redis_url="",
                              var_dir=Path(tempfile.mkdtemp(prefix="helpline-")))
    with stopped_on_terminate(), Stack(own, bot=bot) as stack:
        yield stack.gateway_url, own.rasa_url
