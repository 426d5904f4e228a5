#pragma once
/// \file compare.hpp
/// Comparing two results of `whitezone analyze` (last year's and this year's) village by
/// village: villages matched by id, else by geometry; per village and service class the
/// status before and after and the transition; per administrative unit the counts of each
/// transition and the rates before and after (docs/compare.md).

#include "whitezone/compare/options.hpp"
#include "whitezone/context.hpp"
#include "whitezone/names.hpp"
#include "whitezone/report.hpp"
#include "whitezone/types.hpp"
#include "whitezone/write.hpp"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone {

struct Config; // config.hpp

/// What became of one village in one service class between two runs (docs/compare.md has
/// the table). Statuses are ordered white < partial < covered.
enum class Transition : std::uint8_t {
    NewlyCovered, ///< white → covered
    NewlyPartial, ///< white → partial
    Improved,     ///< partial → covered
    NewlyWhite,   ///< partial or covered → white: signal lost at the centre
    Worsened,     ///< covered → partial
    Unchanged,    ///< the same status in both runs
    NewVillage,   ///< only in the later run
    GoneVillage,  ///< only in the earlier run
};
inline constexpr std::array<Transition, 8> kTransitions{
    Transition::NewlyCovered, Transition::NewlyPartial, Transition::Improved,
    Transition::NewlyWhite,   Transition::Worsened,     Transition::Unchanged,
    Transition::NewVillage,   Transition::GoneVillage};

/// Names of the transitions, as the `transition_*` fields write them.
inline constexpr EnumNames<Transition, 8> kTransitionNames{{{
    {Transition::NewlyCovered, "newly_covered"},
    {Transition::NewlyPartial, "newly_partial"},
    {Transition::Improved, "improved"},
    {Transition::NewlyWhite, "newly_white"},
    {Transition::Worsened, "worsened"},
    {Transition::Unchanged, "unchanged"},
    {Transition::NewVillage, "new_village"},
    {Transition::GoneVillage, "gone_village"},
}}};

/// "newly_covered", …
std::string_view to_string(Transition transition);

/// The transition from `before` to `after`; nullopt stands for "not in that run". Both
/// nullopt is not a village and asserts.
Transition transition_of(std::optional<Status> before, std::optional<Status> after);

/// How a village of one run was found in the other.
enum class MatchKind : std::uint8_t {
    Id,       ///< the same village id, unique in both runs
    Geometry, ///< by place: one's centre in the other's polygon, or the nearest centre
    None,     ///< not found: a new or a gone village
};
inline constexpr EnumNames<MatchKind, 3> kMatchKindNames{
    {{{MatchKind::Id, "id"}, {MatchKind::Geometry, "geometry"}, {MatchKind::None, "none"}}}};

/// "id", "geometry" or "none", as the `matched_by` field writes it.
std::string_view to_string(MatchKind kind);

/// One village of a run as the comparison needs it.
struct CompareVillage {
    std::string id, name, province, district, commune;
    MultiPolygon area; ///< empty for a point village
    XY centre;         ///< in the side's CRS; for a polygon read from a file, a point inside it
    PerClass<Status> status{};
    /// The unit of --units the run put the village in (Village::unit_code, unit_name; the
    /// `unit_code` and `unit_name` fields of a result): "" without --units, or outside every
    /// unit.
    std::string unit_code{}, unit_name{};
};

/// One run: its villages in a metric CRS.
struct CompareSide {
    std::string source;  ///< the path or connection string (passwords hidden), for messages
    std::string crs_wkt; ///< the villages' CRS (a result's work CRS), metres
    std::vector<CompareVillage> villages;
};

/// One village in the comparison: its index in each side (−1: not there), how it was matched
/// and, per class, the transition.
struct VillageChange {
    long before = -1, after = -1;
    MatchKind matched_by = MatchKind::None;
    /// The distance between the two centres, metres (0 for an id match, −1 for none).
    double match_distance_m = -1.0;
    PerClass<Transition> transition{};
};

/// The counts of one unit and class: each side's villages by status, and each transition.
struct ChangeCounts {
    ClassCounts before, after; ///< the villages of each run in the unit (people not counted)
    std::array<long, kTransitions.size()> transitions{}; ///< indexed by the Transition value

    /// The count of one transition.
    [[nodiscard]] long count(Transition t) const {
        return transitions[static_cast<std::size_t>(t)];
    }
};

/// One administrative unit. `level` is "all", "province", "district", "commune" or "unit" (a
/// unit of --units); names as in SummaryRow.
struct ChangeRow {
    std::string level, province, district, commune;
    PerClass<ChangeCounts> counts;
    /// A "unit" row's unit: its code and name (the later run's name where both have it); ""
    /// on other rows. Its `province` is that of its villages when they all share one.
    std::string unit_code{}, unit_name{};
};

/// The comparison of two runs. The earlier run's villages are in the later run's CRS.
struct Comparison {
    CompareSide before, after;
    double match_tolerance_m = 0.0;
    /// Every village of either run once: the matched pairs and the new villages in the later
    /// run's order, then the gone villages in the earlier run's order.
    std::vector<VillageChange> changes;
    /// "all" first, then provinces, districts, communes and units (of --units, by code) in
    /// Vietnamese order; a level is there when either run's villages carry it. Before-counts
    /// group the earlier run's villages by their own units, after-counts the later run's by
    /// theirs (so each side's rates equal its own summary); transitions count under the later
    /// run's unit (the earlier run's for gone villages).
    std::vector<ChangeRow> rows;
    /// When only one run carries units of --units (the other was analyzed without them), that
    /// other run's villages are counted in the unit of the village they matched
    /// (CompareVillage::unit_code is copied over): true for the run whose units were so
    /// borrowed.
    bool before_units_borrowed = false, after_units_borrowed = false;
    /// Of the villages whose units were borrowed, those that matched no village of the other
    /// run (gone or new villages): they count in no unit row.
    long units_unplaced = 0;
};

/// Reads the villages of a result of `whitezone analyze` (its `villages` layer: a GeoPackage,
/// a folder of GeoJSON / Shapefile / FlatGeobuf / CSV layers, or a `PG:` connection) in its
/// own CRS, with their unit of --units where the result has `unit_code` and `unit_name`. `role`
/// ("--before", "--after", "--baseline") names it in messages. Throws InputError when it cannot be
/// read, has no villages layer, lacks `status_any` or `status_broadband`, holds a status that is
/// not white / partial / covered, or its CRS is not metric.
CompareSide read_compare_side(const std::string& path, std::string_view role,
                              const CompareOptions& options = {});

/// The villages of an in-memory result (this year's run of `analyze --baseline`).
CompareSide compare_side(const AnalysisResult& result, std::string source = "this run");

/// Compares `before` with `after` (taken by value: their villages move into the result). The
/// earlier run is reprojected into the later run's CRS when they differ. When only one run
/// carries units of --units, the other's villages take the unit of the village they matched
/// (Comparison::before_units_borrowed). Throws InputError when the earlier run's CRS cannot
/// be transformed into the later one's.
Comparison compare_results(CompareSide before, CompareSide after,
                           const CompareOptions& options = {});

/// The console table: per unit (the totals, provinces and districts; communes when there is
/// no district) and class, the villages before → after, covered and white before → after,
/// and the counts of the transitions; then the unmatched villages' count.
std::string format_comparison(const Comparison& comparison);

/// `whitezone compare`: reads both runs, compares them (config.compare) and writes the
/// `changes` layer, the `change_summary` table and the provenance (the config, both results
/// as inputs with their hashes, the match tolerance as the model line) to config.write
/// (atomically, as every output). Checks the output before reading. Throws what
/// read_compare_side() and write_outputs() throw.
Comparison run_compare_and_write(const std::string& before, const std::string& after,
                                 const Config& config, const Context& ctx);

/// A run of `analyze --baseline`: the analysis and its comparison with the baseline.
struct BaselineRun {
    AnalysisResult result;
    Comparison comparison;
};

/// `whitezone analyze --baseline LAST`: run_and_write() whose summary gains the "since last
/// year" columns (docs/compare.md#baseline) from comparing the run's villages with the
/// baseline's. The baseline is read before any work, so a bad one fails at once.
BaselineRun run_with_baseline_and_write(const Config& config, const std::string& baseline,
                                        const CompareOptions& options, const Context& ctx);

} // namespace whitezone
