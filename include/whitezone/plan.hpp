#pragma once
/// \file plan.hpp
/// Stage 6, plan: where the next towers do the most good. New sites are chosen greedily
/// (maximal covering under a budget of N towers) among candidate points, then linked to the
/// existing network by a minimum spanning tree of backhaul hops (Boost.Graph).
/// docs/plan.md has the method and the formulas.

#include "whitezone/classify.hpp"
#include "whitezone/plan/options.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/raster.hpp"
#include "whitezone/types.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone {

struct CoverageOptions; // coverage/options.hpp

/// The radius plan_sites() uses: options.radius_m, else coverage.radius_m[options.tech]
/// (3,500 m when the coverage options have none for it).
double plan_radius_m(const PlanOptions& options, const CoverageOptions& coverage);

/// Where a candidate site comes from.
enum class CandidateSource : std::uint8_t {
    GapVillage, ///< "gap_village": the centre of a white or partial village
    Candidates, ///< "candidates": a point of the --candidates layer
    HighPoint,  ///< "high_point": with a DEM, the highest point near a gap village's centre
};
/// Names of the candidate sources, as the `source` fields write them.
inline constexpr EnumNames<CandidateSource, 3> kCandidateSourceNames{{{
    {CandidateSource::GapVillage, "gap_village"},
    {CandidateSource::Candidates, "candidates"},
    {CandidateSource::HighPoint, "high_point"},
}}};
std::string_view to_string(CandidateSource source);

/// One place a new site could go, in the work CRS.
struct PlanCandidate {
    XY xy;
    CandidateSource source = CandidateSource::GapVillage;
    long village = -1;    ///< index into PreparedInputs::villages (gap village, high point)
    std::int64_t row = 0; ///< 1-based row of the candidates layer for a given point
    /// For a point of --candidates: its fields' values (Plan::candidate_fields); else empty.
    std::vector<Value> values = {};
};

/// The gap villages' centres, in village order: the default candidates.
std::vector<PlanCandidate> gap_candidates(const PreparedInputs& inputs,
                                          const Classification& classification, ServiceClass cls);

/// With a DEM (config.dem): for each gap-village candidate of `gaps`, the highest point of the
/// terrain within options.high_point_search_m of it (dem.hpp highest_points()), when
/// it is not the village centre itself; duplicates (two villages sharing a hill top) once.
std::vector<PlanCandidate> high_point_candidates(const std::vector<PlanCandidate>& gaps,
                                                 const Raster<float>& dem,
                                                 const PlanOptions& options);

/// Whether a new site at `site` reaches the village centre `village` (besides being within
/// the radius): with a DEM, line of sight from its mast to a receiver there. Empty: always.
using SiteReach = std::function<bool(XY site, XY village)>;

/// Whether a backhaul hop can link a mast `height_a` metres tall at `a` with one `height_b`
/// metres tall at `b` (besides its length): with a DEM, line of sight. Empty: always.
using HopClear = std::function<bool(XY a, double height_a, XY b, double height_b)>;

/// Whether a new site at `site` can be linked to the network as it stands: an existing
/// station within a backhaul hop, or one of the sites already `chosen` (in the work CRS).
using SiteLinkable = std::function<bool(XY site, const std::vector<XY>& chosen)>;

/// The link check plan_backhaul() builds its graph with: a station of `stations`, or a chosen
/// site, within options.max_hop_m (and with `clear`, in line of sight; existing masts are
/// `height_m` tall, else options.mast_height_m). A site that passes it at the step it is
/// chosen is always connected by plan_backhaul(). `stations` must outlive the check. Throws
/// UsageError for a negative max_hop_m.
SiteLinkable backhaul_link_check(const std::vector<Station>& stations, const PlanOptions& options,
                                 const HopClear& clear = {});

/// One proposed site, in the order it was chosen.
struct ProposedSite {
    long pick = 0;             ///< 1 = chosen first (not `order`: an SQL keyword)
    std::size_t candidate = 0; ///< index into the candidates given to plan_sites()
    XY xy;
    /// xy in WGS 84 degrees; plan() (pipeline.hpp) fills them, plan_sites() leaves them 0.
    double lon = 0.0, lat = 0.0;
    CandidateSource source = CandidateSource::GapVillage;
    long village = -1;              ///< village index when the site is a gap village's centre
    std::string village_id;         ///< that village's id, "" otherwise
    int new_villages = 0;           ///< gap villages it covers that no earlier site covers
    double new_people = 0.0;        ///< their people without signal (classify's value), summed
    double cumulative_people = 0.0; ///< new_people of this and every earlier site
    /// Share of all villages (0-1) that are covered before the plan or reached by this site or
    /// an earlier one: the measure of the greedy choice, which --target-rate is compared with.
    /// Not a covered share: a reached village has signal at its centre, which makes it partial
    /// or covered when analyzed (Plan::end_rate).
    double reached_rate = 0.0;
    /// The villages the site brings signal to: the gap villages whose centre it reaches (within
    /// the radius, and seen with a DEM) that no earlier site reaches, ascending. They are the
    /// villages counted by new_villages and new_people (docs/plan.md#the-villages-a-site-reaches).
    std::vector<std::size_t> villages;
    /// Of those villages: their ids and names (in the same order), and their communes, each
    /// once, in the order first met.
    std::vector<std::string> village_ids, village_names, communes;
    /// Backhaul (plan_backhaul()): whether the site reaches the existing network through the
    /// tree, the parent it links to (0 = the existing network, -1 = none) and the hop's
    /// length in metres (0 when unconnected).
    bool connected = false;
    long parent_pick = -1;
    double hop_m = 0.0;
    /// For a point of --candidates: that layer's values (Plan::candidate_fields); else empty.
    std::vector<Value> candidate_values;
};

/// One backhaul hop of the spanning tree.
struct BackhaulLink {
    long from_pick = 0;  ///< the proposed site
    long to_pick = 0;    ///< its parent: another proposed site, or 0 for the existing network
    std::string to_site; ///< the existing site_id when to_pick is 0, else ""
    double length_m = 0.0;
    XY from, to; ///< end points in the work CRS (`to`: the existing station's position)
};

/// A candidate that the greedy choice would have taken (the best one left at that step) but
/// that cannot be linked to the network: no existing station, nor any site chosen so far,
/// within a backhaul hop (with a DEM: in line of sight). It uses no budget.
struct UnlinkableCandidate {
    std::size_t candidate = 0; ///< index into the candidates given to plan_sites()
    XY xy;
    double lon = 0.0, lat = 0.0; ///< WGS 84, filled like ProposedSite's
    CandidateSource source = CandidateSource::GapVillage;
    long village = -1;      ///< village index when the candidate is a gap village's centre
    std::string village_id; ///< that village's id, "" otherwise
    /// What it would have brought when it was set aside: gap villages and their people.
    long villages = 0;
    double people = 0.0;
    /// For a point of --candidates: that layer's values (Plan::candidate_fields); else empty.
    std::vector<Value> candidate_values;
};

/// Why the greedy choice stopped.
enum class PlanStop : std::uint8_t {
    Budget,     ///< "budget": all --budget sites proposed
    NoGain,     ///< "no_gain": no candidate covers another gap village (of weight > 0)
    TargetRate, ///< "target_rate": the covered share reached --target-rate
};
/// Names of the reasons to stop.
inline constexpr EnumNames<PlanStop, 3> kPlanStopNames{{{
    {PlanStop::Budget, "budget"},
    {PlanStop::NoGain, "no_gain"},
    {PlanStop::TargetRate, "target_rate"},
}}};
std::string_view to_string(PlanStop stop);

/// The proposed sites and their backhaul.
struct Plan {
    std::vector<ProposedSite> sites;
    std::vector<BackhaulLink> links; ///< one per connected site, in site order
    PlanStop stop = PlanStop::Budget;
    double radius_m = 0.0;
    double start_rate = 0.0; ///< share of villages covered before any new site (0-1)
    /// Share of villages covered (0-1) once the proposed sites are on air, as analyze classifies
    /// them with proposed_stations() added to the network: what a new analysis with the
    /// planned_stations layer as stations gives. plan() (pipeline.hpp) fills it; unset after
    /// plan_sites().
    std::optional<double> end_rate;
    /// Planned stations counted as on air when the gaps were found (--planned); 0: the
    /// sites are planned on today's network.
    std::size_t planned_stations = 0;
    std::size_t candidates = 0;
    long connected = 0, unconnectable = 0;
    /// With a link check (plan.require_backhaul): the candidates the greedy choice would have
    /// taken but could not link to the network, and that no site chosen later brings within a
    /// hop, in the order they were set aside.
    std::vector<UnlinkableCandidate> unlinkable;
    /// With --candidates: that layer's own fields (the values are the sites'
    /// candidate_values); written on proposed_sites and unlinkable_candidates.
    std::vector<FieldDef> candidate_fields;
    /// Technology and mast height of the new sites (options.tech, options.mast_height_m),
    /// written on the planned_stations layer.
    Tech tech = Tech::G4;
    double mast_height_m = 30.0;
    double max_hop_m = 0.0; ///< options.max_hop_m: the longest backhaul hop, metres
};

/// Chooses up to options.budget sites among `candidates` by greedy maximal covering: each
/// step takes the candidate whose new site (a disk of `radius_m` around it) brings signal to
/// the most people (or villages) that no chosen site reaches yet. Ties: the larger gain,
/// then more people, then the earlier candidate. Gains are kept up to date incrementally:
/// choosing a site lowers only the candidates within `radius_m` of the villages it covers
/// (hash grid, lazy priority queue). Stops at the budget, when no candidate gains anything,
/// or when the covered share of villages reaches options.target_rate. With `linkable`, the best
/// candidate is taken only when it can be linked (backhaul_link_check()); one that cannot is
/// set aside (Plan::unlinkable, no budget used) and tried again after each later choice, since
/// a new site may bring the network within its reach. Backhaul fields are left unset.
/// Throws UsageError for a radius <= 0 or a target rate outside [0, 1].
Plan plan_sites(const PreparedInputs& inputs, const Classification& classification,
                const std::vector<PlanCandidate>& candidates, const PlanOptions& options,
                double radius_m, const SiteReach& reaches = {}, const SiteLinkable& linkable = {});

/// The site id of the proposed site of `pick`: "plan-<pick>".
std::string proposed_site_id(long pick);

/// The proposed sites as stations, in pick order, as the planned_stations layer writes them
/// (a new analysis reads them so): at the site in the work CRS, site id proposed_site_id(),
/// technology plan.tech, height plan.mast_height_m, no operator, row = pick.
std::vector<Station> proposed_stations(const Plan& plan);

/// Links the proposed sites to the existing network: a graph of the sites plus one node
/// that stands for every existing station (the network, contracted), with an edge between two
/// sites closer than options.max_hop_m and between a site and the network when a station is
/// that close (length: to the nearest station). The minimum spanning tree of the network's
/// connected component (Prim, Boost.Graph) gives each reachable site its parent and hop;
/// the others are unconnectable. With `clear` (a DEM), a hop needs it too: a site links to
/// the nearest station it sees (existing masts are `height_m` tall, else
/// options.mast_height_m). Returns `plan` with the backhaul fields and links filled.
/// Throws UsageError for a negative max_hop_m.
Plan plan_backhaul(const Plan& plan, const std::vector<Station>& stations,
                   const PlanOptions& options, const HopClear& clear = {});

} // namespace whitezone
