"""``renette``: the four workflows from the terminal, same engine and store.

Examples::

    renette infer data.csv --method cor --method WGCNA -p P=6 -o out/
    renette distance net1.csv net2.csv --metric HIM -o out/
    renette stability data.csv --method cor --resampling kCV -k 3 --h 20 -o out/
    renette stats net1.csv -o out/
    renette rerun ~/.renette/jobs/<id>/manifest.json -p rho=0.5 -o out/
    renette list

Exit status: 0 done, 1 the job failed, 2 bad input (message, no traceback).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any

from .errors import InputError


def _value(text: str) -> Any:
    """A ``-p KEY=VALUE`` value as a typed scalar (validated later by params)."""
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    if low in ("none", "null", "auto"):
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _params(pairs: list[str] | None) -> dict:
    out = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise InputError(f"parameter {pair!r} is not KEY=VALUE",
                             hint="Write parameters as -p P=6.")
        key, value = pair.split("=", 1)
        out[key.strip()] = _value(value)
    return out


class Progress:
    """A one-line progress bar on stderr, redrawn on job callbacks."""

    def __init__(self, quiet: bool = False, width: int = 30) -> None:
        self.quiet = quiet
        self.width = width
        self.tty = sys.stderr.isatty()
        self._last = 0.0
        self._lock = threading.Lock()

    def __call__(self, job) -> None:
        if self.quiet:
            return
        with self._lock:
            now = time.time()
            final = job.status in ("done", "failed", "cancelled")
            if not final and now - self._last < (0.1 if self.tty else 2.0):
                return
            self._last = now
            frac = job.done / job.total if job.total else 0.0
            bar = "#" * int(frac * self.width)
            line = (f"[{bar:<{self.width}}] {job.done}/{job.total} {job.elapsed:5.1f}s "
                    f"{job.message[:60]}")
            end = "\n" if final or not self.tty else ""
            sys.stderr.write(("\r\x1b[K" if self.tty else "") + line + end)
            sys.stderr.flush()


def _read(files: list[str], kind: str, args) -> dict:
    from .api import read_matrix
    out = {}
    for f in files:
        path = Path(f)
        if not path.is_file():
            raise InputError("no such file", file=f, hint="Check the path.")
        name = path.stem
        k = 2
        while name in out:
            name, k = f"{path.stem}_{k}", k + 1
        out[name] = read_matrix(path, kind=kind, header=not args.no_header,
                                row_names=args.row_names, sep=args.sep, name=path.name)
    return out


def _run_job(job, args) -> int:
    job.add_callback(Progress(args.quiet))
    try:
        job.wait()
    except KeyboardInterrupt:
        job.cancel()
        job.wait(30)
        print("cancelled", file=sys.stderr)
        return 1
    if job.status != "done":
        print(f"error: job {job.id} {job.status}: {job.error}", file=sys.stderr)
        return 1
    if args.output and job.folder:
        out = Path(args.output)
        out.mkdir(parents=True, exist_ok=True)
        shutil.copytree(job.folder, out, dirs_exist_ok=True)
    where = args.output or job.folder
    print(f"job {job.id} done in {job.elapsed:.1f} s; results in {where}")
    return 0


def _submit(workflow: str, inputs: dict, params: dict, args):
    from .api import submit
    from .cluster import get_client
    from .store import Store
    client = get_client(args.scheduler) if args.scheduler else None
    return submit(workflow, inputs, params, client=client, store=Store(args.home),
                  drop_constant=getattr(args, "drop_constant", False))


def _method_params(methods: list[str], pairs: list[str] | None) -> dict:
    """``-p KEY=VALUE`` to the methods that take KEY; ``-p METHOD.KEY=VALUE`` to one.

    A key no chosen method takes goes to all of them, so validation names it.
    """
    from .params import method_specs
    out: dict[str, dict] = {m: {} for m in methods}
    for key, value in _params(pairs).items():
        target, _, name = key.rpartition(".")
        if target in out:
            out[target][name] = value
            continue
        takers = []
        for m in methods:
            try:
                names = {n for s in method_specs(m) for n in (s.name, *s.aliases)}
            except Exception:  # noqa: BLE001 - unknown method: validation reports it
                names = set()
            if key in names:
                takers.append(m)
        for m in takers or methods:
            out[m][key] = value
    return out


def cmd_infer(args) -> int:
    params = {"methods": _method_params(args.method or ["cor"], args.param),
              "seed": args.seed}
    return _run_job(_submit("inference", _read(args.files, "data", args), params, args), args)


def cmd_distance(args) -> int:
    params = {"metric": args.metric, "rho": args.rho, "gamma": args.gamma,
              "components": True}
    return _run_job(_submit("distance", _read(args.files, "adjacency", args), params, args),
                    args)


def cmd_stability(args) -> int:
    params = {"method": args.method or "cor", "method_params": _params(args.param),
              "metric": args.metric, "resampling": args.resampling, "k": args.k,
              "h": args.h, "seed": args.seed, "indicator": args.indicator}
    if len(args.files) != 1:
        raise InputError("stability takes exactly one data file",
                         hint="Run one stability job per data set.")
    return _run_job(_submit("stability", _read(args.files, "data", args), params, args), args)


def cmd_stats(args) -> int:
    return _run_job(_submit("statistics", _read(args.files, "adjacency", args),
                            {"seed": args.seed}, args), args)


def cmd_rerun(args) -> int:
    from .cluster import get_client
    from .store import Store
    store = Store(args.home)
    client = get_client(args.scheduler) if args.scheduler else None
    job = store.rerun(args.manifest, client=client, **_params(args.param))
    return _run_job(job, args)


def cmd_list(args) -> int:
    from .store import Store
    for m in Store(args.home).list():
        names = ", ".join(e["name"] for e in m["inputs"])
        print(f"{m['id']}  {m['timings']['created'][:19]}  {m['workflow']:<10} "
              f"{m['status']:<9} {names}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    ap = argparse.ArgumentParser(prog="renette", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-o", "--output", help="copy the job folder (results, manifest) here")
    common.add_argument("--scheduler", help="dask scheduler address "
                        "(default: DASK_SCHEDULER_ADDRESS, else an embedded cluster)")
    common.add_argument("--home", help="results store (default: RENETTE_HOME or ~/.renette)")
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("files", nargs="+", metavar="FILE")
    reading.add_argument("--sep", help="field separator (default: detected)")
    reading.add_argument("--no-header", action="store_true",
                         help="the first row holds values, not column names")
    rn = reading.add_mutually_exclusive_group()
    rn.add_argument("--row-names", dest="row_names", action="store_true", default=None,
                    help="the first column holds row names (default: detected)")
    rn.add_argument("--no-row-names", dest="row_names", action="store_false")
    method = argparse.ArgumentParser(add_help=False)
    method.add_argument("-m", "--method", action="append",
                        help="inference method (repeat for several; default cor)")
    method.add_argument("-p", "--param", action="append", metavar="KEY=VALUE",
                        help="method parameter, e.g. P=6, measure=MIC, tol=0 (given to the "
                        "methods that take it), or METHOD.KEY=VALUE for one method")
    method.add_argument("--drop-constant", action="store_true",
                        help="drop constant columns (variance at most tol) instead of "
                        "refusing the data")
    dist = argparse.ArgumentParser(add_help=False)
    dist.add_argument("--metric", default="HIM", choices=["HIM", "IM", "H"])

    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("infer", parents=[reading, method, common], help="infer networks")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_infer)
    p = sub.add_parser("distance", parents=[reading, dist, common],
                       help="distances between networks")
    p.add_argument("--rho", type=float, default=1.0, help="weight of IM in HIM")
    p.add_argument("--gamma", type=float, default=None, help="default: optimal gamma")
    p.set_defaults(func=cmd_distance)
    p = sub.add_parser("stability", parents=[reading, method, dist, common],
                       help="network stability under resampling (netSI)")
    p.add_argument("--resampling", default="montecarlo", choices=["montecarlo", "kCV", "LOO"])
    p.add_argument("-k", type=int, default=3)
    p.add_argument("--h", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--indicator", default="all", choices=["all", "S", "SI", "Sw", "Sd"])
    p.set_defaults(func=cmd_stability)
    p = sub.add_parser("stats", parents=[reading, common], help="node and network statistics")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("rerun", parents=[common], help="run a stored job again")
    p.add_argument("manifest", help="manifest.json, its folder, or a job id")
    p.add_argument("-p", "--param", action="append", metavar="KEY=VALUE",
                   help="changed parameter (top-level), e.g. rho=0.5")
    p.set_defaults(func=cmd_rerun)
    p = sub.add_parser("list", parents=[common], help="jobs in the store")
    p.set_defaults(func=cmd_list)
    return ap


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``renette`` command."""
    args = parser().parse_args(argv)
    # A job's inputs travel inside its tasks on purpose (a task is recomputed
    # if its worker dies; see tasks.py): dask's advice to scatter large graphs
    # is not for the user of a command.
    warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
    try:
        return args.func(args)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        from .cluster import close_clients
        close_clients()


if __name__ == "__main__":
    sys.exit(main())
