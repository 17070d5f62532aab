"""`taco-judge sandbox build|check`: build the jail image, and prove the jail works on this machine."""

from __future__ import annotations

import argparse
import socket
import threading
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from taco_judge.commands.common import make_console
from taco_judge.errors import SandboxUnavailable
from taco_judge.judgement import classify
from taco_judge.plans import Plan
from taco_judge.verdict import Limits, Verdict

SELF_TEST_LIMITS = Limits(time_limit_s=1.0, memory_mb=128, wall_limit_s=5.0)


@dataclass(frozen=True)
class CheckRow:
    what: str
    ok: bool
    detail: str


def build(offline: bool, base: str | None, console: Console) -> int:
    """Build (offline: base first) the image whose tag carries the runner's hash."""
    from taco_judge.sandbox_image import build_image

    tag = build_image(offline=offline, base=base, log=lambda line: console.print(line, markup=False, highlight=False))
    console.print(f"[green]sandbox image ready:[/green] {tag}")
    return 0


def _listener() -> tuple[socket.socket, list[str]]:
    """A TCP listener on the host's loopback that records every connection it accepts."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    accepted: list[str] = []

    def serve() -> None:
        while True:
            try:
                conn, addr = server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            accepted.append(f"{addr[0]}:{addr[1]}")
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return server, accepted


def _network_program(port: int) -> str:
    return (
        "import socket\n"
        "reached = []\n"
        "for host in ('127.0.0.1', '172.17.0.1', 'host.docker.internal'):\n"
        "    try:\n"
        f"        socket.create_connection((host, {port}), timeout=1).close()\n"
        "        reached.append(host)\n"
        "    except OSError:\n"
        "        pass\n"
        "print('reached', *reached) if reached else print('blocked')\n"
    )


def self_test() -> list[CheckRow]:
    """Run one AC, one TLE, one MLE and one network attempt through a real docker session."""
    from taco_judge.backends.docker import DockerBackend

    rows: list[CheckRow] = []
    backend = DockerBackend(SELF_TEST_LIMITS)
    server, accepted = _listener()
    try:
        session = backend.open_session()
        cases = [
            ("self-test: AC", "print(sum(map(int, input().split())))", "2 3\n", Verdict.AC, "5"),
            ("self-test: TLE", "while True:\n    pass", "", Verdict.TLE, None),
            ("self-test: MLE", "x = bytearray(1 << 30)\nprint(len(x))", "", Verdict.MLE, None),
            ("self-test: network blocked", _network_program(server.getsockname()[1]), "", Verdict.AC, "blocked"),
        ]
        for what, code, stdin, want, want_out in cases:
            outcome = session.run(Plan(code=code), [stdin], SELF_TEST_LIMITS, early_stop=False)
            if outcome.compile_error is not None:
                rows.append(CheckRow(what, False, outcome.compile_error))
                continue
            obs = outcome.observations[0]
            decided = classify(obs, SELF_TEST_LIMITS)
            verdict = decided[0] if decided else Verdict.AC
            out = obs.stdout.decode("utf-8", "replace").strip()
            ok = verdict is want and (want_out is None or out == want_out)
            if what.endswith("network blocked"):
                ok = ok and not accepted
                detail = f"program printed {out!r}; host listener accepted {len(accepted)} connections"
            else:
                detail = f"{verdict.value}: cpu {obs.cpu_s:.2f} s, wall {obs.wall_s:.2f} s, peak {obs.peak_mb:.0f} MB"
                if decided and decided[1]:
                    detail += f" ({decided[1]})"
            rows.append(CheckRow(what, ok, detail))
        session.close()
        rows.append(_environment_row("docker: programs run on", backend.environment()))
    finally:
        server.close()
        backend.close()
    return rows


def _environment_row(what: str, environment: dict) -> CheckRow:
    packages = environment.get("packages") or []
    detail = (f"python {environment.get('python')} ({environment.get('executable')}), numpy {environment.get('numpy')}, "
              f"hash seed {environment.get('hash_seed')}; packages: {', '.join(packages) or 'none'}")
    return CheckRow(what, bool(environment.get("python")), detail)


def local_rows() -> list[CheckRow]:
    """What the local jail gives on this machine, and what its programs run on."""
    from taco_judge.backends.local import LocalBackend

    try:
        backend = LocalBackend()
    except SandboxUnavailable as exc:
        return [CheckRow("local jail", False, str(exc))]
    try:
        rows = [CheckRow("local jail", True, backend.describe())]
        rows += [CheckRow("local jail: weaker than usual", False, line) for line in backend.weaker_than_usual()]
        rows.append(_environment_row("local: programs run on", backend.environment()))
        return rows
    finally:
        backend.close()


def check(console: Console) -> int:
    """Engine, image, self-test as a green/red table; exit 1 when anything is red."""
    from taco_judge.sandbox_image import check_image, docker_client, engine_available

    rows: list[CheckRow] = []
    engine_ok, engine_detail = engine_available()
    rows.append(CheckRow("Docker engine", engine_ok, engine_detail))
    image_ok = False
    if engine_ok:
        try:
            status = check_image(docker_client())
            image_ok = status.current
            rows.append(CheckRow("sandbox image present", status.present, status.tag))
            rows.append(CheckRow("sandbox image current (runner hash)", status.current, status.message))
        except SandboxUnavailable as exc:
            rows.append(CheckRow("sandbox image", False, str(exc)))
    if engine_ok and image_ok:
        try:
            rows.extend(self_test())
        except Exception as exc:  # any failure of the jail is what this command exists to show
            rows.append(CheckRow("self-test", False, f"{type(exc).__name__}: {exc}"))
    else:
        rows.append(CheckRow("self-test", False, "skipped: needs an engine and a current image"))
    local = local_rows()
    table = Table(title="taco-judge sandbox check")
    table.add_column("check")
    table.add_column("status")
    table.add_column("detail", overflow="fold")
    for row in rows:
        table.add_row(row.what, "[green]ok[/green]" if row.ok else "[red]FAIL[/red]", row.detail)
    for row in local:  # informational: the docker jail is what this command checks
        table.add_row(row.what, "[green]ok[/green]" if row.ok else "[yellow]note[/yellow]", row.detail)
    console.print(table)
    return 0 if all(row.ok for row in rows) else 1


def add_parser(sub: Any) -> argparse.ArgumentParser:
    sandbox = sub.add_parser("sandbox", help="the Docker jail: build its image, check the engine")
    ssub = sandbox.add_subparsers(dest="sandbox_command", required=True, metavar="ACTION")
    build = ssub.add_parser("build", help="build the sandbox image")
    build.add_argument("--offline", action="store_true",
                       help="no registry: build the base with debootstrap + docker import first")
    build.add_argument("--base", help="base image for the Dockerfile (default: python:3.11-slim, or the offline base)")
    ssub.add_parser("check", help="engine, image and a self-test, as a table")
    return sandbox


def run(args: argparse.Namespace) -> int:
    if args.sandbox_command == "build":
        return build(args.offline, args.base, make_console())
    return check(make_console())
