#!/usr/bin/python3
"""Makes the sample's synthetic rasters for the terrain mode:

  data/dem.tif         elevation, metres: synthetic relief over Lạng Sơn (6 arc-seconds,
                       about 185 m), valleys at 200-400 m, ranges to about 1,500 m
  data/population.tif  people per cell (0.005°, about 500 m): each village's census
                       population spread over its settlements, summed per cell

and, for scripts/bench-terrain.sh, a province-sized DEM over a generated country:

    /usr/bin/python3 scripts/make_dem.py --bench VILLAGES.gpkg OUT.tif CELL_M MARGIN_M

Deterministic (fixed seeds). Needs /usr/bin/python3 with numpy and GDAL's Python bindings
(Debian: python3-numpy python3-gdal). Run from the repository root:

    /usr/bin/python3 scripts/make_dem.py
"""

import sys

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()

WEST, EAST, SOUTH, NORTH = 105.70, 107.75, 20.95, 22.85  # the province plus 35 km
DEM_STEP = 1.0 / 600.0  # 6 arc-seconds
POP_STEP = 0.005


def noise(cols: int, rows: int, rng: np.random.Generator) -> np.ndarray:
    """Fractal noise, power spectrum ~ k^-3.2, mean 0 and standard deviation 1: hills at every
    scale, relative to the grid."""
    white = rng.standard_normal((rows, cols))
    ky = np.fft.fftfreq(rows)[:, None]
    kx = np.fft.rfftfreq(cols)[None, :]
    k = np.sqrt(kx * kx + ky * ky)
    k[0, 0] = 1.0
    spectrum = np.fft.rfft2(white) * k ** -1.6
    spectrum[0, 0] = 0.0
    out = np.fft.irfft2(spectrum, s=(rows, cols))
    return (out - out.mean()) / out.std()


def relief(x: np.ndarray, y: np.ndarray, rough: np.ndarray, ridges) -> np.ndarray:
    """Mountain heights, metres, at (x, y) from the noise `rough` and north-east trending
    ridges like the Bắc Sơn and Mẫu Sơn ranges: (x0, y0, height, half-width, half-length)
    in the units of x and y."""
    z = 320.0 + 260.0 * rough
    for x0, y0, height, width, length in ridges:
        across = ((x - x0) - (y - y0)) / np.sqrt(2.0)
        along = ((x - x0) + (y - y0)) / np.sqrt(2.0)
        z += height * np.exp(-(across / width) ** 2) * np.exp(-(along / length) ** 2)
    # Valleys floor out (rice fields and rivers), peaks stay sharp.
    z = np.where(z < 220.0, 220.0 - 0.3 * (220.0 - z), z)
    return np.clip(z, 30.0, 1800.0)


def write(path: str, array: np.ndarray, origin, step: float, epsg: int, dtype, nodata,
          options):
    rows, cols = array.shape
    driver = gdal.GetDriverByName("GTiff")
    ds = driver.Create(path, cols, rows, 1, dtype, options=options)
    ds.SetGeoTransform((origin[0], step, 0.0, origin[1], 0.0, -step))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    if nodata is not None:
        band.SetNoDataValue(nodata)
    band.WriteArray(array)
    ds = None


def population(step: float) -> np.ndarray:
    """Each village's population split evenly over its settlements (its centre when it has
    none), summed per cell."""
    cols = int(round((EAST - WEST) / step))
    rows = int(round((NORTH - SOUTH) / step))
    grid = np.zeros((rows, cols), dtype=np.float64)
    villages = ogr.Open("data/villages.gpkg")
    people = {}
    centres = {}
    layer = villages.GetLayer(0)
    for f in layer:
        pop = f.GetField("population")
        people[f.GetField("village_id")] = float(pop) if pop is not None else 0.0
        centres[f.GetField("village_id")] = f.GetGeometryRef().PointOnSurface()
    points = {}
    settlement_ds = ogr.Open("data/settlements.gpkg")
    for f in settlement_ds.GetLayer(0):
        g = f.GetGeometryRef()
        points.setdefault(f.GetField("village_id"), []).append((g.GetX(), g.GetY()))
    for vid, pop in people.items():
        where = points.get(vid) or [(centres[vid].GetX(), centres[vid].GetY())]
        for lon, lat in where:
            c = int((lon - WEST) / step)
            r = int((NORTH - lat) / step)
            if 0 <= r < rows and 0 <= c < cols:
                grid[r, c] += pop / len(where)
    return grid.astype(np.float32)


def sample():
    rng = np.random.default_rng(20091)
    cols = int(round((EAST - WEST) / DEM_STEP))
    rows = int(round((NORTH - SOUTH) / DEM_STEP))
    lon = WEST + (np.arange(cols) + 0.5) * DEM_STEP
    lat = NORTH - (np.arange(rows) + 0.5) * DEM_STEP
    x, y = np.meshgrid(lon, lat)
    ridges = [(106.35, 21.85, 700, 0.06, 0.45), (106.80, 22.15, 500, 0.05, 0.45),
              (107.00, 21.85, 900, 0.05, 0.45), (106.55, 21.55, 450, 0.07, 0.45)]
    dem = np.round(relief(x, y, noise(cols, rows, rng), ridges)).astype(np.int16)
    write("data/dem.tif", dem, (WEST, NORTH), DEM_STEP, 4326, gdal.GDT_Int16, -32768,
          ["COMPRESS=DEFLATE", "PREDICTOR=2", "ZLEVEL=9", "TILED=YES"])
    write("data/population.tif", population(POP_STEP), (WEST, NORTH), POP_STEP, 4326,
          gdal.GDT_Float32, -1.0, ["COMPRESS=DEFLATE", "PREDICTOR=3", "ZLEVEL=9"])


def bench(villages: str, out: str, cell: float, margin: float):
    """A DEM in UTM 48N (EPSG:32648, the CRS of `whitezone generate`) of `cell` metres over
    the villages' extent plus `margin` metres, for scripts/bench-terrain.sh."""
    ds = ogr.Open(villages)
    layer = ds.GetLayer(0)
    utm = osr.SpatialReference()
    utm.ImportFromEPSG(32648)
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    src = layer.GetSpatialRef()
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    west, east, south, north = layer.GetExtent()
    minx, miny, maxx, maxy = osr.CoordinateTransformation(src, utm).TransformBounds(
        west, south, east, north, 21)
    minx, miny = np.floor((minx - margin) / cell) * cell, np.floor((miny - margin) / cell) * cell
    maxx, maxy = np.ceil((maxx + margin) / cell) * cell, np.ceil((maxy + margin) / cell) * cell
    cols, rows = int((maxx - minx) / cell), int((maxy - miny) / cell)
    rng = np.random.default_rng(7)
    x = minx + (np.arange(cols) + 0.5) * cell
    y = maxy - (np.arange(rows) + 0.5) * cell
    xx, yy = np.meshgrid(x, y)
    w, h = maxx - minx, maxy - miny
    ridges = [(minx + f * w, miny + g * h, height, 0.04 * w, 0.3 * w)
              for f, g, height in [(0.3, 0.4, 700), (0.7, 0.6, 900), (0.5, 0.2, 500)]]
    dem = relief(xx, yy, noise(cols, rows, rng), ridges).astype(np.float32)
    write(out, dem, (minx, maxy), cell, 32648, gdal.GDT_Float32, None,
          ["COMPRESS=DEFLATE", "PREDICTOR=3", "TILED=YES", "BIGTIFF=IF_SAFER"])


def main():
    if len(sys.argv) == 1:
        sample()
    elif len(sys.argv) == 6 and sys.argv[1] == "--bench":
        bench(sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]))
    else:
        sys.exit("usage: make_dem.py  |  make_dem.py --bench VILLAGES.gpkg OUT.tif CELL_M MARGIN_M")


if __name__ == "__main__":
    main()
