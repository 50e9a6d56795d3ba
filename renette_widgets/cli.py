"""``renette``: every workflow from the terminal, same engine and store.

Examples::

    renette infer data.csv --method cor --method WGCNA -p P=6 -o out/
    renette distance net1.csv net2.csv --metric HIM -o out/
    renette stability data.csv --method cor --resampling kCV -k 3 --h 20 -o out/
    renette stats net1.csv -o out/
    renette rerun ~/.renette/jobs/<id>/manifest.json -p rho=0.5 -o out/
    renette export <id> --format graphml --top-edges 5000 -o out/
    renette list
    renette shares --workspace KEY          # read-only share links of a workspace
    renette revoke TOKEN --workspace KEY    # such a link opens nothing from then on

Each registered workflow with a ``cli_command`` is a subcommand; its options
are generated from the workflow's parameter specs (``--<name>``, docs/parameters.md),
plus the few it adds itself (method parameters ``-p``, gene sets, layers).

Exit status: 0 done, 1 the job failed, 2 bad input (message, no traceback).
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

from . import api, workflows
from .errors import InputError
from .io.exports import FORMATS
from .io.location import copy_file
from .io.names import unique_name
from .io.networks import NETWORK_FORMATS
from .io.orientation import ORIENTATIONS
from .jobs.cluster import close_clients, describe, get_client, open_clients
from .jobs.job import FINAL
from .jobs.store import Store, workspace_root
from .jobs.workspace import Workspace
from .workflows.options import add_spec_options, key_values


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
            final = job.status in FINAL
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
    out = {}
    for f in files:
        path = Path(f)
        if not path.is_file():
            raise InputError("no such file", file=f, hint="Check the path.")
        name = unique_name(path.stem, out)
        if kind == "data":
            out[name] = api.read_matrix(path, kind=kind, header=not args.no_header,
                                        row_names=args.row_names, sep=args.sep, name=path.name,
                                        orientation=args.orientation)
        else:  # networks: adjacency matrices, edge lists, GraphML or GML
            out[name] = api.read_network(path, header=False if args.no_header else None,
                                         row_names=args.row_names, sep=args.sep,
                                         name=path.name, directed=args.directed,
                                         weight=args.weight, format=args.network_format)
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
    if args.output:  # the results as text files, and the manifest that says what they are
        out = Path(args.output)
        job.export(out, args.format, threshold=args.min_weight, top_k=args.top_edges)
        if job.folder:
            copy_file(job.folder / "manifest.json", out / "manifest.json")
    where = args.output or job.folder
    print(f"job {job.id} done in {job.elapsed:.1f} s on {describe(job.client)}; "
          f"results in {where}")
    return 0


def _client(args):
    return get_client(args.scheduler) if args.scheduler else None


def _store(args) -> Store:
    """The store the options name: a workspace (``--workspace`` or
    ``RENETTE_WORKSPACE``) of the home (``--home`` or ``RENETTE_HOME``), or the home."""
    key = args.workspace or os.environ.get("RENETTE_WORKSPACE", "").strip()
    if key:
        return Store(workspace_root(key, args.home))
    return Store(args.home)


def cmd_workflow(args) -> int:
    """Run the subcommand's workflow on the given files."""
    flow = args.flow
    params = flow.cli_params(args)
    inputs = flow.cli_inputs(args, lambda files: _read(files, flow.input_kind, args))
    job = api.submit(flow.name, inputs, params,
                     client=_client(args), store=_store(args),
                     drop_constant=getattr(args, "drop_constant", False))
    return _run_job(job, args)


def cmd_rerun(args) -> int:
    job = api.rerun(args.manifest, client=_client(args), store=_store(args),
                    **key_values(args.param))
    return _run_job(job, args)


def cmd_export(args) -> int:
    job = api.load_job(args.job, _store(args))
    out = Path(args.output or ".")
    for path in job.export(out, args.format, threshold=args.min_weight, top_k=args.top_edges):
        print(path)
    return 0


def _export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", default="csv", choices=list(FORMATS),
                        help="of the files -o writes (default csv; graphml and edgelist, "
                        "an edge list CSV: networks only)")
    keep = parser.add_mutually_exclusive_group()
    keep.add_argument("--min-weight", type=float, metavar="W",
                      help="GraphML, edge list: keep the edges with |weight| > W")
    keep.add_argument("--top-edges", type=int, metavar="K",
                      help="GraphML, edge list: keep the K strongest edges")


def cmd_list(args) -> int:
    for m in _store(args).list():
        names = ", ".join(e["name"] for e in m["inputs"])
        print(f"{m['id']}  {m['timings']['created'][:19]}  {m['workflow']:<10} "
              f"{m['status']:<9} {names}")
    return 0


def _workspace(args) -> Workspace:
    key = args.workspace or os.environ.get("RENETTE_WORKSPACE", "").strip()
    if not key:
        raise InputError("share links belong to a workspace: name it",
                         hint="--workspace KEY or RENETTE_WORKSPACE=KEY (the key is in the page's details)")
    return Workspace(key, home=args.home)


def cmd_shares(args) -> int:
    """The workspace's read-only share links that still open something."""
    for s in _workspace(args).shares():
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(s["created"])) if s["created"] else ""
        print(f"{s['token']}  job {s['job']}  {when}  ?share={s['token']}")
    return 0


def cmd_revoke(args) -> int:
    """Revoke share links: they open nothing from then on."""
    ws = _workspace(args)
    for token in args.token:
        ws.revoke(token)
        print(f"revoked {token}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    ap = argparse.ArgumentParser(prog="renette", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-o", "--output", help="write the results here as text files "
                        "(and the job's manifest.json); the job stays in the store")
    common.add_argument("--scheduler", help="dask scheduler address "
                        "(default: DASK_SCHEDULER_ADDRESS, else an embedded cluster)")
    common.add_argument("--home", help="results store (default: RENETTE_HOME or ~/.renette)")
    common.add_argument("--workspace", metavar="KEY",
                        help="a dashboard workspace: its jobs appear in its pages (default: "
                        "RENETTE_WORKSPACE; the key is in the page's header)")
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _export_options(common)
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("files", nargs="+", metavar="FILE")
    reading.add_argument("--sep", help="field separator (default: detected)")
    reading.add_argument("--no-header", action="store_true",
                         help="the first row holds values, not column names")
    rn = reading.add_mutually_exclusive_group()
    rn.add_argument("--row-names", dest="row_names", action="store_true", default=None,
                    help="the first column holds row names (default: detected)")
    rn.add_argument("--no-row-names", dest="row_names", action="store_false")
    reading.add_argument("--orientation", default="auto", choices=list(ORIENTATIONS),
                         help="data tables: samples in rows, or variables (genes) in rows "
                         "(transposed when read); default: decided from the labels, with a note")
    reading.add_argument("--network-format", default="auto", choices=list(NETWORK_FORMATS),
                         help="networks: adjacency matrix, edge list, GraphML or GML "
                         "(default: detected from the name and content)")
    dr = reading.add_mutually_exclusive_group()
    dr.add_argument("--directed", dest="directed", action="store_true", default=None,
                    help="edge lists: each line is an arc source -> target (default: detected)")
    dr.add_argument("--undirected", dest="directed", action="store_false")
    reading.add_argument("--weight", metavar="NAME",
                         help="edge lists and graph files: the weight column or attribute "
                         "(default: weight, or a column named like one; else unweighted)")

    sub = ap.add_subparsers(dest="command", required=True)
    for name in workflows.names():
        flow = workflows.get(name)
        if not flow.cli_command:
            continue
        p = sub.add_parser(flow.cli_command, parents=[reading, common], help=flow.cli_help)
        add_spec_options(p, flow.params, flow.cli_repeat)  # one option per parameter spec
        flow.add_cli_arguments(p)  # the workflow's other options
        p.set_defaults(func=cmd_workflow, flow=flow)
    p = sub.add_parser("rerun", parents=[common], help="run a stored job again")
    p.add_argument("manifest", help="manifest.json, its folder, or a job id")
    p.add_argument("-p", "--param", action="append", metavar="KEY=VALUE",
                   help="changed parameter (top-level), e.g. rho=0.5")
    p.set_defaults(func=cmd_rerun)
    p = sub.add_parser("export", parents=[common], help="a stored job's result as text files "
                       "(csv, tsv, json, or graphml / edgelist for networks)")
    p.add_argument("job", help="job id, manifest.json or its folder")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("list", parents=[common], help="jobs in the store")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("shares", parents=[common], help="a workspace's read-only share links")
    p.set_defaults(func=cmd_shares)
    p = sub.add_parser("revoke", parents=[common], help="revoke read-only share links of a workspace "
                       "(they open nothing from then on)")
    p.add_argument("token", nargs="+", help="the share link's token (after ?share=)")
    p.set_defaults(func=cmd_revoke)
    return ap


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``renette`` command."""
    args = parser().parse_args(argv)
    before = open_clients()  # called from Python: the caller's clients stay open
    try:
        return args.func(args)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        close_clients(keep=before)


def run() -> None:
    """The ``renette`` command: :func:`main`, then exit at once with its code.

    When :func:`main` returns, every file is written and the cluster connection
    closed. The interpreter's teardown is skipped (``os._exit``): in it,
    pyarrow's native thread pool (the CSV reader's) now and then aborts the
    process (apache/arrow#34314), and a command that did its work would end
    with SIGABRT instead of its exit code.
    """
    code = int(main() or 0)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
