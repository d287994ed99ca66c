"""`make bench` / `python -m bench.run`: every part against one fresh stack, then the table.

    python -m bench.run                       # everything (8-9 minutes on this 2-core machine)
    python -m bench.run --only intake,saga    # some parts (the stack and seeding always run)

Exit status: 0, or 1 when a part fails or an assertion (contention: no oversell) does not
hold. Missed targets are reported in the table, they do not fail the run.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
import traceback
from datetime import UTC, datetime
from typing import Any

from bench import consumer, contention, imports, intake, reads, saga
from bench.environment import (
    PROCESS_ENV,
    BenchFailure,
    backends,
    require_tools,
    say,
    seed_catalogue,
    stack_groups,
    start_stack,
    world,
)
from bench.report import Row, render, write
from bench.resources import Sampler
from bench.rows import table

PARTS = ("intake", "saga", "consumer", "contention", "imports", "reads")


def _interrupt(signum: int, _frame: Any) -> None:
    """Turn a stop signal into KeyboardInterrupt."""
    # Ctrl-C, SIGTERM and SIGHUP all unwind, so the database and vhost are removed (SIGINT is
    # set too: a shell may start us with it ignored).
    raise KeyboardInterrupt(f"signal {signum}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line; --only is checked against PARTS."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma list of {PARTS}")
    parser.add_argument("--intake-seconds", type=int, default=20)
    parser.add_argument("--pgbench-seconds", type=int, default=15)
    parser.add_argument("--saga-seconds", type=float, default=20.0)
    parser.add_argument(
        "--saga-rate", type=float, default=0.0, help="orders/s (default: half the intake rate)"
    )
    parser.add_argument(
        "--worker-replicas",
        type=int,
        default=1,
        help="run every queue worker (relays, consumers, importer, notifications) N times",
    )
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"partes desconhecidas: {sorted(unknown)}")
    return args


def run_parts(args: argparse.Namespace, details: dict[str, Any]) -> None:
    """Create the world, start the stack, run the chosen parts; fill `details`."""
    with world() as bench:
        sampler = Sampler(lambda: stack_groups(bench), backends(bench))
        sampler.start()
        try:
            if "intake" in args.parts:
                say(f"pgbench: a transação do pedido, 32 clientes, {args.pgbench_seconds} s")
                details["pgbench"] = intake.pgbench(bench, sampler, seconds=args.pgbench_seconds)
                details["pgbench_no_notify"] = intake.pgbench(
                    bench, sampler, seconds=args.pgbench_seconds, notify=False
                )
            if args.worker_replicas > 1:
                details["worker_replicas"] = args.worker_replicas  # docs/scaling.md
            say("iniciando os processos de scripts/processes.py")
            start_stack(bench, worker_replicas=args.worker_replicas)
            time.sleep(2)  # let every process finish its imports before the idle reading
            details["idle_rss_kb"] = sampler.current_rss()
            details["process_env"] = PROCESS_ENV
            seed_catalogue(bench, suppliers=20, products=200, clients=50, stock=1_000_000)
            if "intake" in args.parts:
                details["intake"] = intake.intake(bench, sampler, seconds=args.intake_seconds)
                say(f"pgbench outra vez, logo depois do intake, {args.pgbench_seconds} s")
                details["pgbench_after"] = intake.pgbench_after_intake(
                    bench, sampler, seconds=args.pgbench_seconds
                )
            if "saga" in args.parts:
                rate = args.saga_rate or (
                    details["intake"]["gateway"]["rate"] / 2 if "intake" in details else 10.0
                )
                details["saga"] = saga.saga(bench, rate=rate, seconds=args.saga_seconds)
            if "consumer" in args.parts:
                details["consumer"] = consumer.consumer(bench, sampler)
            if "contention" in args.parts:
                details["contention"] = contention.contention(bench)
                if not details["contention"]["passed"]:
                    raise BenchFailure(
                        f"contenção: verificação falhou: {details['contention']['checks']}"
                    )
            if "imports" in args.parts:
                details["imports"] = imports.imports(bench)
            if "reads" in args.parts:
                details["reads"] = reads.reads(bench)
        finally:
            sampler.stop()
            details["peak_rss_kb"] = sampler.peaks()


def main(argv: list[str] | None = None) -> int:
    """Run, print the table, write the JSON; the exit status."""
    args = parse_args(argv)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    started = datetime.now(UTC)
    clock = time.monotonic()
    details: dict[str, Any] = {"parts": args.parts}
    failure: BaseException | None = None
    try:
        require_tools()
        run_parts(args, details)
    except BenchFailure as exc:
        failure = exc
    except Exception as exc:  # a bug or a broken service: still print what was measured
        traceback.print_exc()
        failure = exc
    except KeyboardInterrupt:
        say("interrompido; banco e vhost removidos")
        return 130
    details["elapsed_s"] = round(time.monotonic() - clock, 1)
    if failure is not None:
        details["failure"] = str(failure)
    rows: list[Row] = table(details)
    print(render(rows))
    path = write(rows, details, started=started)
    say(f"resultados: {path.relative_to(path.parents[2])} (e bench/results/latest.json)")
    say(f"tempo total: {details['elapsed_s'] / 60:.1f} min")
    if failure is not None:
        say(f"FALHOU: {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
