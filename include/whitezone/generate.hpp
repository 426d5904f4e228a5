#pragma once
/// \file generate.hpp
/// Synthetic countries for benchmarks and tests at any size: irregular village polygons
/// (some multipolygons and holes) grouped into communes, districts and provinces, heavy-
/// tailed populations, stations clustered in towns and along valleys with remote areas left
/// uncovered. Seeded: the same options give the same country.

#include "whitezone/prepare.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace whitezone {

/// Size and seed of a synthetic country.
struct GenerateOptions {
    std::size_t villages = 1500;
    std::size_t sites = 1200; ///< sites; each carries 1-4 cells (rows of the stations layer)
    std::uint64_t seed = 1;
    /// Spacing of the vertices along village edges, metres (> 0). 150 gives about 77
    /// vertices per village at L; smaller spacings give denser polygons, for measuring how the
    /// run depends on the data's shape. Each vertex is moved by up to about a sixth of it
    /// (at most 25 m, normally distributed) so that edges look drawn by hand.
    double vertex_spacing_m = 150.0;
};

/// The named sizes of the benchmark: "S" (1,500 villages / 1,200 sites: one province),
/// "M" (20,000 / 20,000), "L" (80,000 / 100,000: one country), "XL" (300,000 / 400,000).
std::optional<GenerateOptions> generate_preset(std::string_view size);

/// A generated country in the work CRS EPSG:32648 (UTM 48N): villages with their
/// attributes and stations (cells) with technology, operator and site id.
PreparedInputs generate_country(const GenerateOptions& options);

/// Throws InputError when write_country() could not write into `folder`: a file it writes
/// exists and `overwrite` is false, or exists and is not a GeoPackage. For a check before the
/// country is generated (a minute at XL).
void check_country_output(const std::string& folder, bool overwrite);

/// Writes `villages.gpkg` (layer `villages`) and `stations.gpkg` (layer `stations`) in
/// WGS 84 into `folder`, each atomically. Throws InputError as check_country_output() does.
void write_country(const PreparedInputs& country, const std::string& folder, bool overwrite);

} // namespace whitezone
