// The output layers, each defined once: its name, its geometry, and per field the name, the
// Shapefile name (at most 10 characters: dBase) and the type, with the function that takes the
// value from the results. The sinks only iterate these definitions (docs/output.md).

#include "report/layers.hpp"

#include "whitezone/compare.hpp"
#include "whitezone/report.hpp"
#include "whitezone/report/trend.hpp"

#include "common/spill.hpp"
#include "common/text.hpp"
#include "gdal/gdal.hpp"

#include <cassert>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <tuple>

namespace whitezone::report {

namespace {

// One field of a layer whose rows come from a `Source` (the analysis, a plan, …): row `i`'s
// value. Geometry and carried input fields are the layer's, not the columns'.
template <class Source> struct Column {
    std::string name;
    std::string shp;
    ColumnType type;
    std::function<Value(const Source&, std::size_t)> get;
};

template <class Source> struct LayerDef {
    std::string name;
    GeometryType geometry;
    bool carries_input_fields = false;
    std::vector<Column<Source>> columns;
    std::function<std::size_t(const Source&)> rows;
    std::function<void(const Source&, std::size_t, Shape&)> shape = {};
};

Value integer(long long n) { return static_cast<std::int64_t>(n); }
Value flag(bool b) { return static_cast<std::int64_t>(b ? 1 : 0); }
Value text(std::string_view s) { return std::string(s); }

// A field per service class: name_any / name_broadband, Shapefile name_any / name_bb.
template <class Source>
void per_class(std::vector<Column<Source>>& cols, const std::string& name, const std::string& shp,
               ColumnType type,
               std::function<Value(const Source&, std::size_t, ServiceClass)> get) {
    for (ServiceClass cls : kServiceClasses) {
        const std::string suffix = cls == ServiceClass::Any ? "_any" : "_bb";
        cols.push_back({name + "_" + std::string(to_string(cls)), shp + suffix, type,
                        [get, cls](const Source& s, std::size_t i) { return get(s, i, cls); }});
    }
}

using R = AnalysisResult;

const LayerDef<R>& villages_layer() {
    static const LayerDef<R> def = [] {
        LayerDef<R> d{"villages", GeometryType::Polygons, true, {}, {}};
        auto& c = d.columns;
        auto overlay = [](const R& r, std::size_t i, ServiceClass cls) -> const VillageOverlay& {
            return r.overlay.villages[index_of(cls)][i];
        };
        auto status = [](const R& r, std::size_t i, ServiceClass cls) -> const VillageStatus& {
            return r.classification.villages[index_of(cls)][i];
        };
        per_class<R>(c, "share", "sh", ColumnType::Real,
                     [=](const R& r, auto i, auto cls) { return Value(overlay(r, i, cls).share); });
        per_class<R>(c, "centre", "ctr", ColumnType::Integer,
                     [=](const R& r, auto i, auto cls) { return flag(overlay(r, i, cls).centre); });
        per_class<R>(c, "status", "st", ColumnType::String, [=](const R& r, auto i, auto cls) {
            return text(to_string(status(r, i, cls).status));
        });
        per_class<R>(
            c, "status_basis", "bas", ColumnType::String,
            [=](const R& r, auto i, auto cls) { return text(to_string(status(r, i, cls).basis)); });
        // How firm the status is (--stability, docs/method.md#stability); NULL when it was not
        // assessed.
        per_class<R>(c, "stability", "stab", ColumnType::Real, [](const R& r, auto i, auto cls) {
            return r.stability ? Value(r.stability->share_same[index_of(cls)][i]) : Value();
        });
        per_class<R>(c, "status_likely", "st_lik", ColumnType::String,
                     [](const R& r, auto i, auto cls) {
                         return r.stability ? text(to_string(r.stability->likely[index_of(cls)][i]))
                                            : Value();
                     });
        // The ITM model's received power at the centre and the station that gives it
        // (docs/itm.md); NULL for the other models and where no station reaches the centre.
        per_class<R>(c, "signal_dbm_centre", "dbm", ColumnType::Real,
                     [](const R& r, auto i, auto cls) {
                         if (!r.signal)
                             return Value();
                         const double dbm = cls == ServiceClass::Any
                                                ? r.signal->signal_dbm_centre_any[i]
                                                : r.signal->signal_dbm_centre_broadband[i];
                         return std::isnan(dbm) ? Value() : Value(dbm);
                     });
        per_class<R>(c, "best_site", "bsite", ColumnType::String, [](const R& r, auto i, auto cls) {
            if (!r.signal)
                return Value();
            const std::int64_t k = cls == ServiceClass::Any ? r.signal->best_site_any[i]
                                                            : r.signal->best_site_broadband[i];
            return k < 0 ? Value() : text(r.inputs.stations[static_cast<std::size_t>(k)].site_id);
        });
        c.push_back({"clusters", "clusters", ColumnType::Integer, [](const R& r, std::size_t i) {
                         return integer(r.overlay.villages[0][i].clusters);
                     }});
        per_class<R>(c, "clusters_without", "cl_no", ColumnType::Integer,
                     [=](const R& r, auto i, auto cls) {
                         return integer(overlay(r, i, cls).clusters_without);
                     });
        per_class<R>(
            c, "people_without", "pw", ColumnType::Real,
            [=](const R& r, auto i, auto cls) { return Value(status(r, i, cls).people_without); });
        c.push_back({"people_without_signal", "pw_signal", ColumnType::Real,
                     [=](const R& r, std::size_t i) {
                         return Value(status(r, i, r.ranking.service_class).people_without);
                     }});
        c.push_back({"people_grid", "people_grd", ColumnType::Real, [](const R& r, std::size_t i) {
                         const auto& people = r.overlay.villages[0][i].people;
                         return people ? Value(*people) : Value();
                     }});
        c.push_back({"centre_source", "ctr_src", ColumnType::String, [](const R& r, std::size_t i) {
                         return text(to_string(r.inputs.villages[i].centre_source));
                     }});
        c.push_back({"repaired", "repaired", ColumnType::Integer, [](const R& r, std::size_t i) {
                         return flag(r.inputs.villages[i].repaired);
                     }});
        // What the village's result rests on that is missing or doubtful (docs/output.md#flags).
        c.push_back({"flags", "flags", ColumnType::String, [](const R& r, std::size_t i) {
                         return text(flags_text(r.inputs.villages[i].flags));
                     }});
        // The unit of --units holding the centre (docs/input.md#administrative-units).
        c.push_back({"unit_code", "unit_code", ColumnType::String, [](const R& r, std::size_t i) {
                         return text(r.inputs.villages[i].unit_code());
                     }});
        c.push_back({"unit_name", "unit_name", ColumnType::String, [](const R& r, std::size_t i) {
                         return text(r.inputs.villages[i].unit_name());
                     }});
        // The operators whose signal reaches the centre, and how many (docs/output.md).
        per_class<R>(c, "operators", "ops", ColumnType::String,
                     [](const R& r, auto i, auto cls) { return text(r.operators.text(cls, i)); });
        for (ServiceClass cls : kServiceClasses)
            c.push_back({"operators_" + std::string(to_string(cls)) + "_count",
                         cls == ServiceClass::Any ? "n_ops_any" : "n_ops_bb", ColumnType::Integer,
                         [cls](const R& r, std::size_t i) {
                             return integer(static_cast<long long>(r.operators.count(cls, i)));
                         }});
        c.push_back({"area_m2", "area_m2", ColumnType::Real, [](const R& r, std::size_t i) {
                         return Value(r.inputs.villages[i].area_m2);
                     }});
        c.push_back({"nearest_site_m", "near_m", ColumnType::Real, [](const R& r, std::size_t i) {
                         const double m = r.ranking.villages[i].nearest_site_m;
                         return m >= 0 ? Value(m) : Value(); // negative: no stations
                     }});
        // The ranking's fields exist for gap villages only; NULL for the others.
        auto gap = [](auto get) {
            return [get](const R& r, std::size_t i) {
                const VillageRank& rk = r.ranking.villages[i];
                return rk.gap ? get(rk) : Value();
            };
        };
        using Rk = const VillageRank&;
        c.push_back({"reach_villages", "reach_n", ColumnType::Integer,
                     gap([](Rk k) { return integer(k.reach_villages); })});
        c.push_back({"reach_people", "reach_pw", ColumnType::Real,
                     gap([](Rk k) { return Value(k.reach_people); })});
        c.push_back({"cluster_id", "clust_id", ColumnType::Integer64,
                     gap([](Rk k) { return integer(static_cast<long long>(k.cluster_id)); })});
        c.push_back({"cluster_villages", "clust_n", ColumnType::Integer,
                     gap([](Rk k) { return integer(k.cluster_villages); })});
        c.push_back({"cluster_people", "clust_pw", ColumnType::Real,
                     gap([](Rk k) { return Value(k.cluster_people); })});
        c.push_back({"power_factor", "f_power", ColumnType::Real,
                     gap([](Rk k) { return Value(k.power_factor); })});
        c.push_back({"distance_factor", "f_dist", ColumnType::Real,
                     gap([](Rk k) { return Value(k.distance_factor); })});
        c.push_back(
            {"gap_score", "gap_score", ColumnType::Real, gap([](Rk k) { return Value(k.score); })});
        c.push_back({"gap_rank", "gap_rank", ColumnType::Integer64,
                     gap([](Rk k) { return integer(static_cast<long long>(k.rank)); })});
        d.rows = [](const R& r) { return r.inputs.villages.size(); };
        d.shape = [](const R& r, std::size_t i, Shape& s) {
            const Village& v = r.inputs.villages[i];
            if (v.is_point()) {
                s.kind = Shape::Kind::Point;
                s.a = v.centre;
            } else if (r.spilled_areas) {
                s.kind = Shape::Kind::Area;
                r.spilled_areas->read(i, s.owned);
                s.area = &s.owned;
            } else {
                s.kind = Shape::Kind::Area;
                s.area = &v.area;
            }
        };
        return d;
    }();
    return def;
}

const LayerDef<R>& coverage_layer() {
    static const LayerDef<R> def{
        "coverage",
        GeometryType::Polygons,
        false,
        {{"class", "class", ColumnType::String,
          [](const R&, std::size_t k) { return text(to_string(kServiceClasses[k])); }},
         {"area_km2", "area_km2", ColumnType::Real,
          [](const R& r, std::size_t k) { return Value(gdal::area(r.coverage[k]) / 1e6); }},
         {"footprints", "footprints", ColumnType::Integer,
          [](const R& r, std::size_t k) {
              long long n = 0;
              for (const auto& fp : r.footprints.items)
                  n += serves(kServiceClasses[k], fp.tech);
              return integer(n);
          }}},
        [](const R&) { return kServiceClasses.size(); },
        [](const R& r, std::size_t k, Shape& s) {
            s.kind = Shape::Kind::Area;
            s.area = &r.coverage[k];
        }};
    return def;
}

const LayerDef<R>& stations_layer() {
    using S = const Station&;
    using F = const Footprint&;
    auto station = [](auto get) {
        return [get](const R& r, std::size_t i) { return get(r.inputs.stations[i]); };
    };
    auto footprint = [](auto get) {
        return [get](const R& r, std::size_t i) { return get(r.footprints.items[i]); };
    };
    static const LayerDef<R> def{
        "stations",
        GeometryType::Points,
        true,
        {{"site_key", "site_key", ColumnType::String, station([](S s) { return text(s.site_id); })},
         {"technology", "techno", ColumnType::String,
          station([](S s) { return text(to_string(s.tech)); })},
         {"operator_name", "oper_name", ColumnType::String,
          station([](S s) { return text(s.operator_name); })},
         {"radius_m", "radius_m", ColumnType::Real,
          footprint([](F f) { return Value(f.radius_m); })},
         {"radius_source", "radius_src", ColumnType::String,
          footprint([](F f) { return text(to_string(f.radius_source)); })},
         {"radius_flag", "radius_flg", ColumnType::String,
          footprint([](F f) { return text(f.radius_flag); })},
         {"range_flag", "range_flag", ColumnType::String,
          station([](S s) { return text(s.range_flag); })},
         {"sector", "sector", ColumnType::Integer, footprint([](F f) { return flag(f.sector); })},
         {"terrain_flag", "terr_flag", ColumnType::String,
          footprint([](F f) { return text(f.no_ground ? "no_dem" : ""); })}},
        [](const R& r) { return r.inputs.stations.size(); },
        [](const R& r, std::size_t i, Shape& s) {
            s.kind = Shape::Kind::Point;
            s.a = r.inputs.stations[i].xy;
        }};
    return def;
}

const LayerDef<R>& summary_layer() {
    static const LayerDef<R> def = [] {
        using Row = const SummaryRow&;
        auto row = [](auto get) {
            return [get](const R& r, std::size_t i) { return get(r.summary.rows[i]); };
        };
        LayerDef<R> d{
            "summary",
            GeometryType::None,
            false,
            {{"level", "level", ColumnType::String, row([](Row w) { return text(w.level); })},
             {"province", "province", ColumnType::String,
              row([](Row w) { return text(w.province); })},
             {"district", "district", ColumnType::String,
              row([](Row w) { return text(w.district); })},
             {"commune", "commune", ColumnType::String, row([](Row w) { return text(w.commune); })},
             {"province_code", "prov_code", ColumnType::String,
              row([](Row w) { return text(w.province_code); })},
             {"district_code", "dist_code", ColumnType::String,
              row([](Row w) { return text(w.district_code); })},
             {"commune_code", "comm_code", ColumnType::String,
              row([](Row w) { return text(w.commune_code); })},
             {"unit_code", "unit_code", ColumnType::String,
              row([](Row w) { return text(w.unit_code); })},
             {"unit_name", "unit_name", ColumnType::String,
              row([](Row w) { return text(w.unit_name); })},
             {"unit_level", "unit_level", ColumnType::String,
              row([](Row w) { return text(w.unit_level); })},
             {"parent_code", "par_code", ColumnType::String,
              row([](Row w) { return text(w.parent_code); })},
             {"villages", "villages", ColumnType::Integer,
              row([](Row w) { return integer(w.counts[0].villages); })}},
            [](const R& r) { return r.summary.rows.size(); }};
        auto counts = [](auto get) {
            return [get](const R& r, std::size_t i, ServiceClass cls) {
                return get(r.summary.rows[i].counts[index_of(cls)]);
            };
        };
        using N = const ClassCounts&;
        auto& c = d.columns;
        per_class<R>(c, "covered", "cov", ColumnType::Integer,
                     counts([](N n) { return integer(n.covered); }));
        per_class<R>(c, "partial", "par", ColumnType::Integer,
                     counts([](N n) { return integer(n.partial); }));
        per_class<R>(c, "white", "wht", ColumnType::Integer,
                     counts([](N n) { return integer(n.white); }));
        per_class<R>(c, "coverage_rate", "rate", ColumnType::Real,
                     counts([](N n) { return Value(n.coverage_rate()); }));
        per_class<R>(c, "signal_rate", "sig", ColumnType::Real,
                     counts([](N n) { return Value(n.signal_rate()); }));
        per_class<R>(c, "people_without", "pw", ColumnType::Real,
                     counts([](N n) { return Value(n.people_without); }));
        // How firm the white villages are (--stability); NULL when it was not assessed.
        auto firmness = [](auto get) {
            return [get](const R& r, std::size_t i, ServiceClass cls) {
                return r.summary.stability_runs > 0 ? get(r.summary.rows[i].counts[index_of(cls)])
                                                    : Value();
            };
        };
        per_class<R>(c, "white_firm", "wfirm", ColumnType::Integer,
                     firmness([](N n) { return integer(n.white_firm); }));
        per_class<R>(c, "white_borderline", "wbord", ColumnType::Integer,
                     firmness([](N n) { return integer(n.white_borderline); }));
        // Flagged villages, in all and per flag: flag_<name> (Shapefile: a short f_ name).
        c.push_back({"flagged", "flagged", ColumnType::Integer,
                     row([](Row w) { return integer(w.flagged); })});
        static constexpr std::array<std::string_view, kVillageFlagCount> kShp{
            "f_nopop", "f_hhpeople", "f_pwrunk", "f_ctrout", "f_ctrest", "f_repair",
            "f_nodem", "f_dempart",  "f_far",    "f_setunm", "f_outunit"};
        for (VillageFlag f : kVillageFlagNames.values()) {
            const auto k = static_cast<std::size_t>(f);
            c.push_back({"flag_" + std::string(kVillageFlagNames.name(f)), std::string(kShp[k]),
                         ColumnType::Integer,
                         row([k](Row w) { return integer(w.flag_counts[k]); })});
        }
        return d;
    }();
    return def;
}

const LayerDef<R>& sites_layer() {
    using C = const SiteCount&;
    auto site = [](auto get) {
        return [get](const R& r, std::size_t i) { return get(r.summary.sites[i]); };
    };
    static const LayerDef<R> def{
        "sites",
        GeometryType::None,
        false,
        {{"operator", "operator", ColumnType::String,
          site([](C s) { return text(s.operator_name); })},
         {"technology", "techno", ColumnType::String,
          site([](C s) { return text(to_string(s.tech)); })},
         {"sites", "sites", ColumnType::Integer, site([](C s) { return integer(s.sites); })},
         {"cells", "cells", ColumnType::Integer, site([](C s) { return integer(s.cells); })}},
        [](const R& r) { return r.summary.sites.size(); }};
    return def;
}

// Per unit and operator: the villages each operator reaches (docs/output.md#summary_operators).
const LayerDef<R>& summary_operators_layer() {
    using C = const OperatorCount&;
    auto op = [](auto get) {
        return [get](const R& r, std::size_t i) { return get(r.summary.operators[i]); };
    };
    // A field of the operator's unit (its row of the summary).
    auto unit = [](auto get) {
        return [get](const R& r, std::size_t i) {
            return get(r.summary.unit_of(r.summary.operators[i]));
        };
    };
    using U = const SummaryRow&;
    static const LayerDef<R> def{
        "summary_operators",
        GeometryType::None,
        false,
        {{"level", "level", ColumnType::String, unit([](U c) { return text(c.level); })},
         {"province", "province", ColumnType::String, unit([](U c) { return text(c.province); })},
         {"district", "district", ColumnType::String, unit([](U c) { return text(c.district); })},
         {"commune", "commune", ColumnType::String, unit([](U c) { return text(c.commune); })},
         {"province_code", "prov_code", ColumnType::String,
          unit([](U c) { return text(c.province_code); })},
         {"district_code", "dist_code", ColumnType::String,
          unit([](U c) { return text(c.district_code); })},
         {"commune_code", "comm_code", ColumnType::String,
          unit([](U c) { return text(c.commune_code); })},
         {"unit_code", "unit_code", ColumnType::String,
          unit([](U c) { return text(c.unit_code); })},
         {"unit_name", "unit_name", ColumnType::String,
          unit([](U c) { return text(c.unit_name); })},
         {"operator", "operator", ColumnType::String, op([](C c) {
              return text(c.operator_name.empty() ? kUnknownOperator : c.operator_name);
          })},
         {"sites", "sites", ColumnType::Integer, op([](C c) { return integer(c.sites()); })},
         {"villages_any", "vill_any", ColumnType::Integer,
          op([](C c) { return integer(c.villages_any); })},
         {"villages_broadband", "vill_bb", ColumnType::Integer,
          op([](C c) { return integer(c.villages_broadband); })},
         {"only_any", "only_any", ColumnType::Integer, op([](C c) { return integer(c.only_any); })},
         {"only_broadband", "only_bb", ColumnType::Integer,
          op([](C c) { return integer(c.only_broadband); })}},
        [](const R& r) { return r.summary.operators.size(); }};
    return def;
}

// A list of names as one text field: "Nà Lạn, Khuổi Hẩu"; NULL for none.
Value list(const std::vector<std::string>& items) {
    if (items.empty())
        return {};
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

const LayerDef<Plan>& proposed_sites_layer() {
    using P = const ProposedSite&;
    auto site = [](auto get) {
        return [get](const Plan& p, std::size_t i) { return get(p.sites[i]); };
    };
    static const LayerDef<Plan> def{
        "proposed_sites",
        GeometryType::Points,
        true, // with --candidates, the candidate's own fields
        {{"pick", "pick", ColumnType::Integer, site([](P s) { return integer(s.pick); })},
         {"candidate_source", "cand_src", ColumnType::String,
          site([](P s) { return text(to_string(s.source)); })},
         {"village_id", "village_id", ColumnType::String,
          site([](P s) { return s.village >= 0 ? text(s.village_id) : Value(); })},
         {"lon", "lon", ColumnType::Real, site([](P s) { return Value(s.lon); })},
         {"lat", "lat", ColumnType::Real, site([](P s) { return Value(s.lat); })},
         {"new_villages", "new_vill", ColumnType::Integer,
          site([](P s) { return integer(s.new_villages); })},
         {"new_people", "new_people", ColumnType::Real,
          site([](P s) { return Value(s.new_people); })},
         {"reached_ids", "reach_ids", ColumnType::String,
          site([](P s) { return list(s.village_ids); })},
         {"reached_names", "reach_name", ColumnType::String,
          site([](P s) { return list(s.village_names); })},
         {"reached_communes", "reach_comm", ColumnType::String,
          site([](P s) { return list(s.communes); })},
         {"cumulative_people", "cum_people", ColumnType::Real,
          site([](P s) { return Value(s.cumulative_people); })},
         {"connected", "connected", ColumnType::Integer,
          site([](P s) { return flag(s.connected); })},
         {"hop_m", "hop_m", ColumnType::Real,
          site([](P s) { return s.connected ? Value(s.hop_m) : Value(); })}},
        [](const Plan& p) { return p.sites.size(); },
        [](const Plan& p, std::size_t i, Shape& s) {
            s.kind = Shape::Kind::Point;
            s.a = p.sites[i].xy;
        }};
    return def;
}

const LayerDef<Plan>& unlinkable_candidates_layer() {
    using U = const UnlinkableCandidate&;
    auto cand = [](auto get) {
        return [get](const Plan& p, std::size_t i) { return get(p.unlinkable[i]); };
    };
    static const LayerDef<Plan> def{
        "unlinkable_candidates",
        GeometryType::Points,
        true, // with --candidates, the candidate's own fields
        {{"candidate_source", "cand_src", ColumnType::String,
          cand([](U u) { return text(to_string(u.source)); })},
         {"village_id", "village_id", ColumnType::String,
          cand([](U u) { return u.village >= 0 ? text(u.village_id) : Value(); })},
         {"lon", "lon", ColumnType::Real, cand([](U u) { return Value(u.lon); })},
         {"lat", "lat", ColumnType::Real, cand([](U u) { return Value(u.lat); })},
         {"villages", "villages", ColumnType::Integer,
          cand([](U u) { return integer(u.villages); })},
         {"people", "people", ColumnType::Real, cand([](U u) { return Value(u.people); })}},
        [](const Plan& p) { return p.unlinkable.size(); },
        [](const Plan& p, std::size_t i, Shape& s) {
            s.kind = Shape::Kind::Point;
            s.a = p.unlinkable[i].xy;
        }};
    return def;
}

// The proposed sites as stations, with the fields --stations reads (docs/input.md), so that
// the layer can be given as next year's stations or as --planned.
const LayerDef<Plan>& planned_stations_layer() {
    using P = const ProposedSite&;
    auto site = [](auto get) {
        return [get](const Plan& p, std::size_t i) { return get(p.sites[i]); };
    };
    static const LayerDef<Plan> def{
        "planned_stations",
        GeometryType::Points,
        false,
        {{"site_id", "site_id", ColumnType::String,
          site([](P s) { return text(proposed_site_id(s.pick)); })},
         {"technology", "technology", ColumnType::String,
          [](const Plan& p, std::size_t) { return text(to_string(p.tech)); }},
         {"operator", "operator", ColumnType::String,
          [](const Plan&, std::size_t) { return Value(); }},
         {"height_m", "height_m", ColumnType::Real,
          [](const Plan& p, std::size_t) { return Value(p.mast_height_m); }},
         {"on_air", "on_air", ColumnType::String, [](const Plan&, std::size_t) { return Value(); }},
         {"pick", "pick", ColumnType::Integer, site([](P s) { return integer(s.pick); })},
         {"lon", "lon", ColumnType::Real, site([](P s) { return Value(s.lon); })},
         {"lat", "lat", ColumnType::Real, site([](P s) { return Value(s.lat); })}},
        [](const Plan& p) { return p.sites.size(); },
        [](const Plan& p, std::size_t i, Shape& s) {
            s.kind = Shape::Kind::Point;
            s.a = p.sites[i].xy;
        }};
    return def;
}

const LayerDef<Plan>& backhaul_links_layer() {
    using L = const BackhaulLink&;
    auto link = [](auto get) {
        return [get](const Plan& p, std::size_t i) { return get(p.links[i]); };
    };
    static const LayerDef<Plan> def{
        "backhaul_links",
        GeometryType::Lines,
        false,
        {{"from_pick", "from_pick", ColumnType::Integer,
          link([](L l) { return integer(l.from_pick); })},
         {"to_pick", "to_pick", ColumnType::Integer, link([](L l) { return integer(l.to_pick); })},
         {"to_site", "to_site", ColumnType::String,
          link([](L l) { return l.to_pick == 0 ? text(l.to_site) : Value(); })},
         {"length_m", "length_m", ColumnType::Real, link([](L l) { return Value(l.length_m); })}},
        [](const Plan& p) { return p.links.size(); },
        [](const Plan& p, std::size_t i, Shape& s) {
            s.kind = Shape::Kind::Line;
            s.a = p.links[i].from;
            s.b = p.links[i].to;
        }};
    return def;
}

const LayerDef<WhatIf>& whatif_layer() {
    using W = const WhatIfRow&;
    auto row = [](auto get) {
        return [get](const WhatIf& w, std::size_t i) { return get(w.rows[i]); };
    };
    static const LayerDef<WhatIf> def{
        "whatif",
        GeometryType::None,
        false,
        {{"level", "level", ColumnType::String, row([](W r) { return text(r.level); })},
         {"province", "province", ColumnType::String, row([](W r) { return text(r.province); })},
         {"unit", "unit", ColumnType::String, row([](W r) { return text(r.unit); })},
         {"villages", "villages", ColumnType::Integer,
          row([](W r) { return integer(r.villages); })},
         {"white_today", "wht_today", ColumnType::Integer,
          row([](W r) { return integer(r.white_today); })},
         {"white_planned", "wht_plan", ColumnType::Integer,
          row([](W r) { return integer(r.white_planned); })},
         {"partial_today", "par_today", ColumnType::Integer,
          row([](W r) { return integer(r.partial_today); })},
         {"partial_planned", "par_plan", ColumnType::Integer,
          row([](W r) { return integer(r.partial_planned); })},
         {"covered_today", "cov_today", ColumnType::Integer,
          row([](W r) { return integer(r.covered_today); })},
         {"covered_planned", "cov_plan", ColumnType::Integer,
          row([](W r) { return integer(r.covered_planned); })},
         {"improved", "improved", ColumnType::Integer,
          row([](W r) { return integer(r.improved); })},
         {"people_newly", "new_people", ColumnType::Real,
          row([](W r) { return Value(r.people_newly); })}},
        [](const WhatIf& w) { return w.rows.size(); }};
    return def;
}

// The trend's per-class columns (white, partial, covered, people without signal) of the
// counts `of(trend, row)` gives: the same for the whole area and for each unit.
template <class Of> void trend_counts(std::vector<Column<Trend>>& c, Of of) {
    auto counts = [of](auto get) {
        return [of, get](const Trend& t, std::size_t i, ServiceClass cls) {
            return get(of(t, i)[index_of(cls)]);
        };
    };
    using N = const ClassCounts&;
    per_class<Trend>(c, "white", "wht", ColumnType::Integer,
                     counts([](N n) { return integer(n.white); }));
    per_class<Trend>(c, "partial", "par", ColumnType::Integer,
                     counts([](N n) { return integer(n.partial); }));
    per_class<Trend>(c, "covered", "cov", ColumnType::Integer,
                     counts([](N n) { return integer(n.covered); }));
    per_class<Trend>(c, "people_without", "pw", ColumnType::Real,
                     counts([](N n) { return Value(n.people_without); }));
}

const LayerDef<Trend>& trend_layer() {
    static const LayerDef<Trend> def = [] {
        using T = const TrendRow&;
        auto row = [](auto get) {
            return [get](const Trend& t, std::size_t i) { return get(t.rows[i]); };
        };
        LayerDef<Trend> d{
            "trend",
            GeometryType::None,
            false,
            {{"year", "year", ColumnType::Integer, row([](T r) { return integer(r.year); })},
             {"stations", "stations", ColumnType::Integer,
              row([](T r) { return integer(r.stations); })},
             {"sites", "sites", ColumnType::Integer, row([](T r) { return integer(r.sites); })},
             {"villages", "villages", ColumnType::Integer,
              row([](T r) { return integer(r.counts[0].villages); })}},
            [](const Trend& t) { return t.rows.size(); }};
        trend_counts(
            d.columns,
            [](const Trend& t, std::size_t i) -> const auto& { return t.rows[i].counts; });
        return d;
    }();
    return def;
}

const LayerDef<Trend>& trend_units_layer() {
    static const LayerDef<Trend> def = [] {
        using U = const TrendUnitRow&;
        auto row = [](auto get) {
            return [get](const Trend& t, std::size_t i) { return get(t.units[i]); };
        };
        LayerDef<Trend> d{
            "trend_units",
            GeometryType::None,
            false,
            {{"year", "year", ColumnType::Integer, row([](U r) { return integer(r.year); })},
             {"level", "level", ColumnType::String, row([](U r) { return text(r.level); })},
             {"province", "province", ColumnType::String,
              row([](U r) { return text(r.province); })},
             {"district", "district", ColumnType::String,
              row([](U r) { return text(r.district); })},
             {"commune", "commune", ColumnType::String, row([](U r) { return text(r.commune); })},
             {"province_code", "prov_code", ColumnType::String,
              row([](U r) { return text(r.province_code); })},
             {"district_code", "dist_code", ColumnType::String,
              row([](U r) { return text(r.district_code); })},
             {"commune_code", "comm_code", ColumnType::String,
              row([](U r) { return text(r.commune_code); })},
             {"unit_code", "unit_code", ColumnType::String,
              row([](U r) { return text(r.unit_code); })},
             {"unit_name", "unit_name", ColumnType::String,
              row([](U r) { return text(r.unit_name); })},
             {"unit_level", "unit_level", ColumnType::String,
              row([](U r) { return text(r.unit_level); })},
             {"parent_code", "par_code", ColumnType::String,
              row([](U r) { return text(r.parent_code); })},
             {"villages", "villages", ColumnType::Integer,
              row([](U r) { return integer(r.counts[0].villages); })}},
            [](const Trend& t) { return t.units.size(); }};
        trend_counts(
            d.columns,
            [](const Trend& t, std::size_t i) -> const auto& { return t.units[i].counts; });
        return d;
    }();
    return def;
}

// One line on what each layer holds (a GeoPackage's gpkg_contents.description).
std::string description_of(const std::string& layer) {
    static const std::map<std::string, std::string> descriptions{
        {"villages", "Each village with its coverage share, status (white, partial, covered) "
                     "per service class and gap rank"},
        {"coverage", "Where each service class has signal: the dissolved footprints"},
        {"stations", "Each station as read, with the radius of its footprint and where the "
                     "radius came from"},
        {"summary", "Villages, people and sites per province, district and commune"},
        {"sites", "The sites (stations sharing a position) and the villages they serve"},
        {"summary_operators", "Per unit and operator: the villages whose centre the operator "
                              "reaches, and those it alone reaches"},
        {"proposed_sites", "New sites the plan proposes, in order of people served"},
        {"unlinkable_candidates", "Candidates the plan would have chosen but cannot link to the "
                                  "network"},
        {"planned_stations", "The proposed sites as stations, to be read as stations again"},
        {"backhaul_links", "The backhaul link of each proposed site to the network"},
        {"whatif", "Each village's status today and with the planned stations on air"},
        {"trend", "White, partial and covered villages per year of the network"},
        {"trend_units", "White, partial and covered villages per year and per province, district, "
                        "commune and unit of --units"},
        {"changes", "Each village's status in two results and the transition between them"},
        {"change_summary", "Transitions and rates before and after per province, district, "
                           "commune and unit of --units"},
    };
    const auto it = descriptions.find(layer);
    return it == descriptions.end() ? layer : it->second;
}

using Cmp = Comparison;

// The village of a change row as the changes layer shows it: the later run's, or the earlier
// run's for a gone village.
const CompareVillage& village_of(const Cmp& c, std::size_t i) {
    const VillageChange& ch = c.changes[i];
    return ch.after >= 0 ? c.after.villages[static_cast<std::size_t>(ch.after)]
                         : c.before.villages[static_cast<std::size_t>(ch.before)];
}

const LayerDef<Cmp>& changes_layer() {
    static const LayerDef<Cmp> def = [] {
        using V = const CompareVillage&;
        auto village = [](auto get) {
            return [get](const Cmp& c, std::size_t i) { return get(village_of(c, i)); };
        };
        LayerDef<Cmp> d{
            "changes",
            GeometryType::Polygons,
            false,
            {{"village_id", "village_id", ColumnType::String,
              village([](V v) { return text(v.id); })},
             {"village_id_before", "vid_before", ColumnType::String,
              [](const Cmp& c, std::size_t i) {
                  const long b = c.changes[i].before;
                  return b >= 0 ? text(c.before.villages[static_cast<std::size_t>(b)].id) : Value();
              }},
             {"name", "name", ColumnType::String, village([](V v) { return text(v.name); })},
             {"province", "province", ColumnType::String,
              village([](V v) { return text(v.province); })},
             {"district", "district", ColumnType::String,
              village([](V v) { return text(v.district); })},
             {"commune", "commune", ColumnType::String,
              village([](V v) { return text(v.commune); })},
             {"matched_by", "matched_by", ColumnType::String,
              [](const Cmp& c, std::size_t i) { return text(to_string(c.changes[i].matched_by)); }},
             {"match_distance_m", "match_m", ColumnType::Real,
              [](const Cmp& c, std::size_t i) {
                  const double m = c.changes[i].match_distance_m;
                  return m >= 0 ? Value(m) : Value();
              }}},
            [](const Cmp& c) { return c.changes.size(); }};
        auto& cols = d.columns;
        per_class<Cmp>(
            cols, "status_before", "st_b", ColumnType::String,
            [](const Cmp& c, std::size_t i, ServiceClass cls) {
                const long b = c.changes[i].before;
                return b >= 0 ? text(to_string(c.before.villages[static_cast<std::size_t>(b)]
                                                   .status[index_of(cls)]))
                              : Value();
            });
        per_class<Cmp>(cols, "status_after", "st_a", ColumnType::String,
                       [](const Cmp& c, std::size_t i, ServiceClass cls) {
                           const long a = c.changes[i].after;
                           return a >= 0
                                      ? text(to_string(c.after.villages[static_cast<std::size_t>(a)]
                                                           .status[index_of(cls)]))
                                      : Value();
                       });
        per_class<Cmp>(cols, "transition", "tr", ColumnType::String,
                       [](const Cmp& c, std::size_t i, ServiceClass cls) {
                           return text(to_string(c.changes[i].transition[index_of(cls)]));
                       });
        d.shape = [](const Cmp& c, std::size_t i, Shape& s) {
            const CompareVillage& v = village_of(c, i);
            if (v.area.empty()) {
                s.kind = Shape::Kind::Point;
                s.a = v.centre;
            } else {
                s.kind = Shape::Kind::Area;
                s.area = &v.area;
            }
        };
        return d;
    }();
    return def;
}

// The Shapefile abbreviations of the transitions' count fields.
constexpr std::array<std::string_view, kTransitions.size()> kTransitionShp{
    "ncov", "npar", "impr", "nwht", "wors", "unch", "newv", "gone"};

const LayerDef<Cmp>& change_summary_layer() {
    static const LayerDef<Cmp> def = [] {
        using W = const ChangeRow&;
        auto row = [](auto get) {
            return [get](const Cmp& c, std::size_t i) { return get(c.rows[i]); };
        };
        LayerDef<Cmp> d{
            "change_summary",
            GeometryType::None,
            false,
            {{"level", "level", ColumnType::String, row([](W w) { return text(w.level); })},
             {"province", "province", ColumnType::String,
              row([](W w) { return text(w.province); })},
             {"district", "district", ColumnType::String,
              row([](W w) { return text(w.district); })},
             {"commune", "commune", ColumnType::String, row([](W w) { return text(w.commune); })},
             {"unit_code", "unit_code", ColumnType::String,
              row([](W w) { return text(w.unit_code); })},
             {"unit_name", "unit_name", ColumnType::String,
              row([](W w) { return text(w.unit_name); })}},
            [](const Cmp& c) { return c.rows.size(); }};
        auto counts = [](auto get) {
            return [get](const Cmp& c, std::size_t i, ServiceClass cls) {
                return get(c.rows[i].counts[index_of(cls)]);
            };
        };
        using N = const ChangeCounts&;
        auto& cols = d.columns;
        per_class<Cmp>(cols, "villages_before", "vb", ColumnType::Integer,
                       counts([](N n) { return integer(n.before.villages); }));
        per_class<Cmp>(cols, "villages_after", "va", ColumnType::Integer,
                       counts([](N n) { return integer(n.after.villages); }));
        per_class<Cmp>(cols, "covered_before", "cb", ColumnType::Integer,
                       counts([](N n) { return integer(n.before.covered); }));
        per_class<Cmp>(cols, "covered_after", "ca", ColumnType::Integer,
                       counts([](N n) { return integer(n.after.covered); }));
        per_class<Cmp>(cols, "partial_before", "pb", ColumnType::Integer,
                       counts([](N n) { return integer(n.before.partial); }));
        per_class<Cmp>(cols, "partial_after", "pa", ColumnType::Integer,
                       counts([](N n) { return integer(n.after.partial); }));
        per_class<Cmp>(cols, "white_before", "wb", ColumnType::Integer,
                       counts([](N n) { return integer(n.before.white); }));
        per_class<Cmp>(cols, "white_after", "wa", ColumnType::Integer,
                       counts([](N n) { return integer(n.after.white); }));
        per_class<Cmp>(cols, "coverage_rate_before", "rb", ColumnType::Real,
                       counts([](N n) { return Value(n.before.coverage_rate()); }));
        per_class<Cmp>(cols, "coverage_rate_after", "ra", ColumnType::Real,
                       counts([](N n) { return Value(n.after.coverage_rate()); }));
        per_class<Cmp>(cols, "signal_rate_before", "sb", ColumnType::Real,
                       counts([](N n) { return Value(n.before.signal_rate()); }));
        per_class<Cmp>(cols, "signal_rate_after", "sa", ColumnType::Real,
                       counts([](N n) { return Value(n.after.signal_rate()); }));
        for (Transition t : kTransitions)
            per_class<Cmp>(cols, std::string(to_string(t)),
                           std::string(kTransitionShp[static_cast<std::size_t>(t)]),
                           ColumnType::Integer, counts([t](N n) { return integer(n.count(t)); }));
        return d;
    }();
    return def;
}

// The summary's "since last year" columns (analyze --baseline), taken from the comparison's
// row of the same unit.
const std::vector<Column<ChangeRow>>& since_columns() {
    static const std::vector<Column<ChangeRow>> cols = [] {
        std::vector<Column<ChangeRow>> c;
        auto add = [&c](const std::string& name, const std::string& shp, auto get) {
            for (ServiceClass cls : kServiceClasses)
                c.push_back({name + "_" + std::string(to_string(cls)),
                             shp + (cls == ServiceClass::Any ? "_any" : "_bb"), ColumnType::Integer,
                             [get, cls](const ChangeRow& w, std::size_t) {
                                 return integer(get(w.counts[index_of(cls)]));
                             }});
        };
        using N = const ChangeCounts&;
        add("villages_before", "vb", [](N n) { return n.before.villages; });
        add("white_before", "wb", [](N n) { return n.before.white; });
        add("covered_before", "cb", [](N n) { return n.before.covered; });
        add("newly_covered", "ncov", [](N n) { return n.count(Transition::NewlyCovered); });
        add("newly_white", "nwht", [](N n) { return n.count(Transition::NewlyWhite); });
        return c;
    }();
    return cols;
}

// The summary table with the "since last year" columns appended: each summary row's unit
// looked up in the comparison (NULL for a unit the comparison does not have); a unit of
// --units by its code alone, the other levels by their names.
void add_since_columns(Table& summary, const Summary& rows, const Cmp& baseline) {
    using Key = std::tuple<std::string, std::string, std::string, std::string>;
    auto key = [](const std::string& level, const std::string& province,
                  const std::string& district, const std::string& commune,
                  const std::string& unit_code) {
        return level == "unit" ? Key{level, unit_code, "", ""}
                               : Key{level, province, district, commune};
    };
    std::map<Key, const ChangeRow*> by_unit;
    for (const ChangeRow& r : baseline.rows)
        by_unit[key(r.level, r.province, r.district, r.commune, r.unit_code)] = &r;
    std::vector<const ChangeRow*> match;
    for (const SummaryRow& r : rows.rows) {
        auto it = by_unit.find(key(r.level, r.province, r.district, r.commune, r.unit_code));
        match.push_back(it == by_unit.end() ? nullptr : it->second);
    }
    for (const auto& c : since_columns())
        summary.info.columns.push_back({c.name, c.shp, c.type});
    const std::size_t first =
        summary.carried.size() + summary.info.columns.size() - since_columns().size();
    summary.fill = [fill = std::move(summary.fill), match = std::move(match), first](std::size_t i,
                                                                                     Row& row) {
        fill(i, row);
        std::size_t k = first;
        for (const auto& c : since_columns())
            row.values[k++] = match[i] ? c.get(*match[i], i) : Value();
    };
}

template <class Source> LayerInfo info_of(const LayerDef<Source>& def) {
    LayerInfo info{def.name, def.geometry, def.carries_input_fields, {}, description_of(def.name)};
    for (const auto& c : def.columns)
        info.columns.push_back({c.name, c.shp, c.type});
    return info;
}

// A table whose rows are taken from `source` by `def`; `carried` and `values` give the input
// layer's own fields and row i's values of them (a std::vector<Value> or a ValueRow).
template <class Source, class Values = std::nullptr_t>
Table table_of(const LayerDef<Source>& def, const Source& source,
               std::vector<FieldDef> carried = {}, Values values = nullptr) {
    Table t{info_of(def), std::move(carried), def.rows(source), {}, {}};
    t.fill = [&def, &source, values = std::move(values)](std::size_t i, Row& row) {
        std::size_t k = 0;
        if constexpr (!std::is_same_v<Values, std::nullptr_t>) {
            const auto& v = values(i);
            for (; k < v.size(); ++k)
                row.values[k] = v[k];
        }
        for (const auto& c : def.columns)
            row.values[k++] = c.get(source, i);
        row.shape = Shape{};
        if (def.shape)
            def.shape(source, i, row.shape);
    };
    return t;
}

// The carried village field that holds the names (the one the "name" role was read from):
// the first text field equal to the name of the first named village. Empty when none is.
std::string name_field(const R& r) {
    const auto& fields = r.inputs.village_fields;
    for (const Village& v : r.inputs.villages) {
        if (v.name.empty())
            continue;
        for (std::size_t k = 0; k < fields.size() && k < v.values.size(); ++k)
            if (const Value value = v.values[k]; std::holds_alternative<std::string>(value) &&
                                                 std::get<std::string>(value) == v.name)
                return fields[k].name;
        break;
    }
    return {};
}

// The comparison's two tables: the changes layer (points, polygons or both) and the
// change_summary table.
void add_change_tables(std::vector<Table>& tables, const Comparison& c) {
    tables.push_back(table_of(changes_layer(), c));
    bool points = false, areas = false;
    for (std::size_t i = 0; i < c.changes.size(); ++i)
        (village_of(c, i).area.empty() ? points : areas) = true;
    tables.back().info.geometry = points && areas ? GeometryType::Mixed
                                  : points        ? GeometryType::Points
                                                  : GeometryType::Polygons;
    tables.push_back(table_of(change_summary_layer(), c));
}

} // namespace

std::vector<Table> make_tables(const OutputSet& o) {
    assert(o.analysis || o.changes);
    std::vector<Table> tables;
    if (!o.analysis) {
        add_change_tables(tables, *o.changes);
        return tables;
    }
    const R& r = *o.analysis;
    // With wait_for_analysis the tables are made before the stages after the overlay have run
    // (run_and_write() writes the stations layer meanwhile): those stages' tables count, and
    // read, their rows after them.
    const auto after_analysis = [&](const LayerDef<R>& def) {
        if (o.wait_for_analysis)
            tables.back().count = [wait = o.wait_for_analysis, &def, &r] {
                wait();
                return def.rows(r);
            };
    };
    tables.push_back(
        table_of(villages_layer(), r, r.inputs.village_fields,
                 [&r](std::size_t i) -> const ValueRow& { return r.inputs.villages[i].values; }));
    bool points = false, areas = false;
    for (const auto& v : r.inputs.villages)
        (v.is_point() ? points : areas) = true;
    tables.back().info.geometry = points && areas ? GeometryType::Mixed
                                  : points        ? GeometryType::Points
                                                  : GeometryType::Polygons;
    tables.back().label_field = name_field(r);
    after_analysis(villages_layer());
    tables.push_back(table_of(coverage_layer(), r));
    if (o.wait_for_coverage) {
        Table& t = tables.back();
        t.late = true;
        t.fill = [fill = std::move(t.fill), wait = o.wait_for_coverage,
                  waited = std::make_shared<bool>(false)](std::size_t i, Row& row) {
            if (!*waited) {
                wait();
                *waited = true;
            }
            fill(i, row);
        };
    }
    tables.push_back(
        table_of(stations_layer(), r, r.inputs.station_fields,
                 [&r](std::size_t i) -> const ValueRow& { return r.inputs.stations[i].values; }));
    tables.push_back(table_of(summary_layer(), r));
    after_analysis(summary_layer());
    if (o.baseline)
        add_since_columns(tables.back(), r.summary, *o.baseline);
    tables.push_back(table_of(sites_layer(), r));
    after_analysis(sites_layer());
    tables.push_back(table_of(summary_operators_layer(), r));
    after_analysis(summary_operators_layer());
    if (o.plan) {
        // The candidates' own fields; NULL for a site that is not a candidate's point.
        const Plan& p = *o.plan;
        auto candidate_values = [nulls = std::vector<Value>(p.candidate_fields.size())](
                                    const std::vector<Value>& v) -> const std::vector<Value>& {
            return v.size() == nulls.size() ? v : nulls;
        };
        tables.push_back(
            table_of(proposed_sites_layer(), p, p.candidate_fields,
                     [&p, candidate_values](std::size_t i) -> const std::vector<Value>& {
                         return candidate_values(p.sites[i].candidate_values);
                     }));
        tables.push_back(table_of(backhaul_links_layer(), p));
        tables.push_back(table_of(planned_stations_layer(), p));
        tables.push_back(
            table_of(unlinkable_candidates_layer(), p, p.candidate_fields,
                     [&p, candidate_values](std::size_t i) -> const std::vector<Value>& {
                         return candidate_values(p.unlinkable[i].candidate_values);
                     }));
    }
    if (o.whatif)
        tables.push_back(table_of(whatif_layer(), *o.whatif));
    if (o.trend) {
        tables.push_back(table_of(trend_layer(), *o.trend));
        tables.push_back(table_of(trend_units_layer(), *o.trend));
    }
    if (o.changes)
        add_change_tables(tables, *o.changes);
    return tables;
}

std::vector<std::string> carried_names(const Table& table, std::vector<std::string> taken) {
    std::set<std::string> used(taken.begin(), taken.end()), inputs;
    for (const FieldDef& f : table.carried)
        inputs.insert(text::lower(f.name));
    std::vector<std::string> names;
    for (const FieldDef& f : table.carried) {
        std::string name = f.name;
        for (int n = 1; used.count(text::lower(name)) != 0 ||
                        (name != f.name && inputs.count(text::lower(name)) != 0);
             ++n)
            name = f.name + "_in" + (n == 1 ? std::string() : std::to_string(n));
        used.insert(text::lower(name));
        names.push_back(std::move(name));
    }
    return names;
}

const std::string& crs_of(const Comparison& comparison) { return comparison.after.crs_wkt; }

} // namespace whitezone::report

namespace whitezone {

MultiPolygon village_area(const AnalysisResult& r, std::size_t i) {
    const Village& v = r.inputs.villages[i];
    if (!r.spilled_areas || v.is_point())
        return v.area;
    MultiPolygon area;
    r.spilled_areas->read(i, area);
    return area;
}

std::vector<LayerInfo> output_layers(const LayerSelection& selection) {
    using namespace report;
    std::vector<LayerInfo> layers;
    if (selection.analysis) {
        layers = {info_of(villages_layer()), info_of(coverage_layer()),
                  info_of(stations_layer()), info_of(summary_layer()),
                  info_of(sites_layer()),    info_of(summary_operators_layer())};
        if (selection.baseline)
            for (const auto& c : since_columns())
                layers[3].columns.push_back({c.name, c.shp, c.type});
    }
    if (selection.plan) {
        layers.push_back(info_of(proposed_sites_layer()));
        layers.push_back(info_of(backhaul_links_layer()));
        layers.push_back(info_of(planned_stations_layer()));
        layers.push_back(info_of(unlinkable_candidates_layer()));
    }
    if (selection.whatif)
        layers.push_back(info_of(whatif_layer()));
    if (selection.trend) {
        layers.push_back(info_of(trend_layer()));
        layers.push_back(info_of(trend_units_layer()));
    }
    if (selection.changes) {
        layers.push_back(info_of(changes_layer()));
        layers.push_back(info_of(change_summary_layer()));
    }
    return layers;
}

std::vector<std::string> output_layer_names(const LayerSelection& selection) {
    std::vector<std::string> names;
    for (const auto& layer : output_layers(selection))
        names.push_back(layer.name);
    return names;
}

} // namespace whitezone
