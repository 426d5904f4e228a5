"""Tests of the Python module (docs/python.md), run by ctest (python_module) with
PYTHONPATH at the build tree's python/ folder, WHITEZONE_CLI the whitezone program and
WHITEZONE_DATA the repository's data/ sample."""

import csv
import json
import math
import os
import pathlib
import sqlite3
import subprocess
import tempfile
import threading
import unittest

import numpy as np

import whitezone
from whitezone import api

try:
    import geopandas
    import pandas
except ImportError:  # pragma: no cover - installed by scripts/install-deps.sh
    geopandas = None

DATA = os.environ.get("WHITEZONE_DATA", os.path.join(os.path.dirname(__file__), "../../data"))
CLI = os.environ.get("WHITEZONE_CLI", "whitezone")
STATIONS = os.path.join(DATA, "stations.csv")
VILLAGES = os.path.join(DATA, "villages.gpkg")
SETTLEMENTS = os.path.join(DATA, "settlements.gpkg")


def gpkg_rows(path, layer):
    """The rows of `layer` of a GeoPackage as a list of dicts (SQLite, in fid order)."""
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute(f'SELECT * FROM "{layer}" ORDER BY fid')]


def same_value(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is None and b is None
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def python_value(v):
    """A NumPy scalar of an arrays() column as the plain value SQLite gives."""
    if isinstance(v, (np.floating, float)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, np.integer):
        return int(v)
    return v


class ModuleTest(unittest.TestCase):
    """Shared: one run of the CLI and one of the module on the sample, with settlements."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.cli_out = os.path.join(cls.tmp.name, "cli.gpkg")
        cli = subprocess.run(
            [CLI, "analyze", "--stations", STATIONS, "--villages", VILLAGES,
             "--settlements", SETTLEMENTS, "--out", cls.cli_out, "--threads", "1"],
            capture_output=True, text=True)
        if cli.returncode != 0:
            raise AssertionError(f"{CLI} analyze failed ({cli.returncode}): {cli.stderr}")
        cls.result = whitezone.analyze(STATIONS, VILLAGES, settlements=SETTLEMENTS, threads=1)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assert_layer_equals_file(self, result, layer, path):
        """Every field of every row of `layer` equals the GeoPackage's."""
        rows = gpkg_rows(path, layer)
        arrays = result.arrays(layer)
        fields = [f for f in arrays if f != "geometry"]
        self.assertEqual(len(rows), len(arrays[fields[0]]))
        self.assertGreater(len(rows), 0)
        for name in fields:
            self.assertIn(name, rows[0], f"{layer}.{name} is not in the file")
            for i, row in enumerate(rows):
                got = python_value(arrays[name][i])
                self.assertTrue(same_value(got, row[name]),
                                f"{layer}.{name} of row {i}: module {got!r}, CLI {row[name]!r}")


class ResultsEqualTheCli(ModuleTest):
    def test_every_village_field_equals_the_cli_output(self):
        self.assert_layer_equals_file(self.result, "villages", self.cli_out)

    def test_the_summary_and_sites_equal_the_cli_output(self):
        self.assert_layer_equals_file(self.result, "summary", self.cli_out)
        self.assert_layer_equals_file(self.result, "sites", self.cli_out)

    def test_the_result_has_the_layers_the_cli_writes(self):
        with sqlite3.connect(self.cli_out) as db:
            written = {r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")}
        # layer_styles is QGIS's styling of the file, not a result.
        self.assertEqual(set(self.result.layers), written - {"layer_styles"})

    def test_the_sample_has_white_villages(self):
        status = self.result.arrays("villages")["status_broadband"]
        self.assertGreater(int(np.sum(status == "white")), 0)
        self.assertGreater(int(np.sum(status == "covered")), 0)

    def test_write_gives_the_cli_output_and_refuses_to_replace_it(self):
        out = os.path.join(self.tmp.name, "module.gpkg")
        whitezone.write(self.result, out)
        for layer in ("villages", "summary", "stations"):
            self.assertEqual(gpkg_rows(out, layer), gpkg_rows(self.cli_out, layer))
        with self.assertRaises(whitezone.InputError) as e:
            whitezone.write(self.result, out)
        self.assertIn("overwrite", str(e.exception))
        whitezone.write(self.result, out, overwrite=True)

    @unittest.skipIf(geopandas is None, "GeoPandas is not installed")
    def test_a_text_cut_to_a_shapefiles_254_bytes_is_a_data_warning(self):
        villages = geopandas.read_file(VILLAGES)
        villages["ghi_chu"] = "Thôn vùng cao, đường vào xa. " * 12  # about 400 bytes
        result = whitezone.analyze(STATIONS, villages, threads=1)
        out = os.path.join(self.tmp.name, "shp")
        with self.assertWarns(whitezone.DataWarning) as w:
            whitezone.write(result, out, format="shp")
        self.assertIn("ghi_chu", str(w.warning))
        self.assertIn("254", str(w.warning))

    def test_write_gives_the_itm_models_rasters_as_the_cli_does(self):
        dem = os.path.join(DATA, "dem.tif")
        cli_out = os.path.join(self.tmp.name, "cli-itm.gpkg")
        config = os.path.join(self.tmp.name, "itm.json")
        with open(config, "w", encoding="utf-8") as f:
            f.write('{"coverage_model": "itm"}')
        cli = subprocess.run([CLI, "analyze", "--stations", STATIONS, "--villages", VILLAGES,
                              "--dem", dem, "--config", config, "--out", cli_out],
                             capture_output=True, text=True)
        self.assertEqual(cli.returncode, 0, cli.stderr)
        result = whitezone.analyze(STATIONS, VILLAGES, dem=dem, coverage_model="itm")
        out = os.path.join(self.tmp.name, "module-itm.gpkg")
        written = whitezone.write(result, out)
        names = ["signal_dbm_any.tif", "best_server_any.tif", "signal_dbm_broadband.tif",
                 "best_server_broadband.tif", "best_server_stations.csv"]
        self.assertEqual(written, [os.path.join(self.tmp.name, "module-itm_" + n) for n in names])
        for name in names:
            with open(os.path.join(self.tmp.name, "module-itm_" + name), "rb") as ours, \
                    open(os.path.join(self.tmp.name, "cli-itm_" + name), "rb") as theirs:
                self.assertEqual(ours.read(), theirs.read(), name)
        # Without the ITM model nothing is written beside the output.
        self.assertEqual(whitezone.write(self.result, os.path.join(self.tmp.name, "disk.gpkg")), [])

    def test_two_threads_give_the_result_of_one(self):
        two = whitezone.analyze(STATIONS, VILLAGES, settlements=SETTLEMENTS, threads=2)
        for layer in ("villages", "summary", "sites", "stations"):
            a, b = self.result.arrays(layer), two.arrays(layer)
            self.assertEqual(list(a), list(b))
            for name in a:
                self.assertTrue(
                    all(same_value(python_value(x), python_value(y)) for x, y in zip(a[name], b[name])),
                    f"{layer}.{name} differs between threads=1 and threads=2")


class WithoutGeoPandas(ModuleTest):
    def test_layers_are_dicts_of_numpy_arrays_with_wkb_geometry(self):
        saved = api._gpd
        api._gpd = None
        try:
            result = whitezone.analyze(STATIONS, VILLAGES, threads=1)
            villages = result["villages"]
            summary = result["summary"]
        finally:
            api._gpd = saved
        self.assertIsInstance(villages, dict)
        self.assertIsInstance(villages["status_any"], np.ndarray)
        self.assertEqual(villages["area_m2"].dtype, np.float64)
        self.assertIsInstance(villages["geometry"][0], bytes)
        self.assertNotIn("geometry", summary)
        self.assertEqual(len(villages["geometry"]), 1654)


@unittest.skipIf(geopandas is None, "GeoPandas is not installed (scripts/install-deps.sh)")
class GeoDataFrames(ModuleTest):
    def test_geodataframes_in_give_geodataframes_out_with_the_same_statuses(self):
        table = pandas.read_csv(STATIONS)
        stations = geopandas.GeoDataFrame(
            table, geometry=geopandas.points_from_xy(table.lon, table.lat), crs="EPSG:4326"
        ).drop(columns=["lon", "lat"])
        villages = geopandas.read_file(VILLAGES)
        settlements = geopandas.read_file(SETTLEMENTS)
        result = whitezone.analyze(stations, villages, settlements=settlements, threads=1)
        out = result["villages"]
        self.assertIsInstance(out, geopandas.GeoDataFrame)
        self.assertIsInstance(result["summary"], pandas.DataFrame)
        self.assertNotIsInstance(result["summary"], geopandas.GeoDataFrame)
        self.assertEqual(len(out), len(villages))
        self.assertTrue(out.crs.is_projected)
        self.assertFalse(out.geometry.isna().any())
        expected = self.result["villages"]
        for name in ("status_any", "status_broadband", "centre_any", "people_without_broadband"):
            self.assertEqual(list(out[name]), list(expected[name]), name)

    def test_result_layers_are_geodataframes_that_filter_and_reproject(self):
        villages = self.result["villages"]
        white = villages[villages.status_broadband == "white"]
        self.assertGreater(len(white), 0)
        self.assertEqual(white.to_crs("EPSG:4326").crs.to_epsg(), 4326)
        self.assertIn("village_id", villages.columns)  # the input's own fields come first

    def test_a_geodataframe_without_the_tech_field_raises_input_error(self):
        table = pandas.read_csv(STATIONS).drop(columns=["tech"])
        stations = geopandas.GeoDataFrame(
            table, geometry=geopandas.points_from_xy(table.lon, table.lat), crs="EPSG:4326")
        with self.assertRaises(whitezone.InputError) as e:
            whitezone.analyze(stations, VILLAGES)
        self.assertIn("tech", str(e.exception))
        self.assertIn("the stations GeoDataFrame", str(e.exception))
        self.assertNotIn("/vsimem/", str(e.exception))


class PlanAndTrend(unittest.TestCase):
    def test_plan_equals_the_cli_plan(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "plan.gpkg")
            cli = subprocess.run(
                [CLI, "plan", "--stations", STATIONS, "--villages", VILLAGES, "--budget", "3",
                 "--out", out, "--threads", "1"], capture_output=True, text=True)
            self.assertEqual(cli.returncode, 0, cli.stderr)
            result = whitezone.plan(STATIONS, VILLAGES, budget=3, threads=1)
            self.assertIn("proposed_sites", result.layers)
            self.assertEqual(len(result.arrays("proposed_sites")["pick"]), 3)
            for layer in ("proposed_sites", "backhaul_links", "villages"):
                ModuleTest.assert_layer_equals_file(self, result, layer, out)

    def test_the_trend_of_the_last_on_air_year_is_todays_analysis(self):
        with open(STATIONS, encoding="utf-8", newline="") as f:
            years = [int(row["on_air"][:4]) for row in csv.DictReader(f) if row["on_air"]]
        result = whitezone.trend(STATIONS, VILLAGES, from_year=max(years), threads=1)
        trend = result.arrays("trend")
        self.assertEqual(list(trend["year"]), [max(years)])
        status = result.arrays("villages")["status_broadband"]
        self.assertEqual(int(trend["white_broadband"][0]), int(sum(status == "white")))

    def test_a_bad_plan_option_raises_usage_error(self):
        with self.assertRaises(whitezone.UsageError) as e:
            whitezone.plan(STATIONS, VILLAGES, by="cows")
        self.assertIn("by='cows'", str(e.exception))


class Errors(unittest.TestCase):
    def test_a_missing_villages_file_raises_input_error_naming_it(self):
        with self.assertRaises(whitezone.InputError) as e:
            whitezone.analyze(STATIONS, "/nonexistent/villages.gpkg")
        self.assertIn("/nonexistent/villages.gpkg", str(e.exception))
        self.assertIsInstance(e.exception, whitezone.Error)

    def test_an_unknown_option_raises_usage_error_naming_it(self):
        with self.assertRaises(whitezone.UsageError) as e:
            whitezone.analyze(STATIONS, VILLAGES, coverage_modle="hata")
        self.assertIn("coverage_modle", str(e.exception))
        self.assertIn("coverage_model", str(e.exception))  # the engine's "did you mean"

    def test_a_bad_option_value_raises_usage_error(self):
        with self.assertRaises(whitezone.UsageError) as e:
            whitezone.analyze(STATIONS, VILLAGES, threads=-3)
        self.assertIn("threads", str(e.exception))

    def test_output_flags_are_refused_with_the_way_to_write(self):
        with self.assertRaises(whitezone.UsageError) as e:
            whitezone.analyze(STATIONS, VILLAGES, out="x.gpkg")
        self.assertIn("whitezone.write", str(e.exception))

    def test_a_config_dict_and_a_config_file_are_applied(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            f.write('{"status_rule": "bogus"}')
            f.flush()
            with self.assertRaises(whitezone.UsageError) as e:
                whitezone.analyze(STATIONS, VILLAGES, config=f.name)
            self.assertIn("bogus", str(e.exception))
        with self.assertRaises(whitezone.UsageError) as e:
            whitezone.analyze(STATIONS, VILLAGES, config={"white_below": 0.9, "covered_from": 0.5})
        self.assertIn("white_below", str(e.exception))


class ProgressAndCancel(unittest.TestCase):
    def test_progress_is_called_with_the_stages(self):
        messages = []
        whitezone.analyze(STATIONS, VILLAGES, threads=2,
                          progress=lambda m, f: messages.append((m, f)))
        lines = [m for m, f in messages if f is None]
        self.assertTrue(any(m.startswith("read") for m in lines), lines)
        self.assertTrue(any(m.startswith("classify") for m in lines), lines)

    def test_a_callback_returning_false_cancels(self):
        with self.assertRaises(whitezone.Cancelled):
            whitezone.analyze(STATIONS, VILLAGES, progress=lambda m, f: False)

    def test_a_callback_that_raises_stops_the_run_with_its_exception(self):
        def fail(message, fraction):
            raise KeyError("from the callback")

        with self.assertRaises(KeyError):
            whitezone.analyze(STATIONS, VILLAGES, progress=fail)

    def test_a_cancel_token_cancels_from_another_thread(self):
        token = whitezone.CancelToken()
        started, stopped = threading.Event(), threading.Event()

        def progress(message, fraction):
            started.set()
            stopped.wait(10)  # the first line waits until the other thread has cancelled

        def cancel():
            started.wait(10)
            token.cancel()
            stopped.set()

        other = threading.Thread(target=cancel)
        other.start()
        try:
            with self.assertRaises(whitezone.Cancelled) as e:
                whitezone.analyze(STATIONS, VILLAGES, token=token, progress=progress)
        finally:
            other.join()
        self.assertIn("cancelled", str(e.exception))
        self.assertTrue(token.cancelled)


def write_units(folder):
    """Two units splitting the sample at 106.7 E (WGS 84): "W" (Xã Tây) and "E" (Xã Đông)."""
    def unit(code, name, x0, x1):
        ring = [[x0, 21.2], [x1, 21.2], [x1, 22.6], [x0, 22.6], [x0, 21.2]]
        return {"type": "Feature", "properties": {"code": code, "name": name},
                "geometry": {"type": "Polygon", "coordinates": [ring]}}
    path = os.path.join(folder, "units.geojson")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection",
                   "features": [unit("W", "Xã Tây", 106.0, 106.7),
                                unit("E", "Xã Đông", 106.7, 107.5)]}, f, ensure_ascii=False)
    return path


class Units(unittest.TestCase):
    """units= as the CLI's --units: a path string, a pathlib.Path, or the config's object."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.units = write_units(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def unit_rows(self, result, layer="summary"):
        rows = result.arrays(layer)
        keep = rows["level"] == "unit"
        return {k: list(v[keep]) for k, v in rows.items()}

    def test_units_take_a_path_a_pathlib_path_or_the_config_object(self):
        rows = []
        for units in (self.units, pathlib.Path(self.units), {"path": self.units},
                      {"path": pathlib.Path(self.units)}):
            with self.subTest(units=repr(units)):
                result = whitezone.analyze(STATIONS, VILLAGES, units=units, threads=1)
                rows.append(self.unit_rows(result))
                self.assertEqual(sorted(rows[-1]["unit_code"]), ["E", "W"])
                self.assertEqual(sum(rows[-1]["villages"]), 1654)
        for other in rows[1:]:
            self.assertEqual(other, rows[0])
        self.assertIn("Xã Tây", rows[0]["unit_name"])

    def test_the_cli_and_the_module_give_the_same_unit_rows(self):
        out = os.path.join(self.tmp.name, "cli.gpkg")
        cli = subprocess.run(
            [CLI, "analyze", "--stations", STATIONS, "--villages", VILLAGES, "--units",
             self.units, "--out", out, "--threads", "1"], capture_output=True, text=True)
        self.assertEqual(cli.returncode, 0, cli.stderr)
        result = whitezone.analyze(STATIONS, VILLAGES, units=self.units, threads=1)
        ModuleTest.assert_layer_equals_file(self, result, "summary", out)

    def test_a_units_value_that_is_not_a_layer_raises_type_error(self):
        with self.assertRaises(TypeError) as e:
            whitezone.analyze(STATIONS, VILLAGES, units=42)
        self.assertIn("units", str(e.exception))

    def test_trend_unit_rows_carry_the_units_code_and_name(self):
        with open(STATIONS, encoding="utf-8", newline="") as f:
            years = [int(row["on_air"][:4]) for row in csv.DictReader(f) if row["on_air"]]
        result = whitezone.trend(STATIONS, VILLAGES, from_year=max(years) - 1,
                                 units={"path": self.units}, threads=1)
        trend = self.unit_rows(result, "trend_units")
        self.assertEqual(len(trend["unit_code"]), 4)  # two units in each of two years
        self.assertEqual(sorted(set(trend["unit_code"])), ["E", "W"])
        self.assertEqual(sorted(set(trend["unit_name"])), ["Xã Tây", "Xã Đông"])
        # The last year, with every station on air, is the summary's unit rows.
        summary = self.unit_rows(result)
        last = [i for i, y in enumerate(trend["year"]) if y == max(years)]
        for field in ("unit_code", "unit_name", "villages", "white_broadband"):
            self.assertEqual([trend[field][i] for i in last], summary[field], field)


if __name__ == "__main__":
    unittest.main()
