"""The same job as `whitezone analyze` (status_rule "area_share") in GeoPandas/Shapely, in
the fastest honest formulation we know for Debian's GeoPandas: read, transform, buffer with
QUAD_SEGS segments per quarter circle (default 8, whitezone's), one unary_union per class, cut the union into 10 km tiles so
that the spatial index narrows each village to a few pieces, then sum intersection areas.

Usage: geopandas_job.py VILLAGES.gpkg STATIONS.gpkg OUT.csv [QUAD_SEGS]
"""
import sys

import geopandas as gpd
import pandas as pd
from shapely.geometry import box
from shapely.ops import unary_union

RADIUS = {"2G": 5000.0, "3G": 3000.0, "4G": 3500.0, "5G": 1000.0}
TILE = 10000.0


def tiles_of(geom):
    """The union cut into TILE-sized pieces (shapely 1.8 has no subdivide)."""
    minx, miny, maxx, maxy = geom.bounds
    pieces = []
    x = minx
    while x < maxx:
        y = miny
        while y < maxy:
            part = geom.intersection(box(x, y, x + TILE, y + TILE))
            if not part.is_empty:
                pieces.append(part)
            y += TILE
        x += TILE
    return gpd.GeoSeries(pieces, crs="EPSG:32648")


def shares(villages, pieces):
    joined = gpd.sjoin(villages[["village_id", "geometry"]],
                       gpd.GeoDataFrame(geometry=pieces), predicate="intersects")
    if joined.empty:
        return pd.Series(0.0, index=villages["village_id"])
    other = gpd.GeoSeries(pieces.loc[joined["index_right"]].values, index=joined.index,
                          crs=pieces.crs)
    covered = joined.geometry.intersection(other).area
    per_village = covered.groupby(joined["village_id"]).sum()
    area = villages.set_index("village_id").geometry.area
    return (per_village.reindex(area.index).fillna(0.0) / area).clip(0.0, 1.0)


def main():
    villages_path, stations_path, out_path = sys.argv[1:4]
    quad_segs = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    villages = gpd.read_file(villages_path).to_crs(32648)
    stations = gpd.read_file(stations_path).to_crs(32648)
    radius = stations["tech"].map(RADIUS)
    footprints = stations.geometry.buffer(radius, resolution=quad_segs)
    cov_any = unary_union(list(footprints))
    cov_bb = unary_union(list(footprints[stations["tech"] != "2G"]))
    out = pd.DataFrame({
        "share_any": shares(villages, tiles_of(cov_any)),
        "share_broadband": shares(villages, tiles_of(cov_bb)),
    })
    out.index.name = "village_id"
    out.to_csv(out_path)


if __name__ == "__main__":
    main()
