"""`taco-judge serve`: its options (beside the judge's run options) and the command that loads the
problems, opens one warm ``Judge`` and serves it with uvicorn. fastapi and uvicorn are imported
only here, when the command runs (``pip install 'taco-judge[service]'``)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import signal
import socket
from typing import Any

from taco_judge.argtypes import add_problem_filters, non_negative_int, positive_float, positive_int
from taco_judge.commands.common import add_run_options, executor_name, find_spj, problem_filter_of, warn_weaker
from taco_judge.errors import UserError

log = logging.getLogger("taco_judge.service")

TOKEN_ENV = "TACO_JUDGE_TOKEN"


def add_parser(sub: Any) -> argparse.ArgumentParser:
    serve = sub.add_parser("serve", help="judge over HTTP: one warm jail for many clients (docs/service.md)")
    add_run_options(serve)
    add_serve_options(serve)
    return serve


def add_serve_options(p: argparse.ArgumentParser) -> None:
    """The options only ``serve`` has (the jail and limits come from the judge's run options)."""
    from taco_judge.service.core import (
        DEFAULT_CACHE_ENTRIES,
        DEFAULT_MAX_BODY_MB,
        DEFAULT_MAX_SAMPLES,
        DEFAULT_QUEUE_SIZE,
    )

    p.add_argument("--problems", metavar="P",
                   help="problem set requests refer to by task id (any form `judge --problems` takes); "
                        "without it, requests send their problems inline")
    add_problem_filters(p)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; any other needs --token)")
    p.add_argument("--port", type=non_negative_int, default=8000, help="port (default 8000; 0: any free port)")
    p.add_argument("--token", metavar="TOKEN",
                   help=f"bearer token every request but /healthz must send (default: ${TOKEN_ENV}); "
                        "required when --host is not a loopback address")
    p.add_argument("--compare", choices=("strict", "taco"), default="strict",
                   help="checker when a request names none: strict (default) or taco")
    p.add_argument("--queue-size", type=positive_int, default=DEFAULT_QUEUE_SIZE, metavar="N",
                   help=f"samples waiting for a worker before requests get 429 (default {DEFAULT_QUEUE_SIZE})")
    p.add_argument("--max-samples", type=positive_int, default=DEFAULT_MAX_SAMPLES, metavar="N",
                   help=f"samples in one request at most (default {DEFAULT_MAX_SAMPLES}; at most --queue-size)")
    p.add_argument("--max-body-mb", type=positive_float, default=DEFAULT_MAX_BODY_MB, metavar="MB",
                   help=f"request body size at most (default {DEFAULT_MAX_BODY_MB} MB)")
    p.add_argument("--cache", metavar="PATH",
                   help="execution cache (a SQLite file, as `judge --cache`): judged samples survive a restart and "
                        "a retried request replays them; default: the last --cache-entries executions in memory")
    p.add_argument("--cache-entries", type=positive_int, default=DEFAULT_CACHE_ENTRIES, metavar="N",
                   help=f"executions the in-memory cache keeps (default {DEFAULT_CACHE_ENTRIES})")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _load_problems(args: argparse.Namespace) -> tuple[dict[Any, Any], str]:
    from taco_judge.api import load_problems

    if not args.problems:
        if any(getattr(args, name) for name in ("split", "difficulty", "skill", "source", "task_ids")):
            raise UserError("--split/--difficulty/--skill/--source/--task-ids pick problems of --problems; "
                            "give --problems too")
        return {}, "no problem set is loaded: send problems inline"
    problem_filter = problem_filter_of(args)
    problems = {p.task_id: p for p in load_problems(args.problems, split=args.split, problem_filter=problem_filter)}
    if not problems:
        raise UserError(f"--problems {args.problems}: no problem selected; check --task-ids and the filters")
    return problems, f"{len(problems)} problems loaded from {args.problems}"


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted (Ctrl-C or SIGTERM: queued samples are cancelled, running ones
    finish). User errors are raised as UserError before the jail opens."""
    token = args.token or os.environ.get(TOKEN_ENV) or None
    if not is_loopback(args.host) and token is None:
        raise UserError(f"--host {args.host}: serving beyond loopback needs a bearer token; pass --token TOKEN "
                        f"or set ${TOKEN_ENV}")
    executor = executor_name(args)
    if args.max_samples > args.queue_size:
        raise UserError(f"--max-samples {args.max_samples}: more than --queue-size {args.queue_size} holds; "
                        "lower it or raise --queue-size")
    try:
        import uvicorn

        from taco_judge.service.app import create_app
    except ImportError as exc:
        raise UserError(f"serve needs the service extra ({exc.name} is missing): pip install 'taco-judge[service]'") \
            from None
    from taco_judge.api import Judge
    from taco_judge.service.core import JudgeService, MemoryCache
    from taco_judge.service.telemetry import json_logging

    json_logging(logging.DEBUG if args.verbose else logging.INFO)
    sock = _bind(args.host, args.port)
    problems, described = _load_problems(args)
    judge = Judge(
        sandbox=args.sandbox, checker=args.compare, spj=find_spj(args, args.problems) if args.problems else args.spj, float_tol=args.float_tol,
        checker_program=args.checker, preamble=args.preamble, time_limit_s=args.time_limit_s, memory_mb=args.memory_mb,
        hash_seed=args.hash_seed, jobs=args.jobs, cache=args.cache or MemoryCache(args.cache_entries),
        queue_size=args.queue_size, executor=executor, ray_address=args.ray_address,
    )
    try:
        judge.pool  # open the jail now: a broken one is an error at start, not on the first request
        warn_weaker(judge.weaker_than_usual())
        service = JudgeService(judge, problems, queue_size=args.queue_size, max_samples=args.max_samples,
                               max_body_bytes=int(args.max_body_mb * 2**20), describe_problems=described, token=token)
    except BaseException:
        judge.close()
        sock.close()
        raise
    host, port = sock.getsockname()[:2]
    log.info("listening on http://%s:%d", host, port, extra={"fields": {
        "event": "listening", "host": host, "port": port, "jail": judge.describe(), "jobs": judge.pool.jobs,
        "executor": executor,
        "problems": len(problems), "queue_size": args.queue_size, "auth": token is not None}})
    config = uvicorn.Config(create_app(service), log_config=None, access_log=False, lifespan="on",
                            timeout_graceful_shutdown=30)
    # Ray's driver start-up makes SIGTERM exit with status 15; uvicorn shuts down gracefully on it,
    # then re-raises it to the handler before its own: with the default one, serve ends by SIGTERM
    # on either executor, as a service manager expects.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(f"--host {host} --port {port}: cannot listen there ({exc.strerror or exc}); "
                        "choose another port or address") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock
