#pragma once
// Private RAII wrappers of the GEOS reentrant C API. One Context per thread, never shared;
// every geometry owns its handle and is destroyed through the context that made it.

#include "whitezone/types.hpp"

#include <geos_c.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone::geos {

/// One GEOS context handle and its message buffer. Move-only.
class Context {
  public:
    Context();
    ~Context();
    Context(Context&&) noexcept;
    Context& operator=(Context&&) noexcept;
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    [[nodiscard]] GEOSContextHandle_t handle() const { return m_state->handle; }
    /// Throws ExternalError "<what>: <GEOS message>".
    [[noreturn]] void fail(std::string_view what) const;

  private:
    struct State {
        GEOSContextHandle_t handle = nullptr;
        std::string message;
    };
    std::unique_ptr<State> m_state;
    static void on_message(const char* message, void* user);
};

struct GeomDeleter {
    GEOSContextHandle_t handle = nullptr;
    void operator()(GEOSGeometry* g) const {
        if (g)
            GEOSGeom_destroy_r(handle, g);
    }
};
using Geom = std::unique_ptr<GEOSGeometry, GeomDeleter>;

/// Takes ownership of a GEOS result; throws ExternalError naming `what` when it is null.
Geom own(const Context& ctx, GEOSGeometry* g, std::string_view what);

/// A GEOS predicate result: 0 false, 1 true, 2 exception (thrown as ExternalError).
bool check(const Context& ctx, char result, std::string_view what);

Geom make_point(const Context& ctx, XY p);
Geom make_polygon(const Context& ctx, const Polygon& polygon);
/// A MultiPolygon (or the empty one). Parts are copied.
Geom make_multipolygon(const Context& ctx, const MultiPolygon& mp);
/// A MultiPolygon of `n` parts, part i made by `part(i)` when it is copied in: the parts are
/// never all held twice.
Geom make_multipolygon(const Context& ctx, std::size_t n,
                       const std::function<Polygon(std::size_t)>& part);
/// Polygons of a geometry (polygon, multipolygon or collection; lower dimensions dropped).
MultiPolygon to_multipolygon(const Context& ctx, const GEOSGeometry* g);

double area(const Context& ctx, const GEOSGeometry* g);
/// Point inside a polygonal geometry (GEOSPointOnSurface).
XY point_on_surface(const Context& ctx, const GEOSGeometry* g);
/// Envelope as (minx, miny, maxx, maxy).
std::array<double, 4> bounds(const Context& ctx, const GEOSGeometry* g);

/// A read-only STRtree over items identified by index. Geometries passed to insert() are
/// only used for their envelopes and must outlive the tree.
class StrTree {
  public:
    explicit StrTree(const Context& ctx, std::size_t node_capacity = 10);
    ~StrTree();
    StrTree(const StrTree&) = delete;
    StrTree& operator=(const StrTree&) = delete;

    void insert(const GEOSGeometry* envelope_of, std::size_t item);
    /// Indices of items whose envelope meets `g`'s envelope, sorted ascending.
    [[nodiscard]] std::vector<std::size_t> query(const GEOSGeometry* g) const;

  private:
    const Context* m_ctx;
    GEOSSTRtree* m_tree;
};

} // namespace whitezone::geos
