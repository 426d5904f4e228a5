"""Tests of the Dask driver (python3 -m whitezone.dask, docs/scale-out.md), run by ctest
(python_dask) with PYTHONPATH at the build tree's python/ folder, WHITEZONE_CLI the whitezone
program and WHITEZONE_DATA the repository's data/ sample. One LocalCluster of 2 worker
processes serves every test; each result is compared with `whitezone analyze`'s."""

import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

from distributed import Client, LocalCluster

import whitezone.dask

DATA = os.environ.get("WHITEZONE_DATA", os.path.join(os.path.dirname(__file__), "../../data"))
CLI = os.environ.get("WHITEZONE_CLI", "whitezone")
# The synthetic country of the vector tests (docs/generate.md): M, or a smaller one where CI
# is short of time (WHITEZONE_DASK_SIZE="--villages 5000 --sites 5000").
SIZE = os.environ.get("WHITEZONE_DASK_SIZE", "--size M").split()


def rows(path, layer, order="fid"):
    """The rows of `layer` of a GeoPackage, without fid (SQLite)."""
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        out = []
        for r in db.execute(f'SELECT * FROM "{layer}" ORDER BY {order}'):
            d = dict(r)
            d.pop("fid", None)
            out.append(d)
        return out


def loads(client):
    """How many times the cluster's workers have loaded a run's inputs for their parts."""
    counts = client.run(lambda: __import__("whitezone._whitezone", fromlist=["loads_made"]).loads_made())
    return sum(counts.values())


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


class DaskTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.country = os.path.join(cls.tmp.name, "country")
        made = run(CLI, "generate", *SIZE, "--out", cls.country)
        if made.returncode != 0:
            raise AssertionError(f"generate failed: {made.stderr}")
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        cls.scheduler = cls.cluster.scheduler_address
        cls.whole = {}

    @classmethod
    def tearDownClass(cls):
        cls.cluster.close()
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def whole_run(self, name, args):
        """`whitezone analyze` with `args` (once per name)."""
        if name not in self.whole:
            out = self.path(f"whole-{name}.gpkg")
            done = run(CLI, "analyze", *args, "--out", out)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.whole[name] = out
        return self.whole[name]

    def assert_same_output(self, whole, parts, coverage_area=True):
        """Every field of every village, station, summary row, site and operator row equal
        (shares to 1e-12: a part's GEOS overlay may round the last bit differently); the
        coverage's footprints equal and (vector mode) its polygons the same."""
        layers = ("villages", "stations", "summary", "sites", "summary_operators")
        for layer in layers:
            a, b = rows(whole, layer), rows(parts, layer)
            self.assertEqual(len(a), len(b), layer)
            self.assertTrue(a, f"{layer} is empty: the test would show nothing")
            for i, (x, y) in enumerate(zip(a, b)):
                self.assertEqual(x.keys(), y.keys(), layer)
                for k in x:
                    if isinstance(x[k], float) and isinstance(y[k], float):
                        self.assertTrue(math.isclose(x[k], y[k], rel_tol=1e-12, abs_tol=1e-12),
                                        f"{layer} row {i + 1} field {k}: {x[k]} != {y[k]}")
                    else:
                        self.assertEqual(x[k], y[k], f"{layer} row {i + 1} field {k}")
        a, b = rows(whole, "coverage"), rows(parts, "coverage")
        for x, y in zip(a, b):
            self.assertEqual((x["class"], x["footprints"]), (y["class"], y["footprints"]))
            if not coverage_area:
                continue  # terrain: the parts' coverage ends at their DEM windows
            # The vector mode: the driver dissolves all footprints as one run does.
            self.assertEqual((x["area_km2"], x["geom"]), (y["area_km2"], y["geom"]),
                             f"coverage {x['class']}")

    def country_args(self):
        return ["--stations", os.path.join(self.country, "stations.gpkg"),
                "--villages", os.path.join(self.country, "villages.gpkg")]

    def test_by_province_equals_the_whole_run_in_vector_mode(self):
        whole = self.whole_run("country", self.country_args())
        out = self.path("province.gpkg")
        done = run(sys.executable, "-m", "whitezone.dask", "analyze",
                   "--scheduler", self.scheduler, "--partition", "province",
                   *self.country_args(), "--out", out)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("parts", done.stdout)
        parts = {r["province"] for r in rows(out, "villages")}
        self.assertGreater(len(parts), 1, "one province: the test would split nothing")
        self.assert_same_output(whole, out)

    def test_by_tile_equals_the_whole_run_in_vector_mode(self):
        whole = self.whole_run("country", self.country_args())
        out = self.path("tile.gpkg")
        with Client(self.scheduler) as client:
            before = loads(client)
            stats = whitezone.dask.analyze(
                os.path.join(self.country, "stations.gpkg"),
                os.path.join(self.country, "villages.gpkg"),
                out=out, scheduler=self.scheduler, partition="tile:100")
            made = loads(client) - before
        self.assertGreater(stats["parts"], 4)
        # Each worker reads the inputs once for all its parts, not once per part.
        self.assertGreaterEqual(made, 1)
        self.assertLessEqual(made, 2, f"{made} loads for {stats['parts']} parts on 2 workers")
        self.assert_same_output(whole, out)

    def work_grid_dem(self):
        """data/dem.tif warped onto the work grid (UTM 48N, 180 m cells from the origin):
        each part then reads the very cells of the whole run (a DEM in another CRS is
        resampled by GDAL within 1/8 pixel, differently for each window; scale-out.md)."""
        dem = self.path("dem-utm.tif")
        if not os.path.exists(dem):
            done = run("gdalwarp", "-q", "-t_srs", "EPSG:32648", "-tr", "180", "180", "-tap",
                       "-r", "bilinear", os.path.join(DATA, "dem.tif"), dem)
            self.assertEqual(done.returncode, 0, done.stderr)
            with open(self.path("terrain.json"), "w") as f:
                json.dump({"terrain": {"cell_m": 180}}, f)
        return dem

    def sample_args(self, dem=None):
        work_grid = self.work_grid_dem()
        return ["--stations", os.path.join(DATA, "stations.csv"),
                "--villages", os.path.join(DATA, "villages.gpkg"),
                "--settlements", os.path.join(DATA, "settlements.gpkg"),
                "--config", self.path("terrain.json"),
                "--dem", dem or work_grid]

    def test_by_district_equals_the_whole_run_in_terrain_mode(self):
        whole = self.whole_run("terrain", self.sample_args())
        out = self.path("terrain-district.gpkg")
        done = run(sys.executable, "-m", "whitezone.dask", "analyze",
                   "--scheduler", self.scheduler, "--partition", "district",
                   *self.sample_args(), "--out", out)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assert_same_output(whole, out, coverage_area=False)

    def test_by_tile_equals_the_whole_run_in_terrain_mode(self):
        whole = self.whole_run("terrain", self.sample_args())
        out = self.path("terrain-tile.gpkg")
        a = self.sample_args()
        stats = whitezone.dask.analyze(
            a[1], a[3], a[7], out=out, settlements=a[5], dem=a[9],
            scheduler=self.scheduler, partition="tile:50")
        self.assertGreater(stats["parts"], 2)
        self.assert_same_output(whole, out, coverage_area=False)

    def test_a_part_that_fails_twice_stops_the_run_and_writes_nothing(self):
        # A DEM of the sample's north-west corner: the districts far from it have no DEM
        # under them, which the engine refuses (bad input, exit 2).
        dem = self.path("west.tif")
        info = run("gdalinfo", "-json", os.path.join(DATA, "dem.tif"))
        self.assertEqual(info.returncode, 0, info.stderr)
        corners = json.loads(info.stdout)["cornerCoordinates"]
        (x0, y1), (x1, y0) = corners["upperLeft"], corners["lowerRight"]
        cut = run("gdal_translate", "-q", "-projwin", str(x0), str(y1),
                  str(x0 + (x1 - x0) * 0.1), str(y1 - (y1 - y0) * 0.1),
                  os.path.join(DATA, "dem.tif"), dem)
        self.assertEqual(cut.returncode, 0, cut.stderr)
        args = self.sample_args(dem)
        out = self.path("failed.gpkg")
        done = run(sys.executable, "-m", "whitezone.dask", "analyze",
                   "--scheduler", self.scheduler, "--partition", "district", *args,
                   "--out", out)
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertRegex(done.stderr, r"part '[^']+' failed")
        self.assertIn("dem", done.stderr)
        self.assertIn("nothing was written", done.stderr)
        self.assertFalse(os.path.exists(out))
        self.assertEqual([f for f in os.listdir(self.tmp.name) if f.startswith("failed")], [])

    def test_an_unknown_partition_is_refused_with_exit_2(self):
        done = run(sys.executable, "-m", "whitezone.dask", "analyze", "--scheduler",
                   self.scheduler, "--partition", "county", *self.country_args(),
                   "--out", self.path("county.gpkg"))
        self.assertEqual(done.returncode, 2)
        self.assertIn("--partition 'county' is not known", done.stderr)


if __name__ == "__main__":
    unittest.main()
