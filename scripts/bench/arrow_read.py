#!/usr/bin/env python3
"""GDAL's Arrow stream against feature-by-feature reading (docs/performance.md, "Reading
with Arrow").

    python3 scripts/bench/arrow_read.py build/bench-data/L

Reads villages.gpkg and stations.gpkg of a generated country (whitezone generate) twice each:
whole through GetArrowStreamAsNumPy(), then feature by feature with GetNextFeature() and
GetGeometryRef(), and prints the seconds of each.
"""
import sys
import time

from osgeo import ogr

ogr.UseExceptions()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for name in ("villages", "stations"):
        ds = ogr.Open(f"{sys.argv[1]}/{name}.gpkg")
        layer = ds.GetLayer(0)
        start = time.time()
        rows = 0
        for batch in layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO"]):
            rows += len(next(iter(batch.values())))
        arrow_s = time.time() - start
        layer.ResetReading()
        start = time.time()
        features = 0
        feature = layer.GetNextFeature()
        while feature is not None:
            features += 1
            feature.GetGeometryRef()
            feature = layer.GetNextFeature()
        loop_s = time.time() - start
        print(f"{name}: Arrow stream {rows} rows in {arrow_s:.2f} s; "
              f"GetNextFeature {features} features in {loop_s:.2f} s")


if __name__ == "__main__":
    main()
