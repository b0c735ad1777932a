"""A stack started for the evaluation or the benchmark is stopped when its process is sent
SIGTERM or SIGHUP, as on Ctrl-C: its processes run in their own sessions, so nothing else would
stop them (a killed `helpline eval` used to leave Redis, Rasa and the gateway running)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpline.config import ROOT

SCRIPT = """
import time
from helpline.config import Settings
from helpline.stack import running_or_own
with running_or_own(Settings.from_env(), bot=False) as (url, _):
    print("URL", url, flush=True)
    time.sleep(600)
"""


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signalled_evaluation_stops_the_stack_it_started(tmp_path: Path, sig: signal.Signals) -> None:
    script = tmp_path / "own_stack.py"
    script.write_text(SCRIPT)
    process = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        url = ""
        for line in process.stdout:  # the stack's progress, then the gateway's address
            if line.startswith("URL "):
                url = line.split()[1]
                break
        assert url and answers(url), "the stack did not come up"
        process.send_signal(sig)
        assert process.wait(60) == 128 + sig
        deadline = time.monotonic() + 10
        while answers(url) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not answers(url), "the gateway outlived the process that started it"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
