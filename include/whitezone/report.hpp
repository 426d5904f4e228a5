#pragma once
/// \file report.hpp
/// Stage 7, write / report: the summary per administrative unit, the console table, and the
/// output layers (write.hpp: GeoPackage by default; GeoJSON, Shapefile, CSV or FlatGeobuf
/// files in a folder; PostGIS).

#include "whitezone/calibrate.hpp"
#include "whitezone/classify.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/operators.hpp"
#include "whitezone/overlay.hpp"
#include "whitezone/plan.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/rank.hpp"
#include "whitezone/raster.hpp"
#include "whitezone/read/raster.hpp"
#include "whitezone/report/options.hpp"
#include "whitezone/stability.hpp"
#include "whitezone/types.hpp"
#include "whitezone/write.hpp"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace whitezone {

/// Village counts of one class in one unit.
struct ClassCounts {
    long villages = 0, covered = 0, partial = 0, white = 0;
    double people_without = 0.0;
    /// With a stability assessment: white villages whose stability is at least
    /// StabilityOptions::firm_from (surely white), and the others (borderline). 0 without one.
    long white_firm = 0, white_borderline = 0;

    /// Share of villages that are covered, 0-1 (0 for no villages).
    [[nodiscard]] double coverage_rate() const;
    /// Share of villages with signal at the centre (covered or partial), 0-1.
    [[nodiscard]] double signal_rate() const;
};

/// One administrative unit. `level` is "all", "province", "district", "commune" or "unit"
/// (a unit of --units); the names and codes above the level are filled, those below are
/// empty. Units with a code are told apart by their code (two communes of one name are two
/// rows), units without one by their name.
struct SummaryRow {
    std::string level, province, district, commune;
    PerClass<ClassCounts> counts;
    /// Villages with at least one flag (Village::flags), and per flag (indexed by VillageFlag)
    /// the villages that carry it.
    long flagged = 0;
    std::array<long, kVillageFlagCount> flag_counts{};
    /// The codes of the province, district and commune (Village::province_code, …): "" when
    /// the villages carry none.
    std::string province_code{}, district_code{}, commune_code{};
    /// A "unit" row's unit of --units: its code, name, level and parent code (the province
    /// and its code are those of its villages when they all share one). "" on other rows.
    std::string unit_code{}, unit_name{}, unit_level{}, parent_code{};
};

/// One operator in one unit (a row of the `summary_operators` table): the unit, a row of the
/// summary, and the villages whose centre the operator reaches.
struct OperatorCount {
    /// The unit: its row in Summary::rows, whose level, names and codes are the unit's (a
    /// national summary holds a hundred thousand of these, an index each instead of copies).
    std::size_t row = 0;
    std::string operator_name; ///< as normalised by prepare; "" = unknown
    /// The operator's sites (operator, site id) serving some village of the unit: their
    /// footprint holds its centre and the operator reaches it (class "any"). Numbers of the
    /// ids in Summary::site_ids, ascending (so the ids are in byte order), each once: a
    /// national summary holds millions of them, a number each instead of a copy of the id.
    std::vector<std::uint32_t> site_numbers;
    /// Villages whose centre the operator reaches, per class.
    long villages_any = 0, villages_broadband = 0;
    /// Of those, the villages that no other operator reaches (roaming or sharing cases).
    long only_any = 0, only_broadband = 0;
    /// The number of sites (site_numbers.size()).
    [[nodiscard]] long sites() const { return static_cast<long>(site_numbers.size()); }
};

/// Sites and cells of one operator and technology ("" operator = unknown).
struct SiteCount {
    std::string operator_name;
    Tech tech = Tech::G4;
    long sites = 0, cells = 0;
};

/// The report tables.
struct Summary {
    std::vector<SummaryRow> rows; ///< "all" first, then provinces, districts, communes, units
    std::vector<SiteCount> sites;
    /// Per unit (every row of `rows`, in its order) and operator reaching some of its
    /// villages, by operator name; empty when no operators were assessed.
    std::vector<OperatorCount> operators;
    /// The site ids OperatorCount::site_numbers number: sorted in byte order, each once.
    std::vector<std::string> site_ids;
    /// The ids of the sites of `c` (a row of `operators`), in byte order.
    [[nodiscard]] std::vector<std::string> site_ids_of(const OperatorCount& c) const;
    /// The unit of `c` (a row of `operators`): its row of `rows`.
    [[nodiscard]] const SummaryRow& unit_of(const OperatorCount& c) const { return rows.at(c.row); }
    /// Runs of the stability assessment behind ClassCounts::white_firm; 0: none was made.
    int stability_runs = 0;
    /// The stability from which a white village counts as firm.
    double firm_from = 0.9;
};

/// The counts of all villages per class (the summary's "all" row).
PerClass<ClassCounts> count_villages(const Classification& classification);

/// Builds the summary at every level the villages carry: the district level only when the
/// villages have a district field (Vietnam dropped it in July 2025), the "unit" level when
/// they were assigned to the units of --units (assign_units()). With `stability`, white
/// villages are also counted as firm (stability >= firm_from) or borderline. With
/// `operators`, the `operators` table per unit and operator. On up to `threads` threads (the
/// same summary for any number).
Summary summarize(const PreparedInputs& inputs, const Classification& classification,
                  const Stability* stability = nullptr, double firm_from = 0.9,
                  const VillageOperators* operators = nullptr, int threads = 1);

/// The console table: the totals, then one line per province and, under each, its units of
/// `level` ("province": none; "district", "commune" or "unit"; "auto" or "": the units of
/// --units, else districts, else communes), then sites per operator and technology, then the
/// villages each operator reaches (of all villages).
std::string format_summary(const Summary& summary, std::string_view level = "auto");

/// The console table of a plan: the chosen sites in order with their marginal gains, the
/// share of villages covered or reached after each, the backhaul parent and hop, then the
/// covered share before and after (Plan::end_rate), the villages reached, and the connected
/// and unconnectable counts.
std::string format_plan(const Plan& plan);

/// One unit of the planned stations' what-if: its villages' statuses in one class today and
/// with the planned stations on air.
struct WhatIfRow {
    std::string level;    ///< "all", "district" or "commune"
    std::string province; ///< "" for "all"
    std::string unit;     ///< the district's or commune's name, "" for "all"
    long villages = 0;
    long white_today = 0, white_planned = 0;
    long partial_today = 0, partial_planned = 0;
    long covered_today = 0, covered_planned = 0;
    /// Villages whose status got better: white → partial or covered, partial → covered.
    long improved = 0;
    /// The fall in people without signal (classify's value), summed over the unit's villages.
    double people_newly = 0.0;
};

/// The what-if of `whitezone plan --planned`: the "all" row first, then one row per district
/// (per commune when the villages have no district; none when they have neither), sorted by
/// province and name.
struct WhatIf {
    ServiceClass service_class = ServiceClass::Broadband;
    std::size_t planned_stations = 0; ///< stations of the --planned layer
    std::vector<WhatIfRow> rows;
};

/// Compares two classifications of the same villages in class `cls`: `today` (the existing
/// stations) and `planned` (the existing and the planned stations).
WhatIf compare_whatif(const PreparedInputs& inputs, const Classification& today,
                      const Classification& planned, ServiceClass cls);

/// The console table of a what-if: one line per row of `whatif`.
std::string format_whatif(const WhatIf& whatif);

/// Everything a run produces, stage by stage.
/// The received power of the ITM model (`"coverage_model": "itm"`, docs/itm.md): the
/// rasters per class, and per village (in the order of PreparedInputs::villages) the best
/// server's power and station at its centre.
struct SignalResult {
    SignalRasters rasters;
    /// The best server's received power at the village centre, dBm; NaN where no station of
    /// the class reaches it (or the centre lies off the grid).
    std::vector<double> signal_dbm_centre_any, signal_dbm_centre_broadband;
    /// The best server at the village centre: its index into PreparedInputs::stations; −1
    /// for none.
    std::vector<std::int64_t> best_site_any, best_site_broadband;
};

/// signal_dbm_centre_* and best_site_* of `villages` read from `rasters`.
SignalResult signal_at_villages(SignalRasters rasters, const std::vector<Village>& villages);

/// Writes the GeoTIFFs of `signal` in the CRS `crs_wkt` (PreparedInputs::work_crs_wkt):
/// `PREFIX` + `signal_dbm_any.tif`, `signal_dbm_broadband.tif` (float32, the best server's
/// received power in dBm, NaN for none) and `best_server_any.tif`, `best_server_broadband.tif`
/// (int32, the best server's index into PreparedInputs::stations, −1 for none); tiled
/// 256 × 256, DEFLATE, with overviews; each file whole or not at all (an existing one is
/// replaced). `prefix` is a folder with a trailing slash, or a path prefix. With `stations`
/// (PreparedInputs::stations), also `PREFIX` + `best_server_stations.csv`: the table of the
/// best-server rasters' values (`index, station_row, site_id, operator, technology, x,
/// y` of every station, x and y in the work CRS; QGIS joins it on `index`). Returns the paths
/// written. Throws ExternalError when GDAL cannot write.
std::vector<std::string> write_signal_rasters(const SignalResult& signal,
                                              const std::string& crs_wkt, const std::string& prefix,
                                              const std::vector<Station>* stations = nullptr);

class AreaSpill; // the villages' polygons in a temporary file (src/common/spill.hpp)

struct AnalysisResult {
    PreparedInputs inputs;
    Footprints footprints;
    PerClass<MultiPolygon> coverage; ///< dissolved footprints (terrain: covered cells) per class
    Overlay overlay;
    Classification classification;
    Ranking ranking;
    Summary summary;
    /// The operators reaching each village's centre (operators_at_villages()).
    VillageOperators operators;
    /// The villages' extent in the work CRS (every polygon and centre).
    Extent study_area;
    /// The terrain mode's DEM on the work grid (--dem), when given.
    std::optional<Raster<float>> dem;
    /// The population grid's cells in the study area (--population), when given.
    std::vector<PopulationCell> population;
    /// How firm each village's status is (StabilityOptions::enabled), when assessed.
    std::optional<Stability> stability;
    /// The ITM model's received power and best servers, when it ran (`"coverage_model":
    /// "itm"`); unset for the other models.
    std::optional<SignalResult> signal;
    /// The ITM model against the measurements (--measurements), when given.
    std::optional<Calibration> calibration;
    /// The villages' polygons when run_and_write() (or `analyze --baseline`) moved them out of
    /// memory into a temporary file after the last stage that reads them (docs/performance.md, "The
    /// villages' polygons on disk"); null otherwise. While set, a polygon village's Village::area
    /// holds one polygon without rings (so that Village::is_point() still answers): read its
    /// polygons with village_area().
    std::shared_ptr<const AreaSpill> spilled_areas;
};

/// The polygons of village `i` of `r` (empty for a point village): Village::area, or read
/// back from AnalysisResult::spilled_areas. Throws ExternalError when they cannot be read.
MultiPolygon village_area(const AnalysisResult& r, std::size_t i);

} // namespace whitezone
