"""Checks that whitezone, PostGIS and GeoPandas agree on every village's share_any and
share_broadband to TOL, and on the area_share status except within TOL of a threshold.
Exits 1 (loudly) on any disagreement.

Usage: compare.py WHITEZONE_OUT.gpkg POSTGIS.csv GEOPANDAS.csv
"""
import csv
import sys

from osgeo import ogr

TOL = 0.01
WHITE_BELOW, COVERED_FROM = 0.05, 0.80


def status(share):
    return "white" if share < WHITE_BELOW else "covered" if share >= COVERED_FROM else "partial"


def near_threshold(share):
    return abs(share - WHITE_BELOW) < TOL or abs(share - COVERED_FROM) < TOL


def read_csv(path):
    with open(path, newline="") as f:
        return {r["village_id"]: (float(r["share_any"]), float(r["share_broadband"]))
                for r in csv.DictReader(f)}


def main():
    ds = ogr.Open(sys.argv[1])
    layer = ds.GetLayer("villages")
    ours = {f["village_id"]: ((f["share_any"], f["share_broadband"]),
                              (f["status_any"], f["status_broadband"])) for f in layer}
    bad = 0
    for name, path in (("PostGIS", sys.argv[2]), ("GeoPandas", sys.argv[3])):
        if path == "-":
            continue
        theirs = read_csv(path)
        missing = set(ours) ^ set(theirs)
        if missing:
            print(f"compare: {name} and whitezone differ in villages: {sorted(missing)[:5]}")
            bad += len(missing)
        worst = 0.0
        for vid, (shares, statuses) in ours.items():
            if vid not in theirs:
                continue
            for k in (0, 1):
                diff = abs(shares[k] - theirs[vid][k])
                worst = max(worst, diff)
                if diff > TOL:
                    bad += 1
                    if bad <= 10:
                        print(f"compare: village {vid} class {k}: whitezone {shares[k]:.4f}, "
                              f"{name} {theirs[vid][k]:.4f}")
                elif statuses[k] != status(theirs[vid][k]) and not near_threshold(shares[k]):
                    bad += 1
                    print(f"compare: village {vid} class {k}: status {statuses[k]} vs "
                          f"{status(theirs[vid][k])} ({name})")
        print(f"compare: whitezone vs {name}: {len(theirs)} villages, largest share "
              f"difference {worst:.2e}")
    if bad:
        print(f"compare: FAILED, {bad} disagreements above {TOL}")
        sys.exit(1)


if __name__ == "__main__":
    main()
