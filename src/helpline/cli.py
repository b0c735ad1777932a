"""The `helpline` command: serve the gateway, run the whole stack, benchmark and evaluate it."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from pathlib import Path

from aiohttp import web

from . import log
from .config import Settings


def serve(settings: Settings) -> None:
    from .app import create_app

    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None,
                shutdown_timeout=5, access_log=None)


def run(settings: Settings) -> None:
    from .stack import Stack

    stack = Stack(settings)
    # Ctrl-C, SIGTERM and a closed terminal (SIGHUP) all end in a clean stop of every process
    # the stack started (they run in their own sessions, so nothing else stops them).
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(0))
    try:
        stack.start()  # stops what it started itself if any part fails to come up
    except KeyboardInterrupt:
        print("\n[helpline] stopped before it was ready", flush=True)
        return
    try:
        print(f"\nThe helpline is running.\n"
              f"  chat page      {stack.gateway_url}/\n"
              f"  staff sign-in  {stack.gateway_url}/staff/login   (accounts: helpline user add NAME --role ROLE)\n"
              f"  console        {stack.gateway_url}/console/   content: {stack.gateway_url}/admin/   "
              f"figures: {stack.gateway_url}/dashboard\n"
              f"  health         {stack.gateway_url}/healthz   ready: {stack.gateway_url}/readyz\n"
              f"  Rasa           {settings.rasa_url}\n"
              f"  action server  {stack.action_url}\n"
              f"  Redis          {stack.redis_url}\n"
              f"  logs           {settings.var_dir / 'log'}\n"
              "Press Ctrl-C to stop.", flush=True)
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        # Stop first: printing can fail when the terminal or a pipe has gone with the Ctrl-C.
        stack.stop()
        with contextlib.suppress(OSError):
            print("\n[helpline] stopped", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="helpline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the gateway alone (needs REDIS_URL and a running Rasa)")
    commands.add_parser("run", help="start Redis, the action server, Rasa and the gateway")
    bench = commands.add_parser("bench", help="drive a running stack with many young people and print figures")
    bench.add_argument("--users", type=int, default=20)
    bench.add_argument("--messages", type=int, default=10, help="messages per young person")
    user = commands.add_parser("user", help="staff accounts")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    add = user_commands.add_parser("add", help="create an account and print its one-time password")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=("handler", "editor", "supervisor"))
    commands.add_parser("bench-screen", help="print the safety screen's throughput on one core")
    commands.add_parser("bench-backstop", help="print the backstop reader's load time, throughput and memory")
    commands.add_parser("bench-dashboard", help="time the impact dashboard over 400 days of counters (own Redis)")
    evaluate = commands.add_parser("eval", help="send a labelled TSV through the chat and print triage figures")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--bot-down", action="store_true",
                          help="measure the gateway alone, as with Rasa down (the screen and the backstop reader)")
    screen_diff = commands.add_parser(
        "screen-diff", help="every labelled line whose screen level a lexicon change moves (against HEAD by default)")
    screen_diff.add_argument("--old", type=Path, default=None, help="the lexicon before (default: as committed at --rev)")
    screen_diff.add_argument("--rev", default="HEAD", help="the git revision whose lexicon is the one before")
    screen_diff.add_argument("--new", type=Path, default=None, help="the lexicon after (default data/safety/lexicon.yml)")
    backstop = commands.add_parser("train-backstop", help="train the backstop reader on data/nlu (make backstop)")
    backstop.add_argument("--out", type=Path, default=None, help="where to write it (default models/backstop)")
    backstop.add_argument("--nlu", type=Path, default=None, help="the bot's NLU files (default data/nlu)")
    backstop.add_argument("--bot-config", type=Path, default=None, help="for the fallback threshold (default bot/config.yml)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    log.setup(settings.log_level)
    if args.command == "serve":
        serve(settings)
    elif args.command == "run":
        run(settings)
    elif args.command == "bench":
        from .bench import main as bench_main

        bench_main(settings, users=args.users, messages=args.messages)
    elif args.command == "user":
        from .staff.cli import add_user

        add_user(settings, args.name, args.role)
    elif args.command == "bench-screen":
        from .safety.bench import main as bench_screen_main

        bench_screen_main()
    elif args.command == "bench-backstop":
        from .backstop.bench import main as bench_backstop_main

        bench_backstop_main()
    elif args.command == "bench-dashboard":
        from .dashboard.bench import main as bench_dashboard_main

        bench_dashboard_main()
    elif args.command == "eval":
        from .evaluate import main as eval_main

        eval_main(args.file, settings, bot=not args.bot_down)
    elif args.command == "screen-diff":
        from .safety import compare

        compare.main(args.old, args.rev, args.new or compare.LEXICON)
    elif args.command == "train-backstop":
        from .backstop import training

        training.main(args.out or settings.backstop_dir, args.nlu or training.examples.NLU_DIR,
                      args.bot_config or training.BOT_CONFIG)
