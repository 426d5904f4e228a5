#include "proj/proj.hpp"

#include "whitezone/error.hpp"

#include <cmath>
#include <map>
#include <mutex>

namespace whitezone::proj {

std::string crs_label(const std::string& crs) {
    if (auto info = describe(crs); info && !info->name.empty())
        return "'" + info->name + "'";
    return "'" + (crs.size() > 60 ? crs.substr(0, 57) + "..." : crs) + "'";
}

bool reaches_wgs84(const std::string& crs) {
    // Asked once per layer and again for the work CRS, and building the operation reads
    // PROJ's database: the answers are kept.
    static std::mutex mutex;
    static std::map<std::string, bool> known;
    {
        const std::lock_guard lock(mutex);
        if (auto it = known.find(crs); it != known.end())
            return it->second;
    }
    ContextPtr ctx(proj_context_create());
    proj_log_level(ctx.get(), PJ_LOG_NONE);
    PjPtr pj(proj_create_crs_to_crs(ctx.get(), crs.c_str(), "EPSG:4326", nullptr));
    const std::lock_guard lock(mutex);
    return known.emplace(crs, pj != nullptr).first->second;
}

bool equivalent(const std::string& a, const std::string& b) {
    if (a == b)
        return true;
    ContextPtr ctx(proj_context_create());
    proj_log_level(ctx.get(), PJ_LOG_NONE);
    const PjPtr pa(proj_create(ctx.get(), a.c_str())), pb(proj_create(ctx.get(), b.c_str()));
    return pa && pb &&
           proj_is_equivalent_to_with_ctx(ctx.get(), pa.get(), pb.get(),
                                          PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS) != 0;
}

std::string crs_from_user(const std::string& crs) {
    const std::size_t start = crs.find_first_not_of(" \t");
    if (start == std::string::npos || crs[start] != '+' ||
        crs.find("+type=crs") != std::string::npos)
        return crs;
    return crs + " +type=crs";
}

bool is_bare_name(const std::string& crs) {
    const std::size_t start = crs.find_first_not_of(" \t");
    if (start == std::string::npos)
        return false;
    return crs[start] != '+' && crs[start] != '{' && crs.find(':') == std::string::npos &&
           crs.find('[') == std::string::npos;
}

std::optional<CrsInfo> describe(const std::string& crs) {
    ContextPtr ctx(proj_context_create());
    proj_log_level(ctx.get(), PJ_LOG_NONE);
    PjPtr pj(proj_create(ctx.get(), crs.c_str()));
    if (!pj)
        return std::nullopt;
    const PJ_TYPE type = proj_get_type(pj.get());
    CrsInfo info;
    if (const char* name = proj_get_name(pj.get()))
        info.name = name;
    // A bound CRS (e.g. with +towgs84) wraps the real one.
    PjPtr base;
    if (type == PJ_TYPE_BOUND_CRS) {
        base.reset(proj_get_source_crs(ctx.get(), pj.get()));
    }
    PJ* crs_obj = base ? base.get() : pj.get();
    const PJ_TYPE t = proj_get_type(crs_obj);
    info.geographic = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS;
    if (t == PJ_TYPE_PROJECTED_CRS) {
        PjPtr cs(proj_crs_get_coordinate_system(ctx.get(), crs_obj));
        if (cs && proj_cs_get_axis_count(ctx.get(), cs.get()) >= 2) {
            double factor = 0.0;
            proj_cs_get_axis_info(ctx.get(), cs.get(), 0, nullptr, nullptr, nullptr, &factor,
                                  nullptr, nullptr, nullptr);
            info.metric = std::abs(factor - 1.0) < 1e-12;
        }
    }
    if (t == PJ_TYPE_UNKNOWN || !(proj_is_crs(crs_obj)))
        return std::nullopt;
    return info;
}

Transformer::Transformer(const std::string& source_crs, const std::string& target_crs)
    : m_ctx(proj_context_create()) {
    proj_log_level(m_ctx.get(), PJ_LOG_NONE);
    PjPtr raw(proj_create_crs_to_crs(m_ctx.get(), source_crs.c_str(), target_crs.c_str(), nullptr));
    if (!raw) {
        // PROJ's message may be NULL (errno 0, e.g. between unrelated engineering CRSs).
        const int err = proj_context_errno(m_ctx.get());
        const char* why = err != 0 ? proj_context_errno_string(m_ctx.get(), err) : nullptr;
        throw InputError("PROJ finds no transformation from " + crs_label(source_crs) + " to " +
                         crs_label(target_crs) + (why ? " (" + std::string(why) + ")" : "") +
                         "; the CRSs may belong to different bodies or be local (engineering) "
                         "systems");
    }
    // Input and output in x = longitude/easting order whatever the CRS's official axis order.
    m_pj.reset(proj_normalize_for_visualization(m_ctx.get(), raw.get()));
    if (!m_pj)
        throw ExternalError("PROJ cannot normalise the axis order of the transformation");
}

long Transformer::transform(XY* points, std::size_t count) const {
    if (count == 0)
        return -1;
    proj_trans_generic(m_pj.get(), PJ_FWD, &points[0].x, sizeof(XY), count, &points[0].y,
                       sizeof(XY), count, nullptr, 0, 0, nullptr, 0, 0);
    for (std::size_t i = 0; i < count; ++i) {
        if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y) || points[i].x == HUGE_VAL ||
            points[i].y == HUGE_VAL)
            return static_cast<long>(i);
    }
    return -1;
}

std::string utm_crs_for(double lon, double lat) {
    int zone = static_cast<int>(std::floor((lon + 180.0) / 6.0)) + 1;
    zone = std::clamp(zone, 1, 60);
    return "EPSG:" + std::to_string((lat >= 0 ? 32600 : 32700) + zone);
}

} // namespace whitezone::proj
