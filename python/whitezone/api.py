"""The functions of the package: the inputs and options turned into the engine's config,
the runs, and their layers turned into GeoDataFrames or NumPy arrays (docs/python.md)."""

import json
import os
import uuid
import warnings

import numpy as np

from . import _whitezone

try:  # GeoPandas is optional: without it the layers are dicts of NumPy arrays.
    import geopandas as _gpd
    import pandas as _pd
except ImportError:  # pragma: no cover - depends on the machine
    _gpd = None
    _pd = None


class DataWarning(UserWarning):
    """A data problem the engine reported without stopping (the CLI's "warning:" lines)."""


# Keyword options that set a layer's key rather than a top-level config key: the CLI's
# --stations-layer, --villages-layer, ... (config "stations": {"layer": ...}).
_LAYER_OPTIONS = {
    "stations_layer": ("stations", "layer"),
    "villages_layer": ("villages", "layer"),
    "settlements_layer": ("settlements", "layer"),
    "centres_layer": ("centres", "layer"),
    "planned_layer": ("planned", "layer"),
    "candidates_layer": ("candidates", "layer"),
    "units_layer": ("units", "layer"),
}
# Optional input layers given as a path (str or os.PathLike), a GeoDataFrame, or the config's
# object ({"path": ..., "layer": ..., "crs": ..., "fields": {...}}): config "<name>".
_INPUT_OPTIONS = ("settlements", "centres", "planned", "candidates", "units")
# CLI flags of the output: in Python, whitezone.write() writes.
_OUTPUT_OPTIONS = ("out", "format", "overwrite")


class Result:
    """The layers of one run. ``result["villages"]`` (and "coverage", "stations",
    "summary", "sites", "summary_operators"; "proposed_sites", "backhaul_links", "whatif" after plan(); "trend"
    after trend()) is a GeoDataFrame for a layer with geometry and a DataFrame for a table
    when GeoPandas is importable, else a dict of NumPy arrays (geometry: WKB bytes under
    "geometry"). Field names and order are those of the files whitezone.write() writes."""

    def __init__(self, native, warnings=()):
        self._native = native
        self._warnings = list(warnings)
        self._tables = None
        self._cache = {}

    def _layers(self):
        if self._tables is None:
            self._tables = {t["name"]: t for t in self._native.tables()}
        return self._tables

    @property
    def layers(self):
        """The names of the result's layers, in the order they are written."""
        return list(self._layers())

    @property
    def crs(self):
        """The work CRS of every layer (WKT)."""
        return next(iter(self._layers().values()))["crs"]

    @property
    def warnings(self):
        """The data warnings of the run (also issued as DataWarning)."""
        return list(self._warnings)

    def keys(self):
        return self.layers

    def __contains__(self, name):
        return name in self._layers()

    def __iter__(self):
        return iter(self.layers)

    def __getitem__(self, name):
        if name not in self._cache:
            layers = self._layers()
            if name not in layers:
                raise KeyError(
                    f"no layer {name!r} in this result; it has {', '.join(layers)}"
                )
            self._cache[name] = _frame(layers[name])
        return self._cache[name]

    def arrays(self, name):
        """Layer `name` as a dict of NumPy arrays, whether GeoPandas is there or not."""
        return _arrays(self._layers()[name])

    def __repr__(self):
        return f"<whitezone.Result layers={self.layers}>"


def _column(values, kind):
    if kind == "real":
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    if kind == "integer" and all(v is not None for v in values):
        return np.array(values, dtype=np.int64)
    return np.array(values, dtype=object)  # strings, or integers with NULLs (None)


def _arrays(table):
    out = {}
    for (name, kind), values in zip(table["fields"], table["columns"]):
        out[name] = _column(values, kind)
    if table["wkb"] is not None:
        out["geometry"] = np.array(table["wkb"], dtype=object)
    return out


def _frame(table):
    if _gpd is None:
        return _arrays(table)
    data = {}
    for (name, kind), values in zip(table["fields"], table["columns"]):
        if kind == "integer" and any(v is None for v in values):
            data[name] = _pd.array(values, dtype="Int64")
        else:
            data[name] = _column(values, kind)
    if table["wkb"] is None:
        return _pd.DataFrame(data)
    geometry = _gpd.GeoSeries.from_wkb(table["wkb"], crs=table["crs"] or None)
    return _gpd.GeoDataFrame(data, geometry=geometry)


def _is_geodataframe(value):
    return _gpd is not None and isinstance(value, _gpd.GeoDataFrame)


def _field_kind(series):
    kind = series.dtype.kind
    if kind in "iub":
        return "integer"
    if kind == "f":
        return "real"
    return "string"


def _cell(value, kind):
    if value is None:
        return None
    try:
        if _pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if kind == "integer":
        return int(value)
    if kind == "real":
        return float(value)
    return str(value)


class _Inputs:
    """The inputs of one run: paths as given, GeoDataFrames written as GeoPackages into
    GDAL's memory (/vsimem/), removed when the run ends."""

    def __init__(self):
        self.folder = f"/vsimem/whitezone-python-{uuid.uuid4().hex}"
        self.frames = {}  # memory path -> role, for messages

    def words(self, message):
        """`message` with each memory path named as the GeoDataFrame it holds."""
        for path, role in self.frames.items():
            message = message.replace(path, f"the {role} GeoDataFrame")
        return message

    def run(self, call, *args):
        """`call(*args)`, its errors and warnings naming GeoDataFrames, not memory paths."""
        try:
            native = call(*args)
        except _whitezone.Error as e:
            raise type(e)(self.words(str(e))) from None
        for message in native.warnings:
            warnings.warn(self.words(message), DataWarning, stacklevel=3)
        return Result(native, [self.words(w) for w in native.warnings])

    def path(self, value, role):
        if isinstance(value, (str, os.PathLike)):
            return os.fspath(value)
        if _is_geodataframe(value):
            fields = []
            for name in value.columns:
                if name == value.geometry.name:
                    continue
                kind = _field_kind(value[name])
                fields.append((str(name), kind, [_cell(v, kind) for v in value[name]]))
            wkb = [None if g is None or g.is_empty else g.wkb for g in value.geometry]
            crs = value.crs.to_wkt() if value.crs is not None else ""
            path = f"{self.folder}/{role}.gpkg"
            _whitezone.write_memory_layer(path, role, crs, fields, wkb)
            self.frames[path] = role
            return path
        raise TypeError(
            f"{role}: give a path or connection string GDAL opens, or a GeoDataFrame"
            f"{'' if _gpd is not None else ' (GeoPandas is not installed)'}; "
            f"got {type(value).__name__}"
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _whitezone.remove_memory(self.folder)
        return False


def _config_steps(function, inputs, config, layers, options):
    """The config of a run as the engine applies it: the config (dict or JSON file), then
    the inputs and keyword options as one JSON document laid over it (as the CLI's flags
    win over --config). Keys are checked by the engine, which names a wrong one."""
    steps = []
    if isinstance(config, dict):
        steps.append(("json", json.dumps(config), f"the config of whitezone.{function}()"))
    elif isinstance(config, (str, os.PathLike)):
        steps.append(("file", os.fspath(config), ""))
    elif config is not None:
        raise TypeError(
            f"config: give a dict or the path of a JSON config file, not {type(config).__name__}"
        )
    overlay = {}
    for name, value in layers.items():
        if value is not None:
            overlay.setdefault(name, {})["path"] = inputs.path(value, name)
    for key, value in options.items():
        if value is None:
            continue
        if key in _OUTPUT_OPTIONS:
            raise _whitezone.UsageError(
                f"whitezone.{function}(): {key}= is not an option here; the run writes "
                f"nothing: write its result with whitezone.write(result, path, "
                f"format=..., overwrite=...)."
            )
        if key in _LAYER_OPTIONS:
            layer, sub = _LAYER_OPTIONS[key]
            overlay.setdefault(layer, {})[sub] = value
        elif key in _INPUT_OPTIONS:
            layer = overlay.setdefault(key, {})
            if isinstance(value, dict):
                # The config's form; its "path" may be a Path or a GeoDataFrame too.
                layer.update(value)
                if "path" in value and not isinstance(value["path"], str):
                    layer["path"] = inputs.path(value["path"], key)
            else:
                layer["path"] = inputs.path(value, key)
        elif key == "stability" and isinstance(value, bool):
            overlay.setdefault("stability", {})["enabled"] = value  # the CLI's --stability
        elif isinstance(value, os.PathLike):
            overlay[key] = os.fspath(value)  # dem=Path("dem.tif"), as a string would be
        else:
            overlay[key] = value
    if overlay:
        steps.append(
            ("json", json.dumps(overlay), f"the keyword options of whitezone.{function}()")
        )
    return steps


def analyze(stations, villages, config=None, *, progress=None, token=None, **options):
    """Classifies the villages: reads the inputs, models coverage, overlays, classifies,
    ranks and summarizes, like `whitezone analyze`, and returns a Result (nothing is
    written). `stations` and `villages` are paths or connection strings GDAL opens, or
    GeoDataFrames; `config` a dict or the path of a JSON config (docs/config.md); keyword
    options are the config's top-level keys (work_crs=, dem=, population=, threads=,
    coverage_model=, status_rule=, radius_m=, ...) and the CLI's layer flags
    (stations_layer=, villages_layer=, settlements=, centres=, units=, ..._layer=;
    stability=True). The optional layers (settlements=, centres=, units=, planned=,
    candidates=) take a path, a GeoDataFrame or the config's object ({"path": ...}).
    `progress(message, fraction)` is called with each stage's line (fraction None) and the
    fraction done of long steps; returning False cancels. `token` (a CancelToken) cancels
    from another thread. Raises UsageError, InputError, ExternalError, Cancelled."""
    with _Inputs() as inputs:
        steps = _config_steps(
            "analyze", inputs, config, {"stations": stations, "villages": villages}, options
        )
        return inputs.run(_whitezone.analyze, steps, progress, token)


def plan(
    stations,
    villages,
    config=None,
    *,
    budget=None,
    by=None,
    target_rate=None,
    progress=None,
    token=None,
    **options,
):
    """`whitezone plan` in memory: the analysis, then new sites (and with planned=, the
    what-if). Takes what analyze() takes, plus the CLI's --budget, --by and --target-rate
    (budget= new sites, default 10; by="people" or "villages"; target_rate= 0-1), planned=
    and candidates= (paths or GeoDataFrames) and the config's "plan" object
    (plan={"max_hop_m": 15000, ...}). The result also has "proposed_sites",
    "backhaul_links" (and "whatif")."""
    with _Inputs() as inputs:
        steps = _config_steps(
            "plan", inputs, config, {"stations": stations, "villages": villages}, options
        )
        return inputs.run(
            _whitezone.plan, steps, budget, by, target_rate, progress, token
        )


def trend(
    stations,
    villages,
    config=None,
    *,
    from_year=None,
    to_year=None,
    progress=None,
    token=None,
    **options,
):
    """`whitezone trend` in memory: the analysis with today's network, then the villages'
    statuses per year from `from_year` to `to_year` (default: the stations' first and last
    on-air years). Takes what analyze() takes; the result also has "trend" and
    "trend_units"."""
    with _Inputs() as inputs:
        steps = _config_steps(
            "trend", inputs, config, {"stations": stations, "villages": villages}, options
        )
        return inputs.run(_whitezone.trend, steps, from_year, to_year, progress, token)


def write(result, path, format="gpkg", overwrite=False):
    """Writes every layer of `result` as `whitezone analyze --out PATH --format FORMAT`
    would: a GeoPackage file, a folder of geojson, shp, csv or fgb files, or PostGIS tables
    ("PG:..." path), atomically (docs/output.md). With the ITM model an analysis also writes
    its GeoTIFFs and tables (docs/itm.md#outputs) with the output, as the CLI does, and returns
    their paths (signal_dbm_any.tif first); otherwise it returns an empty list. The write's
    data warnings (text values cut to a Shapefile's 254 bytes) are issued as DataWarning.
    Raises InputError when the output (or one of those files) exists without `overwrite`."""
    if not isinstance(result, Result):
        raise TypeError(f"write: give the Result of whitezone.analyze(), not {type(result).__name__}")
    files, messages = result._native.write(os.fspath(path), format, bool(overwrite))
    for message in messages:
        warnings.warn(message, DataWarning, stacklevel=2)
    return files
