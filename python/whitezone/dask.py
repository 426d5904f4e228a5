"""`whitezone analyze` in parts on a Dask cluster: one province, district or square tile per
task (docs/scale-out.md).

    python3 -m whitezone.dask analyze --scheduler local:2 --partition province \\
        --stations stations.gpkg --villages villages.gpkg --out results.gpkg

The driver loads the vector inputs once to plan the parts (their keys and boxes, the reach
of the widest footprint, the work CRS); each worker reads the inputs itself from the paths or
`PG:` connection strings it is given (shared storage: nothing but the config's text and the
part's key goes through the scheduler), once per run for all the parts it is given (it keeps
them until the run ends); each task keeps its part's villages and the stations within
the reach of them, reads the DEM over its part only, runs the engine and returns its villages'
and stations' results packed as bytes. The driver merges them, ranks and summarizes all
villages again, and writes one output with the engine's writer, atomically. The result equals
`whitezone analyze`'s, village by village.
"""

import argparse
import os
import sys
import time
import uuid
import warnings

from . import _whitezone
from .api import DataWarning, _config_steps, _Inputs

__all__ = ["analyze", "PartError", "main"]


class PartError(Exception):
    """A part failed on every try: `part` is its key, `error` the engine's exception."""

    def __init__(self, part, error):
        super().__init__(f"part {part!r} failed: {error}")
        self.part = part
        self.error = error


def _run_part(steps, by, key, index, boxes, reach, run):
    """The task: one part, run by the engine in the worker (see module docs). The worker
    loads the run's inputs for its first part of run `run` and keeps them for the others."""
    return _whitezone.run_part(steps, by, key, index, boxes, reach, run)


def _drop_loaded_inputs():
    """On a worker: frees the inputs kept for the parts of a run."""
    _whitezone.drop_loaded_inputs()


def _client(scheduler):
    """A dask.distributed Client for ADDRESS, or a LocalCluster for local[:N]; and the
    cluster to close (None for an address)."""
    from distributed import Client, LocalCluster

    if scheduler == "local" or scheduler.startswith("local:"):
        workers = os.cpu_count() or 1
        if scheduler.startswith("local:"):
            try:
                workers = int(scheduler[6:])
            except ValueError:
                workers = 0
            if not 1 <= workers <= 1024:
                raise _whitezone.UsageError(
                    f"--scheduler {scheduler}: give local:N with N workers from 1 to 1024, "
                    "or a scheduler's address (tcp://host:8786)."
                )
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        return Client(cluster), cluster, workers
    return Client(scheduler), None, None


def _absolute(value):
    """A path that exists here made absolute (workers may start in another folder);
    connection strings and other names as given."""
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if os.path.exists(path):
            return os.path.abspath(path)
        return path
    raise TypeError(
        "whitezone.dask: give inputs as paths on storage every worker reads, or PG: "
        f"connection strings, not {type(value).__name__}"
    )


def analyze(
    stations,
    villages,
    config=None,
    *,
    out,
    format="gpkg",
    overwrite=False,
    scheduler="local",
    partition="province",
    retries=1,
    progress=None,
    **options,
):
    """Runs `whitezone analyze` in parts on Dask and writes one output to `out` (as
    `--out`, `--format`, `--overwrite`). Inputs, `config` and keyword options as
    whitezone.analyze() takes them, but files or connection strings only (every worker reads
    them). `scheduler`: "local", "local:N" (a LocalCluster of N worker processes) or a
    scheduler's address. `partition`: "province", "district" or "tile:KM". Each task is
    tried 1 + `retries` times; a part that fails on every try stops the run and writes
    nothing (PartError, its `error` the engine's exception). `progress(message)` is called
    with the driver's lines. The write's data warnings (text values cut to a Shapefile's 254
    bytes) are issued as DataWarning. Returns a dict: parts, villages, seconds."""
    say = progress or (lambda message: None)
    start = time.monotonic()
    for name in ("settlements", "centres", "dem", "population", "units"):
        value = options.get(name)
        if isinstance(value, dict) and value.get("path") is not None:
            options[name] = dict(value, path=_absolute(value["path"]))  # the config's form
        elif value is not None:
            options[name] = _absolute(value)
    if isinstance(config, (str, os.PathLike)):
        config = _absolute(config)
    layers = {"stations": _absolute(stations), "villages": _absolute(villages)}
    with _Inputs() as inputs:
        steps = _config_steps("dask.analyze", inputs, config, layers, options)
    _whitezone.check_output(os.fspath(out), format, bool(overwrite))

    plan = _whitezone.PartitionPlan(steps, partition)
    parts = plan.parts()
    boxes = [box for _, box, _ in parts]
    planned = time.monotonic()
    say(
        f"plan: {len(parts)} parts by {partition}, "
        f"{sum(n for _, _, n in parts):,} villages, reach {plan.reach:,.0f} m "
        f"in {planned - start:.1f} s"
    )
    client, cluster, workers = _client(scheduler)
    run = uuid.uuid4().hex
    try:
        task_steps = list(steps) + [("json", plan.task_config(), "the Dask driver's grid")]
        if "threads" not in options and workers:
            # One engine thread per core of this machine, shared by the local workers.
            threads = max(1, (os.cpu_count() or 1) // workers)
            task_steps.append(("json", f'{{"threads": {threads}}}', "the Dask driver"))
        futures = [
            client.submit(
                _run_part,
                task_steps,
                plan.by,
                key,
                index,
                boxes,
                plan.reach,
                run,
                key=f"whitezone-part-{index}-{run}",
                retries=retries,
                pure=False,
            )
            for index, (key, _, _) in enumerate(parts)
        ]
        blobs = [None] * len(futures)
        index_of = {f.key: i for i, f in enumerate(futures)}
        from distributed import as_completed

        done = 0
        for future in as_completed(futures):
            i = index_of[future.key]
            if future.status != "finished":
                error = future.exception()
                client.cancel(futures)
                raise PartError(parts[i][0], error)
            blobs[i] = future.result()
            done += 1
            say(f"part {done}/{len(parts)}: {parts[i][0]} ({parts[i][2]:,} villages)")
    finally:
        try:
            client.run(_drop_loaded_inputs)
        except Exception:  # a lost worker has nothing left to free
            pass
        client.close()
        if cluster is not None:
            cluster.close()
    merging = time.monotonic()
    say(f"parts: {len(parts)} in {merging - planned:.1f} s")
    say("merge: ranking and summary over all villages, writing")
    for message in plan.merge_and_write(blobs, os.fspath(out), format, bool(overwrite)):
        warnings.warn(message, DataWarning, stacklevel=2)
    seconds = time.monotonic() - start
    say(f"merge and write in {time.monotonic() - merging:.1f} s")
    say(f"done in {seconds:.1f} s")
    return {
        "parts": len(parts),
        "villages": sum(n for _, _, n in parts),
        "seconds": seconds,
    }


def _parser():
    p = argparse.ArgumentParser(
        prog="python3 -m whitezone.dask",
        description="whitezone analyze in parts on a Dask cluster (docs/scale-out.md)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyze", help="whitezone analyze, one part per task")
    a.add_argument("--scheduler", default="local",
                   help="ADDRESS of a Dask scheduler (tcp://host:8786), or local[:N] for N "
                        "local worker processes (default: local, one per core)")
    a.add_argument("--partition", default="province",
                   help="province (default), district, or tile:KM (square tiles of KM km)")
    a.add_argument("--retries", type=int, default=1,
                   help="tries of a failed task after the first (default 1)")
    a.add_argument("--stations", required=True, help="Stations (as whitezone analyze)")
    a.add_argument("--villages", required=True, help="Villages")
    for flag in ("settlements", "centres", "dem", "population", "config", "work-crs",
                 "status-rule", "stations-layer", "villages-layer", "settlements-layer",
                 "centres-layer"):
        a.add_argument(f"--{flag}")
    a.add_argument("--threads", type=int, help="engine threads per task (default: the "
                   "cores of the machine shared by its local workers; all cores on a remote "
                   "worker)")
    a.add_argument("--out", default=None, help="output (default whitezone-results.gpkg)")
    a.add_argument("--format", default="gpkg", help="gpkg (default), geojson, shp, csv, fgb "
                   "or postgis")
    a.add_argument("--overwrite", action="store_true", help="replace an existing output")
    a.add_argument("-v", "--verbose", action="store_true", help="log the plan and each part")
    return p


def main(argv=None):
    """The command line; returns the exit code (0, 2 for bad usage or input, 1 otherwise)."""
    args = _parser().parse_args(argv)
    options = {}
    for name in ("settlements", "centres", "dem", "population", "work_crs", "status_rule",
                 "stations_layer", "villages_layer", "settlements_layer", "centres_layer",
                 "threads"):
        value = getattr(args, name)
        if value is not None:
            options[name] = value
    out = args.out
    if out is None:
        out = "whitezone-results.gpkg" if args.format == "gpkg" else "whitezone-results"
    progress = (lambda m: print(m, file=sys.stderr, flush=True)) if args.verbose else None
    try:
        run = analyze(
            args.stations, args.villages, args.config,
            out=out, format=args.format, overwrite=args.overwrite,
            scheduler=args.scheduler, partition=args.partition, retries=args.retries,
            progress=progress, **options,
        )
    except PartError as e:
        tries = {0: "once", 1: "twice"}.get(max(args.retries, 0), f"{1 + args.retries} times")
        print(f"error: part '{e.part}' failed {tries}: {e.error}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 2 if isinstance(e.error, (_whitezone.UsageError, _whitezone.InputError)) else 1
    except (_whitezone.UsageError, _whitezone.InputError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except _whitezone.Error as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"outputs: {out} ({run['villages']:,} villages in {run['parts']} parts, "
          f"{run['seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
