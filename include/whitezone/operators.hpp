#pragma once
/// \file operators.hpp
/// Which operators reach each village: per village and service class, the operators whose
/// signal reaches its centre, decided as the overlay decides the centre's signal (the
/// footprints' exact shapes, or the terrain mode's / ITM's covered cells), so that a village
/// has signal at its centre exactly when at least one operator reaches it.

#include "whitezone/coverage.hpp"
#include "whitezone/overlay.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/raster.hpp"
#include "whitezone/types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace whitezone {

/// The operators that reach each village's centre.
struct VillageOperators {
    /// The operators of the stations, as normalised by prepare (Station::operator_name),
    /// sorted by byte order; "" (an unknown operator) sorts first.
    std::vector<std::string> names;
    /// Per class and village (in PreparedInputs::villages' order): indices into `names` of
    /// the operators whose signal reaches the centre, ascending. Empty when no village was
    /// assessed (then every village's list is empty).
    PerClass<std::vector<std::vector<std::uint32_t>>> reach;
    /// Per village: the sites serving it, each as one of its stations (an index into
    /// PreparedInputs::stations: the first whose footprint holds the centre and whose operator
    /// reaches it in class "any").
    std::vector<std::vector<std::uint32_t>> stations;

    /// The names of the operators reaching village `v` in class `cls`, joined with commas
    /// ("MobiFone,Viettel"); an unknown operator is written "(unknown)". "" for none.
    [[nodiscard]] std::string text(ServiceClass cls, std::size_t v) const;
    /// How many operators reach village `v` in class `cls`.
    [[nodiscard]] std::size_t count(ServiceClass cls, std::size_t v) const;
};

/// How an unknown operator ("") is written in the outputs.
inline constexpr std::string_view kUnknownOperator = "(unknown)";

/// The operators reaching each village's centre. Vector mode (`dem` null): a point test per
/// footprint near the centre, through a hash grid. Terrain and ITM mode (`dem` set, with the
/// coverage `options` of the run): an operator reaches a centre when one of its stations
/// serves the centre's cell and the overlay's `centre` says the network does (with one
/// operator only, its reach is the overlay's `centre` as it stands). The serving stations are
/// `centre_servers` when given (ItmCoverage::probe_servers or terrain_servers() at the village
/// centres, from the run that made `overlay`: calibration included), else found here with
/// one run of the model for the whole network: never one run per operator.
/// Deterministic; runs on options.threads.
VillageOperators operators_at_villages(const PreparedInputs& inputs, const Footprints& footprints,
                                       const Overlay& overlay, const Raster<float>* dem,
                                       const CoverageOptions& options,
                                       const ProbeServers* centre_servers = nullptr);

} // namespace whitezone
