#!/usr/bin/env python3
"""Generate whitezone's sample province: villages, stations and residential clusters
inside the real commune frame of Lạng Sơn (Vietnam).

Real inputs (from --frame): the 2009 commune polygons, their Vietnamese names and census
population (censusVN2009) and the coarse ETOPO5 relief.  Everything at village scale is
generated from a fixed seed: village polygons and names, the population split, grid power,
residential clusters and the mobile network.  See data/README.md.

    python3 scripts/make_sample.py [--seed 20251] [--out data/] [--frame DIR]

Needs only Debian packages: python3-numpy, python3-gdal, python3-shapely (1.8).
"""

import argparse
import csv
import heapq
import math
import os
import sys
import warnings

try:
    import numpy as np
    from osgeo import gdal, ogr, osr
    from shapely import wkb
    from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, Polygon
    from shapely.ops import linemerge, polygonize, transform, unary_union, voronoi_diagram
    from shapely.prepared import prep
    from shapely.strtree import STRtree
except ImportError:
    # The libraries come from Debian packages, which only the system interpreter sees;
    # a pyenv/venv "python3" earlier on PATH would otherwise fail here.
    SYSTEM_PY = '/usr/bin/python3'
    if (os.path.exists(SYSTEM_PY)
            and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PY)):
        print(f'note: re-running under {SYSTEM_PY} (numpy/GDAL/shapely not importable here)',
              file=sys.stderr)
        os.execv(SYSTEM_PY, [SYSTEM_PY] + sys.argv)
    sys.exit('make_sample.py needs python3-numpy, python3-gdal and python3-shapely '
             '(apt-get install -y python3-numpy python3-gdal python3-shapely)')

# shapely 1.8 warns about its 2.0 API on every STRtree; the 1.8 behaviour is what we use.
warnings.filterwarnings('ignore', message='STRtree will be changed')
gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

DEFAULT_SEED = 20251
DEFAULT_FRAME = '/work/shared/data/vn_lang_son_sample'
UTM_EPSG = 32648                # UTM 48N: the engine's work CRS for Lạng Sơn

# The engine's default coverage model (disk per cell); the calibration below uses it.
RADIUS_M = {'2G': 5000.0, '3G': 3000.0, '4G': 3500.0, '5G': 1000.0}
BROADBAND = ('3G', '4G', '5G')
TECHS = ('2G', '3G', '4G', '5G')

TARGET_VILLAGES = 1650
# Calibration: with the base network (towns, road corridors, commune centres) alone,
# about 18% of villages are white for any signal and 35% for broadband; "fill" sites are
# then added until these shares are reached (any signal first, then broadband).
WHITE_ANY_FILL_TO = 0.18
WHITE_BB_FILL_TO = 0.30
WHITE_ANY_RANGE = (0.10, 0.33)  # the target from the brief; a warning is printed outside
REMOTE_ELEV_QUANTILE = 0.5      # "remote high" villages: higher than this share of villages
REMOTE_KM = (4.5, 6.0, 2.5)     # and at least this far (km) from roads, towns, commune centres
FIXED_DATE = '2025-01-01T00:00:00.000Z'   # GeoPackage last_change, for byte-stable output

OUTPUTS = ('villages.gpkg', 'stations.csv', 'settlements.gpkg')

# Independent random streams, so that changing one part of the generator does not
# reshuffle every other part.
S_RELIEF, S_SPLIT, S_EXCLAVE, S_ATTR, S_NAMES, S_SETTLE, S_SITES, S_ONAIR = range(1, 9)

# On-air dates (stations.csv `on_air`, for `whitezone trend`).  A site goes on air in a span of
# years that depends on the build step that placed it; the fill sites (the white-zone
# programmes) follow their order of choice over FILL_YEARS.  A cell cannot predate its
# technology in Vietnam (3G in late 2009, 4G in 2017, 5G in late 2024); it goes on air after
# both its site and the launch, within a few years.
STEP_YEARS = {1: (2004, 2008), 2: (2006, 2011), 3: (2008, 2015), 4: (2012, 2019)}
FILL_YEARS = ((2018, 0.05), (2019, 0.08), (2020, 0.10), (2021, 0.12), (2022, 0.20),
              (2023, 0.20), (2024, 0.15), (2025, 0.10))
TECH_LAUNCH = {'2G': (1995, 0), '3G': (2010, 4), '4G': (2017, 3), '5G': (2024, 1)}


def rng_for(seed, *keys):
    return np.random.default_rng([seed, *keys])


# ------------------------------------------------------------------------------ projection

class Projector:
    """lon/lat <-> UTM 48N through PROJ (the same path the engine takes)."""

    def __init__(self):
        ll = osr.SpatialReference()
        ll.ImportFromEPSG(4326)
        utm = osr.SpatialReference()
        utm.ImportFromEPSG(UTM_EPSG)
        for srs in (ll, utm):
            srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        self.ll = ll
        self._fwd = osr.CoordinateTransformation(ll, utm)
        self._inv = osr.CoordinateTransformation(utm, ll)

    @staticmethod
    def _apply(ct, xs, ys):
        pts = ct.TransformPoints([(float(x), float(y)) for x, y in zip(xs, ys)])
        return np.array([p[0] for p in pts]), np.array([p[1] for p in pts])

    def xy_to_utm(self, xs, ys):
        return self._apply(self._fwd, xs, ys)

    def xy_to_ll(self, xs, ys):
        return self._apply(self._inv, xs, ys)

    def to_utm(self, geom):
        return transform(lambda x, y, z=None: self._apply(self._fwd, x, y), geom)

    def to_ll(self, geom, decimals=8):
        # Rounding to 1e-8 deg (~1 mm) keeps files diff-stable across PROJ builds; shared
        # vertices round identically, so neighbouring villages still share exact edges.
        def f(x, y, z=None):
            lon, lat = self._apply(self._inv, x, y)
            return np.round(lon, decimals), np.round(lat, decimals)
        return transform(f, geom)


# ------------------------------------------------------------------------------ frame

def load_communes(frame_dir, proj):
    ds = ogr.Open(os.path.join(frame_dir, 'communes_census2009.geojson'))
    lyr = ds.GetLayer(0)
    communes = []
    for f in lyr:
        g = wkb.loads(bytes(f.GetGeometryRef().ExportToIsoWkb()))
        communes.append(dict(
            commune_id=f.GetField('commune_id'),
            commune=f.GetField('commune_vn'),
            district=f.GetField('district_vn'),
            province=f.GetField('province_vn'),
            population=f.GetField('population'),
            geom=proj.to_utm(g)))
    communes.sort(key=lambda c: c['commune_id'])
    return communes


def clean_partition(communes):
    """Make the communes an exact tiling.

    The frame's polygons were thinned one by one, so neighbours overlap in slivers and leave
    slivers of no-man's-land between them.  Villages must not overlap, so the plane is cut
    into the faces of all commune boundaries: a face inside several communes goes to the one
    with the lowest commune_id, a gap face to the neighbour it shares the longest edge with.
    Rebuilding every commune from one set of faces makes shared edges bit-identical.
    """
    geoms = [c['geom'] for c in communes]
    faces = list(polygonize(unary_union([g.boundary for g in geoms])))
    owner = [None] * len(faces)
    n_overlap = n_gap = 0
    area_overlap = area_gap = 0.0
    prepared = [prep(g) for g in geoms]
    for k, face in enumerate(faces):
        p = face.representative_point()
        inside = [i for i, g in enumerate(prepared) if g.contains(p)]
        if inside:
            owner[k] = inside[0]        # communes are sorted by commune_id
            if len(inside) > 1:
                n_overlap += 1
                area_overlap += face.area
        else:
            n_gap += 1
            area_gap += face.area
    for k, face in enumerate(faces):
        if owner[k] is not None:
            continue
        ring = face.boundary
        best, best_len = None, 0.0
        for i, g in enumerate(geoms):
            if g.distance(face) < 1.0:
                shared = ring.intersection(g.buffer(1.0)).length
                if shared > best_len:
                    best, best_len = i, shared
        owner[k] = best                 # None only for a face touching nothing (none seen)
    for i, c in enumerate(communes):
        parts = [f for f, o in zip(faces, owner) if o == i]
        c['geom'] = unary_union(parts)
    # Overlap faces can cut crumbs off a commune; a crumb joins the neighbour it shares
    # the longest edge with.
    for i, c in enumerate(communes):
        if not isinstance(c['geom'], MultiPolygon):
            continue
        for part in [p for p in c['geom'].geoms if p.area < 1e4]:
            ring = part.boundary

            def shared(k):
                return ring.intersection(communes[k]['geom'].buffer(1.0)).length
            j = max((k for k in range(len(communes)) if k != i), key=shared)
            communes[j]['geom'] = unary_union([communes[j]['geom'], part])
            c['geom'] = c['geom'].difference(part)
    return dict(overlap_faces=n_overlap, overlap_km2=area_overlap / 1e6,
                gap_faces=n_gap, gap_km2=area_gap / 1e6)


class Dem:
    """ETOPO5 grid, bilinear between pixel centres, clamped at the edges."""

    def __init__(self, path):
        ds = gdal.Open(path)
        self.gt = ds.GetGeoTransform()
        self.a = ds.GetRasterBand(1).ReadAsArray().astype(float)

    def __call__(self, lon, lat):
        gt, a = self.gt, self.a
        ny, nx = a.shape
        fx = np.clip((np.asarray(lon) - gt[0]) / gt[1] - 0.5, 0, nx - 1)
        fy = np.clip((np.asarray(lat) - gt[3]) / gt[5] - 0.5, 0, ny - 1)
        x0 = np.minimum(np.floor(fx).astype(int), nx - 2)
        y0 = np.minimum(np.floor(fy).astype(int), ny - 2)
        tx, ty = fx - x0, fy - y0
        return ((a[y0, x0] * (1 - tx) + a[y0, x0 + 1] * tx) * (1 - ty)
                + (a[y0 + 1, x0] * (1 - tx) + a[y0 + 1, x0 + 1] * tx) * ty)


class ValueNoise:
    """Smooth random field: random values on a square lattice, smoothstep-bilinear between.

    Only +, *, / and floor are used, so one point evaluates to the same bits whatever array
    it comes in: the boundary warp relies on that to move shared vertices identically.
    """

    def __init__(self, rng, bounds, spacing, amp):
        x0, y0, x1, y1 = bounds
        self.x0, self.y0, self.s = x0 - spacing, y0 - spacing, float(spacing)
        nx = int(math.ceil((x1 - x0) / spacing)) + 4
        ny = int(math.ceil((y1 - y0) / spacing)) + 4
        self.v = rng.uniform(-amp, amp, size=(ny, nx))

    def __call__(self, x, y):
        v = self.v
        ny, nx = v.shape
        fx = (np.asarray(x, float) - self.x0) / self.s
        fy = (np.asarray(y, float) - self.y0) / self.s
        ix = np.clip(np.floor(fx).astype(int), 0, nx - 2)
        iy = np.clip(np.floor(fy).astype(int), 0, ny - 2)
        tx = np.clip(fx - ix, 0.0, 1.0)
        ty = np.clip(fy - iy, 0.0, 1.0)
        tx = tx * tx * (3 - 2 * tx)
        ty = ty * ty * (3 - 2 * ty)
        return ((v[iy, ix] * (1 - tx) + v[iy, ix + 1] * tx) * (1 - ty)
                + (v[iy + 1, ix] * (1 - tx) + v[iy + 1, ix + 1] * tx) * ty)


class Relief:
    """Elevation in metres: ETOPO5 (real, ~9 km cells) plus synthetic hills at 1.5-5 km.

    ETOPO5 alone is far too smooth to tell a valley village from a ridge village, so seeded
    value noise adds that scale, stronger where ETOPO5 is already high (mountains are more
    broken).  Sampled once on a 500 m UTM grid; only used internally (roads, station
    siting, "remote high" villages), never written out.
    """

    STEP = 500.0

    def __init__(self, dem, proj, bounds, rng):
        x0, y0, x1, y1 = bounds
        self.xs = np.arange(x0 - 3000, x1 + 3000, self.STEP)
        self.ys = np.arange(y0 - 3000, y1 + 3000, self.STEP)
        X, Y = np.meshgrid(self.xs, self.ys)
        lon, lat = proj.xy_to_ll(X.ravel(), Y.ravel())
        base = dem(lon, lat).reshape(X.shape)
        hills = ValueNoise(rng, bounds, 5000, 1.0)(X, Y)
        knolls = ValueNoise(rng, bounds, 1800, 1.0)(X, Y)
        rugged = 0.6 + base / 600.0
        self.h = np.maximum(base + rugged * (150 * hills + 60 * knolls), 5.0)

    def __call__(self, x, y):
        fx = np.clip((np.asarray(x, float) - self.xs[0]) / self.STEP, 0, len(self.xs) - 1.001)
        fy = np.clip((np.asarray(y, float) - self.ys[0]) / self.STEP, 0, len(self.ys) - 1.001)
        ix, iy = np.floor(fx).astype(int), np.floor(fy).astype(int)
        tx, ty = fx - ix, fy - iy
        h = self.h
        return ((h[iy, ix] * (1 - tx) + h[iy, ix + 1] * tx) * (1 - ty)
                + (h[iy + 1, ix] * (1 - tx) + h[iy + 1, ix + 1] * tx) * ty)


# ------------------------------------------------------------------------------ towns, roads

def find_towns(communes):
    """The provincial city (its urban wards) and the district towns (thị trấn)."""
    towns = {}
    wards = [c for c in communes if c['commune'].startswith('Phường')]
    city = unary_union([c['geom'] for c in wards])
    towns['CITY'] = dict(name='Thành phố Lạng Sơn', geom=city, pt=city.centroid,
                         population=sum(c['population'] for c in wards), city=True)
    for c in communes:
        if c['commune'].startswith('Thị trấn'):
            towns[c['commune']] = dict(name=c['commune'], geom=c['geom'],
                                       pt=c['geom'].representative_point(),
                                       population=c['population'], city=False)
    return towns


# Corridors loosely following the national roads (QL1A, QL4A, QL1B, QL4B, QL279, QL31) and
# two provincial roads, as chains of towns.  The line itself is a least-cost path through
# the relief, so it runs along valleys; it is not the real road geometry.
ROADS = [
    ['Thị trấn Hữu Lũng', 'Thị trấn Chi Lăng', 'Thị trấn Đồng Mỏ', 'CITY', 'Thị trấn Đồng Đăng'],
    ['Thị trấn Đồng Đăng', 'Thị trấn Na Sầm', 'Thị trấn Thất Khê'],
    ['CITY', 'Thị trấn Văn Quan', 'Thị trấn Bình Gia', 'Thị trấn Bắc Sơn'],
    ['CITY', 'Thị trấn Lộc Bình', 'Thị trấn Đình Lập', 'Thị trấn Nông trường Thái Bình'],
    ['Thị trấn Lộc Bình', 'Thị trấn Na Dương'],
    ['Thị trấn Bình Gia', 'Thị trấn Thất Khê'],
    ['Thị trấn Bắc Sơn', 'Thị trấn Hữu Lũng'],
    ['Thị trấn Văn Quan', 'Thị trấn Đồng Mỏ'],
]


def least_cost_path(H, inside, step, start, goal):
    """Dijkstra on a grid, 8-neighbour moves; height and climbing cost extra, leaving the
    province costs a lot.  Plain lists: much faster than numpy scalars in this loop."""
    ny, nx = len(H), len(H[0])
    moves = [(dy, dx, math.hypot(dy, dx) * step)
             for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]
    best = {start: 0.0}
    prev = {}
    heap = [(0.0, start)]
    while heap:
        d, u = heapq.heappop(heap)
        if u == goal:
            break
        if d > best[u]:
            continue
        uy, ux = u
        h0 = H[uy][ux]
        for dy, dx, length in moves:
            vy, vx = uy + dy, ux + dx
            if not (0 <= vy < ny and 0 <= vx < nx):
                continue
            h1 = H[vy][vx]
            cost = length * (1 + (h0 + h1) / 600.0) * (1.0 if inside[vy][vx] else 8.0) \
                + 15.0 * abs(h1 - h0)
            nd = d + cost
            v = (vy, vx)
            if nd < best.get(v, math.inf):
                best[v] = nd
                prev[v] = u
                heapq.heappush(heap, (nd, v))
    path = [goal]
    while path[-1] != start:
        path.append(prev[path[-1]])
    return path[::-1]


def chaikin(coords, rounds=2):
    pts = np.asarray(coords, float)
    for _ in range(rounds):
        q = 0.75 * pts[:-1] + 0.25 * pts[1:]
        r = 0.25 * pts[:-1] + 0.75 * pts[1:]
        mid = np.empty((2 * len(q), 2))
        mid[0::2], mid[1::2] = q, r
        pts = np.vstack([pts[:1], mid, pts[-1:]])
    return pts


def make_roads(towns, relief, province):
    stride = 2                               # 1 km grid is plenty for corridors
    xs, ys = relief.xs[::stride], relief.ys[::stride]
    H = relief.h[::stride, ::stride].tolist()
    pprov = prep(province.buffer(1000))
    inside = [[pprov.contains(Point(x, y)) for x in xs] for y in ys]
    step = Relief.STEP * stride

    def node(pt):
        return (int(round((pt.y - ys[0]) / step)), int(round((pt.x - xs[0]) / step)))

    roads = []
    for chain in ROADS:
        for a, b in zip(chain[:-1], chain[1:]):
            pa, pb = towns[a]['pt'], towns[b]['pt']
            path = least_cost_path(H, inside, step, node(pa), node(pb))
            coords = [(xs[j], ys[i]) for i, j in path]
            coords[0], coords[-1] = (pa.x, pa.y), (pb.x, pb.y)
            line = LineString(coords).simplify(600)
            roads.append(LineString(chaikin(line.coords)))
    return roads


# ------------------------------------------------------------------------------ villages

def village_counts(communes):
    """Villages per commune: urban wards and towns by population (khối/khu of ~1,000
    people), rural communes by a mix of population and area (sparse mountain communes
    still have many small thôn), scaled to TARGET_VILLAGES."""
    counts, rural_raw = {}, {}
    for c in communes:
        pop, area = c['population'], c['geom'].area / 1e6
        if c['commune'].startswith('Phường'):
            counts[c['commune_id']] = int(np.clip(round(pop / 1100), 6, 12))
        elif c['commune'].startswith('Thị trấn'):
            counts[c['commune_id']] = int(np.clip(round(pop / 700), 4, 11))
        else:
            rural_raw[c['commune_id']] = 0.7 * pop / 430 + 0.3 * area / 3.5
    k = (TARGET_VILLAGES - sum(counts.values())) / sum(rural_raw.values())
    for cid, raw in rural_raw.items():
        counts[cid] = max(3, int(round(raw * k)))
    return counts


def random_points_in(geom, n, rng, max_tries=100000):
    pg = prep(geom)
    x0, y0, x1, y1 = geom.bounds
    pts = []
    tries = 0
    while len(pts) < n and tries < max_tries:
        tries += 1
        p = Point(rng.uniform(x0, x1), rng.uniform(y0, y1))
        if pg.contains(p):
            pts.append(p)
    return pts


def voronoi_cells(geom, seeds):
    """Voronoi cells of the seeds, clipped to geom, in seed order."""
    env = geom.envelope.buffer(max(geom.bounds[2] - geom.bounds[0],
                                   geom.bounds[3] - geom.bounds[1]))
    regions = list(voronoi_diagram(MultiPoint(seeds), envelope=env).geoms)
    cells = []
    for s in seeds:
        region = next(r for r in regions if r.contains(s))
        cells.append(region.intersection(geom))
    return cells


def densify(coords, spacing):
    out = [coords[0]]
    for a, b in zip(coords[:-1], coords[1:]):
        seg = math.hypot(b[0] - a[0], b[1] - a[1])
        k = max(1, int(math.ceil(seg / spacing)))
        for i in range(1, k):
            t = i / k
            out.append((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
        out.append(b)
    return np.array(out)


def split_commune(geom, n, rng):
    """Plan the split of a commune into n villages.

    Seeds: uniform random, two Lloyd steps (so sizes vary, but not absurdly).  Cells:
    Voronoi, clipped.  Irregular edges: every interior edge is densified and pushed around
    by a smooth random displacement that fades to zero at the commune boundary, gentle
    enough to be a homeomorphism, so edges cannot cross (checked here with a local
    polygonize; the amplitude is halved until it holds).

    Returns the warped interior edges (each end that meets the boundary stretched 1 m past
    it), the cells and the warped seeds.  The faces themselves are built province-wide by
    build_villages, from one noding of all edges: a local noding puts the points where
    village edges meet the commune boundary on one side only (T-junctions, which drift
    apart by centimetres once reprojected to lon/lat), and GEOS may nudge them by a few
    millimetres.
    """
    seeds = random_points_in(geom, n, rng)
    n = len(seeds)
    for _ in range(2):
        cells = voronoi_cells(geom, seeds)
        moved = []
        for c, s in zip(cells, seeds):
            ctr = c.centroid
            moved.append(ctr if geom.contains(ctr) else s)
        if len({(p.x, p.y) for p in moved}) == n:
            seeds = moved
    cells = voronoi_cells(geom, seeds)
    if n == 1:
        return dict(lines=[], cells=cells, wseeds=seeds)

    scale = math.sqrt(geom.area / n)
    boundary = geom.boundary
    near_boundary = boundary.buffer(0.01)
    noded = unary_union([c.boundary for c in cells] + [boundary])
    on_boundary, interior = [], []
    for ln in getattr(noded, 'geoms', [noded]):
        (on_boundary if near_boundary.contains(ln) else interior).append(ln)
    merged = linemerge(interior)
    interior = list(getattr(merged, 'geoms', [merged]))

    bounds = geom.bounds
    fields = [(ValueNoise(rng, bounds, 0.8 * scale, 0.1 * scale),
               ValueNoise(rng, bounds, 0.8 * scale, 0.1 * scale)),
              (ValueNoise(rng, bounds, 0.3 * scale, 0.035 * scale),
               ValueNoise(rng, bounds, 0.3 * scale, 0.035 * scale)),
              (ValueNoise(rng, bounds, 0.14 * scale, 0.012 * scale),
               ValueNoise(rng, bounds, 0.14 * scale, 0.012 * scale))]
    taper_len = 0.35 * scale

    def warp(pts, amp):
        pts = np.asarray(pts, float)
        d = np.array([boundary.distance(Point(p)) for p in pts])
        t = np.clip(d / taper_len, 0.0, 1.0) * amp
        dx = sum(fx(pts[:, 0], pts[:, 1]) for fx, _ in fields)
        dy = sum(fy(pts[:, 0], pts[:, 1]) for _, fy in fields)
        return pts + np.c_[t * dx, t * dy]

    seed_xy = np.array([(s.x, s.y) for s in seeds])
    pgeom = prep(geom)
    for amp in (1.0, 0.5, 0.25, 0.0):
        lines, ends = [], []
        for ln in interior:
            dense = densify(list(ln.coords), 0.08 * scale)
            w = warp(dense, amp)
            on_b = [boundary.distance(Point(dense[e])) < 1e-6 for e in (0, -1)]
            # Ends on the commune boundary stay put, or the ring would open.
            for e, fixed in zip((0, -1), on_b):
                if fixed:
                    w[e] = dense[e]
            lines.append(LineString(w))
            ends.append(on_b)
        faces = [f for f in polygonize(on_boundary + lines)
                 if f.area > 1.0 and pgeom.contains(f.representative_point())]
        total = sum(f.area for f in faces)
        if abs(total - geom.area) > 1e-6 * geom.area or not all(f.is_valid for f in faces):
            continue
        wseeds = [Point(p) for p in warp(seed_xy, amp)]
        main = [next((k for k, f in enumerate(faces) if f.contains(p)), None) for p in wseeds]
        if None in main or len(set(main)) != n:
            continue
        break
    else:
        raise RuntimeError('could not split commune')

    # Overshoot the boundary so that the province-wide noding finds every crossing anew.
    stretched = []
    for ln, (b0, b1) in zip(lines, ends):
        xy = np.array(ln.coords)
        for fixed, e, inner in ((b0, 0, 1), (b1, -1, -2)):
            if fixed:
                step = xy[e] - xy[inner]
                xy[e] = xy[e] + step / np.hypot(*step) * 1.0
        stretched.append(LineString(xy))
    return dict(lines=stretched, cells=cells, wseeds=wseeds)


def build_villages(communes, plans):
    """Faces of all commune boundaries and village edges, noded together once, grouped
    into villages.  Shared edges come out bit-identical on both sides."""
    noded = unary_union([c['geom'].boundary for c in communes]
                        + [ln for p in plans for ln in p['lines']])
    faces = list(polygonize(noded))             # overshoot dangles are not faces
    prepared = [prep(c['geom']) for c in communes]
    tree = STRtree([c['geom'] for c in communes])
    index = {id(c['geom']): i for i, c in enumerate(communes)}
    in_commune = [[] for _ in communes]
    for f in faces:
        p = f.representative_point()
        hits = [index[id(g)] for g in tree.query(p) if prepared[index[id(g)]].contains(p)]
        if hits:
            in_commune[hits[0]].append(f)

    out = []
    for c, plan, faces in zip(communes, plans, in_commune):
        cells, wseeds = plan['cells'], plan['wseeds']
        n = len(cells)
        # A village's main part is the face holding its warped seed.
        owner = {}
        for i, p in enumerate(wseeds):
            k = next((k for k, f in enumerate(faces) if f.contains(p)), None)
            if k is None or k in owner:
                raise RuntimeError(f"commune {c['commune_id']}: village faces do not match "
                                   'the planned split')
            owner[k] = i
        extras = [k for k in range(len(faces)) if k not in owner]
        main_area = {i: faces[k].area for k, i in owner.items()}
        # Extra faces: far-flung parts of cells that wrapped round a bend of the commune,
        # or noding crumbs.  They go to the cell they overlap most...
        for k in extras:
            owner[k] = max(range(n), key=lambda i: faces[k].intersection(cells[i]).area)
        # ...and, if small, to the neighbour they share most edge with; big ones stay as a
        # second part (a true multipolygon village).
        for k in extras:
            i = owner[k]
            if faces[k].area >= 0.25 * main_area[i]:
                continue
            best, best_len = i, 0.0
            for j, f in enumerate(faces):
                if j != k and owner[j] != i:
                    shared = faces[k].intersection(f).length
                    if shared > best_len:
                        best, best_len = owner[j], shared
            owner[k] = best
        out.append([unary_union([faces[k] for k in owner if owner[k] == i]) for i in range(n)])
    return out


def carve_exclaves(villages, by_id, rng, count):
    """Give a few villages a detached patch inside a neighbour (fields or a hamlet across a
    ridge): the village becomes a multipolygon, the neighbour a polygon with a hole."""
    done = 0
    order = rng.permutation(len(villages))
    for i in order:
        if done == count:
            break
        host = villages[i]
        g = host['geom']
        urban = host['commune'].startswith(('Phường', 'Thị trấn'))
        if urban or not isinstance(g, Polygon) or g.area < 1.5e6:
            continue
        # The recipient: the neighbour in the same commune with the longest common edge.
        nbrs = [v for v in by_id[host['commune_id']] if v is not host
                and isinstance(v['geom'], Polygon) and not v['geom'].interiors]
        shared = [(g.intersection(v['geom']).length, k) for k, v in enumerate(nbrs)]
        shared = [t for t in shared if t[0] > 0]
        if not shared:
            continue
        other = nbrs[max(shared)[1]]
        r = 0.12 * math.sqrt(g.area)
        room = g.buffer(-2.5 * r)
        if room.is_empty:
            continue
        c = random_points_in(room, 1, rng)
        if not c:
            continue
        ang = np.linspace(0, 2 * math.pi, 15)[:-1]
        rad = r * rng.uniform(0.7, 1.3, len(ang))
        patch = Polygon(np.c_[c[0].x + rad * np.cos(ang), c[0].y + rad * np.sin(ang)])
        host['geom'] = g.difference(patch)
        other['geom'] = unary_union([other['geom'], patch])
        done += 1
    return done


# ------------------------------------------------------------------------------ names

# Tày-Nùng place-name syllables common in Lạng Sơn: nà = rice field, khuổi = stream,
# pác = mouth, lủng = closed valley, phai = weir, pò = hill, kéo = pass, nặm = water,
# bó = spring, khau = mountain, cốc = foot of, phiêng = flat land ...
NAME_HEAD = ['Nà'] * 5 + ['Khuổi'] * 3 + ['Pác'] * 3 + ['Bản'] * 3 + [
    'Lủng', 'Phai', 'Pò', 'Kéo', 'Nặm', 'Bó', 'Khau', 'Cốc', 'Còn', 'Hang', 'Phiêng',
    'Khòn', 'Tà', 'Co', 'Slam', 'Keng', 'Khum', 'Lũng', 'Thâm', 'Pá', 'Khưa']
NAME_TAIL = [
    'Pàn', 'Luông', 'Cáp', 'Sla', 'Mạ', 'Nưa', 'Tẩu', 'Làng', 'Lầy', 'Hin', 'Mò', 'Pe',
    'Riềng', 'Sào', 'Cạn', 'Pất', 'Thuộc', 'Khoang', 'Vằn', 'Slưởng', 'Cháo', 'Piầng',
    'Quang', 'Nhừ', 'Mu', 'Chang', 'Pia', 'Cọ', 'Phát', 'Ngần', 'Ràng', 'Mới', 'Rọ', 'Đon',
    'Bây', 'Khao', 'Cậy', 'Lìn', 'Tổng', 'Nọi', 'Thin', 'Mặn', 'Coóc', 'Pựt', 'Deng',
    'Hẩu', 'Kheo', 'Thàn', 'Lếch', 'Còi', 'Chè', 'Khẻ', 'Nghiều', 'Chu', 'Tát', 'Páo']
# Kinh-style names, commoner in the lowland south (Hữu Lũng, Chi Lăng).
NAME_KINH = [
    'Tân Lập', 'Đồng Tâm', 'Trung Tâm', 'Hòa Bình', 'Quyết Thắng', 'Tân Tiến', 'Đồng Tiến',
    'Thống Nhất', 'Liên Hợp', 'Tân Hoa', 'Minh Khai', 'Đoàn Kết', 'Hợp Thành', 'Làng Mới',
    'Bình An', 'Phúc Tiến', 'Tiến Bộ', 'Thành Công', 'Đồng Quang', 'Tân Thành',
    'Hưng Thịnh', 'Làng Chiềng', 'Cầu Đá', 'Đồng Bục', 'Tân Hòa', 'Hố Quân', 'Đồng Mạ']
KINH_SHARE = {'Huyện Hữu Lũng': 0.45, 'Huyện Chi Lăng': 0.3}


def village_names(commune, district, n, rng):
    if commune.startswith('Phường'):
        return [f'Khối {k}' for k in range(1, n + 1)]
    if commune.startswith('Thị trấn'):
        return [f'Khu {k}' for k in range(1, n + 1)]
    # A commune mostly uses one word for its villages.
    usual = rng.choice(['Thôn', 'Bản', 'Xóm'], p=[0.7, 0.2, 0.1])
    kinh = KINH_SHARE.get(district, 0.05)
    names, seen = [], set()
    for _ in range(n):
        for _attempt in range(50):
            kind = usual if rng.random() < 0.85 else rng.choice(['Thôn', 'Bản', 'Xóm'])
            if rng.random() < kinh:
                stem = rng.choice(NAME_KINH)
            else:
                stem = f'{rng.choice(NAME_HEAD)} {rng.choice(NAME_TAIL)}'
            if stem.startswith('Bản '):
                kind = 'Thôn'           # "Thôn Bản Chang", never "Bản Bản Chang"
            name = f'{kind} {stem}'
            if stem not in seen:
                break
        else:
            name = f'{name} {len(names) + 1}'
        seen.add(stem)
        names.append(name)
    return names


# ------------------------------------------------------------------------------ attributes

def split_integer(total, weights, minimum):
    """Integers >= minimum, summing exactly to total, proportional to weights
    (largest remainder)."""
    n = len(weights)
    base = min(minimum, total // n)
    rest = total - base * n
    share = np.asarray(weights, float) / np.sum(weights) * rest
    out = np.floor(share).astype(int)
    order = np.argsort(-(share - out), kind='stable')[: rest - out.sum()]
    out[order] += 1
    return out + base


def make_settlements(geom, households, rng, relief):
    """1-6 hamlet points inside the village, more in large villages; hamlets prefer low
    ground.  The first often sits near the village centre (the cultural house)."""
    area_km2 = geom.area / 1e6
    k = int(min(6, households, 1 + rng.poisson(min(0.45 * area_km2, 4.0))))
    inner = geom.buffer(-20)
    if inner.is_empty or inner.area < 0.2 * geom.area:
        inner = geom
    pin = prep(inner)
    centre = geom.representative_point()
    pts = []
    if rng.random() < 0.6:
        for _ in range(30):
            p = Point(centre.x + rng.normal(0, 150), centre.y + rng.normal(0, 150))
            if pin.contains(p):
                pts.append(p)
                break
    min_gap = 0.15 * math.sqrt(geom.area)
    tries = 0
    while len(pts) < k and tries < 40:
        tries += 1
        cand = random_points_in(inner, 5, rng, max_tries=2000)
        cand = [p for p in cand if all(p.distance(q) >= min_gap for q in pts)]
        if cand:
            pts.append(min(cand, key=lambda p: float(relief(p.x, p.y))))
    if not pts:
        pts = [inner.representative_point()]
    alpha = np.ones(len(pts))
    alpha[0] = 2.5                              # one main hamlet, smaller outliers
    hh = split_integer(households, rng.dirichlet(alpha), 1)
    return list(zip(pts, hh.tolist()))


# ------------------------------------------------------------------------------ stations

OPERATOR_CODE = {'Viettel': 'VTL', 'VinaPhone': 'VNP', 'MobiFone': 'MBF', 'Vietnamobile': 'VNM'}

# Chance that a site carries each technology.  4G is nearly everywhere by now; 3G is
# patchier in the countryside, and 2G, being retired, no longer on every rural site.
TECH_P = {
    ('Viettel', 'urban'): {'2G': 0.85, '3G': 0.9, '4G': 1.0},
    ('Viettel', 'rural'): {'2G': 0.65, '3G': 0.6, '4G': 0.95},
    ('VinaPhone', 'urban'): {'2G': 0.8, '3G': 0.85, '4G': 0.95},
    ('VinaPhone', 'rural'): {'2G': 0.6, '3G': 0.5, '4G': 0.8},
    ('MobiFone', 'urban'): {'2G': 0.8, '3G': 0.85, '4G': 0.95},
    ('MobiFone', 'rural'): {'2G': 0.6, '3G': 0.5, '4G': 0.8},
    ('Vietnamobile', 'urban'): {'2G': 0.7, '3G': 0.8, '4G': 0.6},
    ('Vietnamobile', 'rural'): {'2G': 0.8, '3G': 0.4, '4G': 0.3},
}
SECTOR_P = {'urban': 0.4, 'rural': 0.2}     # 4G as three 120-degree sectors


class Network:
    def __init__(self, rng, province):
        self.rng = rng
        self.sites = []
        self.pprov = prep(province)
        self.step = 0       # the build step adding sites now (recorded for the on-air dates)

    def near(self, op, p, dist):
        return any(s['op'] == op and math.hypot(s['x'] - p.x, s['y'] - p.y) < dist
                   for s in self.sites)

    def add(self, op, p, setting, five_g=False, techs=None):
        if not self.pprov.contains(p):
            return None
        rng = self.rng
        if techs is None:
            techs = [t for t, pr in TECH_P[(op, setting)].items() if rng.random() < pr]
        if not techs:
            techs = ['4G']
        if five_g:
            techs.append('5G')
        lo, hi = (18, 36) if setting == 'urban' else (30, 51)
        site = dict(op=op, x=p.x, y=p.y, techs=techs, setting=setting, step=self.step,
                    height=int(rng.integers(lo, hi)),
                    sectors=('4G' in techs and rng.random() < SECTOR_P[setting]),
                    beam=int(rng.choice([65, 65, 90, 90, 105, 120])))
        self.sites.append(site)
        return site

    def radius(self, site, classes):
        r = [RADIUS_M[t] for t in site['techs'] if t in classes]
        return max(r) if r else 0.0


def best_candidate(geom, rng, taken, k=12):
    """Mitchell's best-candidate: of k random points, the one farthest from those taken."""
    cand = random_points_in(geom, k, rng, max_tries=20000)
    if not taken:
        return cand[0]
    return max(cand, key=lambda p: min(p.distance(q) for q in taken))


def offset(p, rng, lo, hi):
    ang = rng.uniform(0, 2 * math.pi)
    r = rng.uniform(lo, hi)
    return Point(p.x + r * math.cos(ang), p.y + r * math.sin(ang))


def build_network(rng, province, towns, roads, villages, centres_xy):
    net = Network(rng, province)

    # 1. The city: every operator, denser, Viettel and VinaPhone with a few 5G cells.
    net.step = 1
    city = towns['CITY']
    for op, n, n5 in (('Viettel', 10, 4), ('VinaPhone', 5, 2), ('MobiFone', 5, 0),
                      ('Vietnamobile', 2, 0)):
        taken = []
        for i in range(n):
            p = best_candidate(city['geom'], rng, taken)
            taken.append(p)
            net.add(op, p, 'urban', five_g=i < n5)

    # 2. District towns.
    net.step = 2
    for t in towns.values():
        if t['city']:
            continue
        area = t['geom'].buffer(600)
        plan = [('Viettel', 1 + (t['population'] > 4000) + (t['population'] > 6500)),
                ('VinaPhone', 1), ('MobiFone', 1),
                ('Vietnamobile', 1 if t['population'] > 6000 else 0)]
        for op, n in plan:
            taken = [Point(s['x'], s['y']) for s in net.sites if s['op'] == op]
            for _ in range(n):
                p = best_candidate(area, rng, taken)
                taken.append(p)
                net.add(op, p, 'urban')

    # 3. Along the road corridors, at a spacing per operator.
    net.step = 3
    for road in roads:
        for op, spacing in (('Viettel', 12000), ('VinaPhone', 20000), ('MobiFone', 20000),
                            ('Vietnamobile', 30000)):
            d = rng.uniform(0.3, 1.0) * spacing
            while d < road.length:
                p = offset(road.interpolate(d + rng.uniform(-800, 800)), rng, 80, 400)
                if not net.near(op, p, 0.55 * spacing):
                    net.add(op, p, 'rural')
                d += spacing

    # 4. Commune centres of the rural communes.
    net.step = 4
    for v in villages:
        if not v['is_centre'] or v['commune'].startswith(('Phường', 'Thị trấn')):
            continue
        hub = v['main_hamlet']
        for op, pr, gap in (('Viettel', 0.5, 3500), ('VinaPhone', 0.25, 5000),
                            ('MobiFone', 0.25, 5000), ('Vietnamobile', 0.03, 8000)):
            p = offset(hub, rng, 100, 500)
            if rng.random() < pr and not net.near(op, p, gap):
                net.add(op, p, 'rural')

    # 5. Fill: while too many villages are white, put a site at the most deserving white
    #    village, first for any signal, then for broadband.  These are the newer towers of
    #    the white-zone programmes: mostly 4G only (Vietnam is retiring 2G).  A tower needs
    #    mains power, so only villages on the grid qualify: what stays white is mostly
    #    remote, high, small and off-grid, as in the provinces' reports.
    cx, cy = centres_xy[:, 0], centres_xy[:, 1]

    def covered(classes):
        cov = np.zeros(len(cx), bool)
        for s in net.sites:
            r = net.radius(s, classes)
            if r:
                cov |= np.hypot(cx - s['x'], cy - s['y']) <= r
        return cov

    n_initial = len(net.sites)
    net.step = 5
    score = np.array([v['households'] * math.exp(-v['elev'] / 300) for v in villages])
    score *= rng.uniform(0.5, 1.5, len(villages))
    order = [i for i in np.argsort(-score, kind='stable') if villages[i]['has_power']]
    for classes, target in ((TECHS, WHITE_ANY_FILL_TO), (BROADBAND, WHITE_BB_FILL_TO)):
        cov = covered(classes)
        for i in order:
            if 1 - cov.mean() <= target:
                break
            if cov[i]:
                continue
            op = rng.choice(['Viettel', 'VinaPhone', 'MobiFone'], p=[0.7, 0.15, 0.15])
            techs = ['4G'] if rng.random() < 0.8 else ['2G', '4G']
            s = net.add(op, offset(villages[i]['main_hamlet'], rng, 100, 600), 'rural',
                        techs=techs)
            if s:
                cov |= np.hypot(cx - s['x'], cy - s['y']) <= net.radius(s, classes)
    return net, n_initial


def on_air_dates(net, rng):
    """Per site, the on-air date of each technology, as 'YYYY-MM-DD' (the rows' `on_air`).
    Draws only from its own stream, so the rest of the sample does not change."""
    fill = [s for s in net.sites if s['step'] == 5]
    bounds = np.cumsum([share for _, share in FILL_YEARS])
    for k, s in enumerate(fill):
        i = int(np.searchsorted(bounds, (k + 0.5) / len(fill)))
        s['year'] = FILL_YEARS[min(i, len(FILL_YEARS) - 1)][0]
    for s in net.sites:
        if s['step'] != 5:
            lo, hi = STEP_YEARS[s['step']]
            s['year'] = int(rng.integers(lo, hi + 1))
        s['on_air'] = {}
        for tech in TECHS:
            launch, lag = TECH_LAUNCH[tech]
            year = max(s['year'], launch + int(rng.integers(0, lag + 1)))
            s['on_air'][tech] = f'{min(year, 2025)}-{int(rng.integers(1, 13)):02d}-' \
                                f'{int(rng.integers(1, 29)):02d}'


def station_rows(net, proj):
    rows = []
    counters = {}
    xs = np.array([s['x'] for s in net.sites])
    ys = np.array([s['y'] for s in net.sites])
    lon, lat = proj.xy_to_ll(xs, ys)
    for s, lo, la in zip(net.sites, lon, lat):
        code = OPERATOR_CODE[s['op']]
        counters[code] = counters.get(code, 0) + 1
        site_id = f'LSN-{code}-{counters[code]:04d}'
        for tech in TECHS:
            if tech not in s['techs']:
                continue
            base = [site_id, s['op'], tech, f'{lo:.6f}', f'{la:.6f}', str(s['height'])]
            if tech == '4G' and s['sectors']:
                for az in (0, 120, 240):
                    rows.append(base + [str(az), str(s['beam']), s['on_air'][tech]])
            else:
                rows.append(base + ['', '', s['on_air'][tech]])
    return rows


# ------------------------------------------------------------------------------ writing

def write_gpkg(path, layer_name, geom_type, fields, features, srs):
    """Write one layer to a fresh GeoPackage, via a temporary file so that a failed run
    never leaves a half-written output behind."""
    tmp = os.path.join(os.path.dirname(path), '.tmp-' + os.path.basename(path))
    for p in (tmp, tmp + '-journal', tmp + '-wal', tmp + '-shm'):
        if os.path.exists(p):
            os.remove(p)
    drv = ogr.GetDriverByName('GPKG')
    ds = drv.CreateDataSource(tmp)
    lyr = ds.CreateLayer(layer_name, srs, geom_type, ['FID=fid', 'GEOMETRY_NAME=geom'])
    for name, ftype in fields:
        lyr.CreateField(ogr.FieldDefn(name, ftype))
    defn = lyr.GetLayerDefn()
    lyr.StartTransaction()
    for geom, attrs in features:
        f = ogr.Feature(defn)
        for name, _ in fields:
            f.SetField(name, attrs[name])
        f.SetGeometry(ogr.CreateGeometryFromWkb(geom.wkb))
        lyr.CreateFeature(f)
    lyr.CommitTransaction()
    ds = None
    os.replace(tmp, path)


def write_csv(path, header, rows):
    tmp = os.path.join(os.path.dirname(path), '.tmp-' + os.path.basename(path))
    with open(tmp, 'w', newline='', encoding='utf-8') as fh:
        w = csv.writer(fh, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)
    os.replace(tmp, path)


# ------------------------------------------------------------------------------ check

def white_shares(out_dir, proj, wedges=False):
    """Re-read the written files and classify every village the way the engine's default
    does: disk per cell, centre = point on surface (in UTM), clusters from settlements.
    With wedges, sector cells reach only within beamwidth/2 of their azimuth (grid north),
    as the engine models cells that carry an azimuth and a beamwidth."""
    ds = ogr.Open(os.path.join(out_dir, 'villages.gpkg'))
    ids, centres = [], []
    for f in ds.GetLayer('villages'):
        g = proj.to_utm(wkb.loads(bytes(f.GetGeometryRef().ExportToIsoWkb())))
        p = g.representative_point()
        ids.append(f.GetField('village_id'))
        centres.append((p.x, p.y))
    ds = ogr.Open(os.path.join(out_dir, 'settlements.gpkg'))
    hamlets = {}
    for f in ds.GetLayer('settlements'):
        g = f.GetGeometryRef()
        hamlets.setdefault(f.GetField('village_id'), []).append((g.GetX(), g.GetY()))
    with open(os.path.join(out_dir, 'stations.csv'), encoding='utf-8') as fh:
        cells = list(csv.DictReader(fh))
    sx, sy = proj.xy_to_utm([float(c['lon']) for c in cells], [float(c['lat']) for c in cells])
    sr = np.array([RADIUS_M[c['tech']] for c in cells])
    bb = np.array([c['tech'] in BROADBAND for c in cells])
    sector = np.array([wedges and c['azimuth_deg'] != '' for c in cells])
    az = np.array([float(c['azimuth_deg'] or 0) for c in cells])
    half_bw = np.array([float(c['beamwidth_deg'] or 360) / 2 for c in cells])

    def cov(x, y, mask):
        dx, dy = x[:, None] - sx[None, mask], y[:, None] - sy[None, mask]
        ok = np.hypot(dx, dy) <= sr[None, mask]
        off = np.abs((np.degrees(np.arctan2(dx, dy)) - az[None, mask] + 180) % 360 - 180)
        return (ok & (~sector[None, mask] | (off <= half_bw[None, mask]))).any(axis=1)

    c = np.array(centres)
    hx, hy, hv = [], [], []
    for k, vid in enumerate(ids):
        for lon, lat in hamlets.get(vid, []):
            hx.append(lon)
            hy.append(lat)
            hv.append(k)
    hx, hy = proj.xy_to_utm(hx, hy)
    hv = np.array(hv)
    result = {}
    for cls, mask in (('any', np.ones(len(cells), bool)), ('broadband', bb)):
        centre_ok = cov(c[:, 0], c[:, 1], mask)
        hamlet_ok = cov(hx, hy, mask)
        some_hamlet_dark = np.zeros(len(ids), bool)
        some_hamlet_dark[hv[~hamlet_ok]] = True
        result[cls] = dict(white=float((~centre_ok).mean()), white_mask=~centre_ok,
                           partial=float((centre_ok & some_hamlet_dark).mean()))
    return result


# ------------------------------------------------------------------------------ main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--seed', type=int, default=DEFAULT_SEED,
                    help='random seed (default %(default)s)')
    repo_data = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                              os.pardir, 'data'))
    ap.add_argument('--out', default=repo_data,
                    help="output directory (default: the repository's data/, %(default)s)")
    ap.add_argument('--frame', default=os.environ.get('WHITEZONE_FRAME', DEFAULT_FRAME),
                    help='directory with communes_census2009.geojson and dem_etopo5.tif '
                         '(default $WHITEZONE_FRAME or %(default)s)')
    args = ap.parse_args(argv)
    seed = args.seed
    os.makedirs(args.out, exist_ok=True)
    for name in OUTPUTS:
        path = os.path.join(args.out, name)
        if os.path.exists(path):
            os.remove(path)
    gdal.SetConfigOption('OGR_CURRENT_DATE', FIXED_DATE)

    proj = Projector()
    communes = load_communes(args.frame, proj)
    fix = clean_partition(communes)
    province = unary_union([c['geom'] for c in communes])
    relief = Relief(Dem(os.path.join(args.frame, 'dem_etopo5.tif')), proj, province.bounds,
                    rng_for(seed, S_RELIEF))
    towns = find_towns(communes)
    roads = make_roads(towns, relief, province)
    road_net = unary_union(roads)
    town_pts = [t['pt'] for t in towns.values()]

    # Villages: geometry, then attributes that depend on where they ended up.
    counts = village_counts(communes)
    plans = [split_commune(c['geom'], counts[c['commune_id']],
                           rng_for(seed, S_SPLIT, c['commune_id'])) for c in communes]
    villages = []
    for c, parts in zip(communes, build_villages(communes, plans)):
        cid = c['commune_id']
        # Number from the north-west, so ids read roughly like a map.
        pts = [g.representative_point() for g in parts]
        order = sorted(range(len(parts)), key=lambda i: (-round(pts[i].y, -2), pts[i].x))
        names = village_names(c['commune'], c['district'], len(parts),
                              rng_for(seed, S_NAMES, cid))
        for k, i in enumerate(order, 1):
            villages.append(dict(
                village_id=f'{cid}-{k:03d}', name=names[k - 1], commune_id=cid,
                commune=c['commune'], district=c['district'], province=c['province'],
                geom=parts[i]))
    by_commune = {}
    for v in villages:
        by_commune.setdefault(v['commune_id'], []).append(v)
    n_exclaves = carve_exclaves(villages, by_commune, rng_for(seed, S_EXCLAVE), 8)
    for v in villages:
        p = v['geom'].representative_point()
        v.update(centre=p, elev=float(relief(p.x, p.y)), road_km=road_net.distance(p) / 1000,
                 town_km=min(p.distance(t) for t in town_pts) / 1000)

    # The commune centre (people's committee, school, market) sits in a low village near
    # the middle of the commune; mains power and the first tower came there first.
    for c in communes:
        vs = by_commune[c['commune_id']]
        mid = c['geom'].representative_point()
        hub = max(vs, key=lambda v: -v['elev'] - 0.03 * v['centre'].distance(mid))
        for v in vs:
            v['is_centre'] = v is hub
    hubs = unary_union([v['centre'] for v in villages if v['is_centre']])
    elev = np.array([v['elev'] for v in villages])
    high = np.quantile(elev, REMOTE_ELEV_QUANTILE)
    for v in villages:
        # "Remote and high": above the valleys and beyond the reach (in kilometres) of the
        # roads, towns and commune centres that the grid and the towers follow.  Such
        # places get small villages, often no power and no stations.
        far = (v['road_km'], v['town_km'], hubs.distance(v['centre']) / 1000)
        v['remote_high'] = bool(v['elev'] >= high
                                and all(d >= k for d, k in zip(far, REMOTE_KM)))

    for c in communes:
        cid = c['commune_id']
        rng = rng_for(seed, S_ATTR, cid)
        vs = [v for v in villages if v['commune_id'] == cid]
        area = np.array([v['geom'].area for v in vs])
        w = rng.lognormal(0.0, 0.6, len(vs)) * (area / area.mean()) ** 0.3
        w *= np.array([0.5 if v['remote_high'] else 2.0 if v['is_centre'] else 1.0 for v in vs])
        pops = split_integer(c['population'], w, 60)
        urban = c['commune'].startswith(('Phường', 'Thị trấn'))
        for v, pop in zip(vs, pops):
            v['population'] = int(pop)
            v['households'] = max(1, int(round(pop / (4.2 * (1 + rng.normal(0, 0.05))))))
            # About 2/3 of remote high villages lack mains power, few others do.
            p_dark = 0.67 if v['remote_high'] else 0.0 if urban else 0.03
            v['has_power'] = int(rng.random() >= p_dark)

    settlements = []
    for v in villages:
        rng = rng_for(seed, S_SETTLE, v['commune_id'], int(v['village_id'][-3:]))
        hs = make_settlements(v['geom'], v['households'], rng, relief)
        v['main_hamlet'] = max(hs, key=lambda h: h[1])[0]
        settlements.extend((p, v['village_id'], hh) for p, hh in hs)

    centres_xy = np.array([(v['centre'].x, v['centre'].y) for v in villages])
    net, n_initial = build_network(rng_for(seed, S_SITES), province, towns, roads, villages,
                                   centres_xy)
    on_air_dates(net, rng_for(seed, S_ONAIR))

    # ---- write
    srs = proj.ll
    vfeat = []
    for v in villages:
        g = proj.to_ll(v['geom'])
        if isinstance(g, Polygon):
            g = MultiPolygon([g])
        if not g.is_valid:
            raise RuntimeError(f"village {v['village_id']} invalid after reprojection")
        vfeat.append((g, v))
    write_gpkg(os.path.join(args.out, 'villages.gpkg'), 'villages', ogr.wkbMultiPolygon,
               [('village_id', ogr.OFTString), ('name', ogr.OFTString),
                ('commune', ogr.OFTString), ('district', ogr.OFTString),
                ('province', ogr.OFTString), ('population', ogr.OFTInteger),
                ('households', ogr.OFTInteger), ('has_power', ogr.OFTInteger)],
               vfeat, srs)
    sfeat = [(proj.to_ll(p), dict(village_id=vid, households=hh)) for p, vid, hh in settlements]
    write_gpkg(os.path.join(args.out, 'settlements.gpkg'), 'settlements', ogr.wkbPoint,
               [('village_id', ogr.OFTString), ('households', ogr.OFTInteger)], sfeat, srs)
    rows = sorted(station_rows(net, proj), key=lambda r: r[0])   # stable: tech order kept
    write_csv(os.path.join(args.out, 'stations.csv'),
              ['site_id', 'operator', 'tech', 'lon', 'lat', 'height_m', 'azimuth_deg',
               'beamwidth_deg', 'on_air'], rows)

    # ---- checks and summary
    vpolys = [g for g, _ in vfeat]
    vutm = [proj.to_utm(g) for g in vpolys]
    tiled = unary_union(vutm)
    overlap_m2 = sum(g.area for g in vutm) - tiled.area
    gap_m2 = province.area - tiled.area
    shares = white_shares(args.out, proj)
    shares_wedge = white_shares(args.out, proj, wedges=True)
    multi = sum(len(g.geoms) > 1 for g in vpolys)
    nverts = [sum(len(p.exterior.coords) + sum(len(r.coords) for r in p.interiors)
                  for p in g.geoms) for g in vpolys]
    pop_ok = all(sum(v['population'] for v in villages if v['commune_id'] == c['commune_id'])
                 == c['population'] for c in communes)
    ops, techs = {}, {}
    for r in rows:
        ops[r[1]] = ops.get(r[1], 0) + 1
        techs[r[2]] = techs.get(r[2], 0) + 1

    print(f'frame: {len(communes)} communes; fixed {fix["overlap_faces"]} overlap slivers '
          f'({fix["overlap_km2"]:.1f} km2) and {fix["gap_faces"]} gaps ({fix["gap_km2"]:.1f} km2)')
    print(f'villages: {len(villages)} ({multi} multipart, {n_exclaves} of them by carved '
          f'exclaves), '
          f'vertices per village median {int(np.median(nverts))}, max {max(nverts)}')
    print(f'  tiling: overlaps {overlap_m2:.3f} m2, area minus frame {-gap_m2:+.3f} m2; '
          f'population {sum(v["population"] for v in villages)} (sums match census: {pop_ok})')
    rh = [v for v in villages if v['remote_high']]
    print(f'  remote high: {len(rh)}, of which without power: '
          f'{sum(1 - v["has_power"] for v in rh)}; without power overall: '
          f'{sum(1 - v["has_power"] for v in villages)}; '
          f'< 50 households: {sum(v["households"] < 50 for v in villages)}')
    print(f'settlements: {len(settlements)}')
    white = [v for v, dark in zip(villages, shares['any']['white_mask']) if dark]
    print(f'stations: {len(net.sites)} sites ({len(net.sites) - n_initial} of them fill), '
          f'{len(rows)} cells; by operator {ops}; by tech {techs}')
    print('white and partial villages (disk model, centre = point on surface in UTM 48N):')
    for cls in ('any', 'broadband'):
        s, w = shares[cls], shares_wedge[cls]
        print(f'  {cls:9s}: white {100 * s["white"]:.1f}%  partial {100 * s["partial"]:.1f}%'
              f'   (sector cells as wedges: white {100 * w["white"]:.1f}%  '
              f'partial {100 * w["partial"]:.1f}%)')
    print(f'  white (any) villages: {len(white)}; without power '
          f'{sum(1 - v["has_power"] for v in white)}, remote high '
          f'{sum(v["remote_high"] for v in white)}, < 50 households '
          f'{sum(v["households"] < 50 for v in white)}')
    lo, hi = WHITE_ANY_RANGE
    if not lo <= shares['any']['white'] <= hi:
        print(f'WARNING: white share (any) outside {lo:.0%}-{hi:.0%}', file=sys.stderr)
    if shares['broadband']['white'] <= shares['any']['white']:
        print('WARNING: broadband white share not above the any-signal one', file=sys.stderr)
    for name in OUTPUTS:
        print(f'  {name}: {os.path.getsize(os.path.join(args.out, name)) / 1024:.0f} KiB')
    return 0


if __name__ == '__main__':
    sys.exit(main())
