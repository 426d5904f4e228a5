#include "geos/geos.hpp"

#include "whitezone/error.hpp"

#include <algorithm>
#include <cmath>

namespace whitezone::geos {

Context::Context() : m_state(std::make_unique<State>()) {
    m_state->handle = GEOS_init_r();
    if (!m_state->handle)
        throw ExternalError("geos: cannot create a GEOS context (out of memory?)");
    GEOSContext_setErrorMessageHandler_r(m_state->handle, &Context::on_message, m_state.get());
}

Context::~Context() {
    if (m_state && m_state->handle)
        GEOS_finish_r(m_state->handle);
}

Context::Context(Context&&) noexcept = default;
Context& Context::operator=(Context&& other) noexcept {
    if (this != &other) {
        if (m_state && m_state->handle)
            GEOS_finish_r(m_state->handle);
        m_state = std::move(other.m_state);
    }
    return *this;
}

void Context::on_message(const char* message, void* user) {
    static_cast<State*>(user)->message = message ? message : "";
}

void Context::fail(std::string_view what) const {
    std::string msg = "GEOS failed in " + std::string(what);
    if (!m_state->message.empty())
        msg += ": " + m_state->message;
    m_state->message.clear(); // a later failure must not repeat this one's words
    throw ExternalError(msg);
}

Geom own(const Context& ctx, GEOSGeometry* g, std::string_view what) {
    if (!g)
        ctx.fail(what);
    return Geom(g, GeomDeleter{ctx.handle()});
}

bool check(const Context& ctx, char result, std::string_view what) {
    if (result == 2)
        ctx.fail(what);
    return result == 1;
}

Geom make_point(const Context& ctx, XY p) {
    return own(ctx, GEOSGeom_createPointFromXY_r(ctx.handle(), p.x, p.y), "make_point");
}

namespace {
GEOSGeometry* make_ring(const Context& ctx, const Ring& ring) {
    static_assert(sizeof(XY) == 2 * sizeof(double));
    GEOSCoordSequence* seq =
        GEOSCoordSeq_copyFromBuffer_r(ctx.handle(), reinterpret_cast<const double*>(ring.data()),
                                      static_cast<unsigned>(ring.size()), 0, 0);
    if (!seq)
        ctx.fail("make_ring");
    GEOSGeometry* g = GEOSGeom_createLinearRing_r(ctx.handle(), seq); // takes seq
    if (!g)
        ctx.fail("make_ring");
    return g;
}

GEOSGeometry* make_polygon_raw(const Context& ctx, const Polygon& polygon) {
    if (polygon.rings.empty())
        return GEOSGeom_createEmptyPolygon_r(ctx.handle());
    // Owned until the polygon takes them, so that a failure frees what was built.
    Geom shell(make_ring(ctx, polygon.rings.front()), GeomDeleter{ctx.handle()});
    std::vector<Geom> holes;
    holes.reserve(polygon.rings.size() - 1);
    for (std::size_t i = 1; i < polygon.rings.size(); ++i)
        holes.emplace_back(make_ring(ctx, polygon.rings[i]), GeomDeleter{ctx.handle()});
    std::vector<GEOSGeometry*> raw_holes;
    for (auto& h : holes)
        raw_holes.push_back(h.get());
    GEOSGeometry* g = GEOSGeom_createPolygon_r(ctx.handle(), shell.get(), raw_holes.data(),
                                               static_cast<unsigned>(raw_holes.size()));
    if (!g)
        ctx.fail("make_polygon");
    // The polygon has taken ownership of the shell and the holes.
    shell.release();
    for (auto& h : holes)
        h.release();
    return g;
}

Ring ring_of(const Context& ctx, const GEOSGeometry* ring) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), ring);
    unsigned n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &n))
        ctx.fail("ring_of");
    Ring out(n);
    if (n > 0 && !GEOSCoordSeq_copyToBuffer_r(ctx.handle(), seq,
                                              reinterpret_cast<double*>(out.data()), 0, 0))
        ctx.fail("ring_of");
    return out;
}

void append_polygons(const Context& ctx, const GEOSGeometry* g, MultiPolygon& out) {
    const int type = GEOSGeomTypeId_r(ctx.handle(), g);
    if (type == GEOS_POLYGON) {
        if (check(ctx, GEOSisEmpty_r(ctx.handle(), g), "isEmpty"))
            return;
        Polygon p;
        p.rings.push_back(ring_of(ctx, GEOSGetExteriorRing_r(ctx.handle(), g)));
        const int holes = GEOSGetNumInteriorRings_r(ctx.handle(), g);
        for (int i = 0; i < holes; ++i)
            p.rings.push_back(ring_of(ctx, GEOSGetInteriorRingN_r(ctx.handle(), g, i)));
        out.push_back(std::move(p));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(ctx.handle(), g);
        for (int i = 0; i < n; ++i)
            append_polygons(ctx, GEOSGetGeometryN_r(ctx.handle(), g, i), out);
    }
}
} // namespace

Geom make_polygon(const Context& ctx, const Polygon& polygon) {
    return own(ctx, make_polygon_raw(ctx, polygon), "make_polygon");
}

namespace {

// A MultiPolygon of the `n` parts make(i) returns (owned GEOS polygons).
template <class Make> Geom collect_polygons(const Context& ctx, std::size_t n, Make make) {
    std::vector<GEOSGeometry*> parts;
    parts.reserve(n);
    try {
        for (std::size_t i = 0; i < n; ++i)
            parts.push_back(make(i));
    } catch (...) {
        for (auto* g : parts)
            GEOSGeom_destroy_r(ctx.handle(), g);
        throw;
    }
    // The collection takes ownership of the parts.
    return own(ctx,
               GEOSGeom_createCollection_r(ctx.handle(), GEOS_MULTIPOLYGON, parts.data(),
                                           static_cast<unsigned>(parts.size())),
               "make_multipolygon");
}

} // namespace

Geom make_multipolygon(const Context& ctx, const MultiPolygon& mp) {
    return collect_polygons(ctx, mp.size(),
                            [&](std::size_t i) { return make_polygon_raw(ctx, mp[i]); });
}

Geom make_multipolygon(const Context& ctx, std::size_t n,
                       const std::function<Polygon(std::size_t)>& part) {
    return collect_polygons(ctx, n, [&](std::size_t i) { return make_polygon_raw(ctx, part(i)); });
}

MultiPolygon to_multipolygon(const Context& ctx, const GEOSGeometry* g) {
    MultiPolygon out;
    append_polygons(ctx, g, out);
    return out;
}

double area(const Context& ctx, const GEOSGeometry* g) {
    double a = 0.0;
    if (!GEOSArea_r(ctx.handle(), g, &a))
        ctx.fail("area");
    return a;
}

XY point_on_surface(const Context& ctx, const GEOSGeometry* g) {
    Geom p = own(ctx, GEOSPointOnSurface_r(ctx.handle(), g), "point_on_surface");
    XY xy;
    if (!GEOSGeomGetX_r(ctx.handle(), p.get(), &xy.x) ||
        !GEOSGeomGetY_r(ctx.handle(), p.get(), &xy.y))
        ctx.fail("point_on_surface");
    return xy;
}

std::array<double, 4> bounds(const Context& ctx, const GEOSGeometry* g) {
    std::array<double, 4> b{};
    if (!GEOSGeom_getXMin_r(ctx.handle(), g, &b[0]) ||
        !GEOSGeom_getYMin_r(ctx.handle(), g, &b[1]) ||
        !GEOSGeom_getXMax_r(ctx.handle(), g, &b[2]) || !GEOSGeom_getYMax_r(ctx.handle(), g, &b[3]))
        ctx.fail("bounds");
    return b;
}

StrTree::StrTree(const Context& ctx, std::size_t node_capacity)
    : m_ctx(&ctx), m_tree(GEOSSTRtree_create_r(ctx.handle(), node_capacity)) {
    if (!m_tree)
        ctx.fail("STRtree_create");
}

StrTree::~StrTree() { GEOSSTRtree_destroy_r(m_ctx->handle(), m_tree); }

void StrTree::insert(const GEOSGeometry* envelope_of, std::size_t item) {
    // GEOS keeps the item pointer: store ids as pointers-as-integers to avoid reallocation.
    GEOSSTRtree_insert_r(m_ctx->handle(), m_tree, envelope_of,
                         reinterpret_cast<void*>(static_cast<std::uintptr_t>(item + 1)));
}

std::vector<std::size_t> StrTree::query(const GEOSGeometry* g) const {
    std::vector<std::size_t> out;
    GEOSSTRtree_query_r(
        m_ctx->handle(), m_tree, g,
        [](void* item, void* user) {
            static_cast<std::vector<std::size_t>*>(user)->push_back(
                static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(item)) - 1);
        },
        &out);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace whitezone::geos
