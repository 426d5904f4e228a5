#pragma once
/// \file read/raster.hpp
/// Rasters of the terrain mode, read with GDAL and brought into the work CRS: the DEM
/// (--dem), warped onto a metric grid, and the population grid (--population), whose cells
/// keep their own size and are reprojected as points so that no person is counted twice.

#include "whitezone/raster.hpp"
#include "whitezone/types.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace whitezone {

/// The most cells a work grid may have (about 1.6 GB of DEM and coverage); beyond it a
/// larger terrain.cell_m is needed.
inline constexpr double kMaxGridCells = 400e6;

/// Reads the raster at `path` (any raster GDAL opens: GeoTIFF, HGT, VRT, …, in any CRS),
/// warped bilinearly into the CRS `work_crs_wkt` on a grid of `cell_m` metres (0: the
/// raster's own resolution, as GDAL suggests it in the work CRS) that covers `extent`,
/// snapped outward to whole cells. Elevations are float; no data (outside the raster, or
/// its nodata value) is NaN. `role` ("dem") names the file and its flag in messages.
/// Throws InputError when the file cannot be opened as a raster, has no CRS or a rotated
/// grid, does not overlap `extent`, or the grid would be too large. GDAL decodes and warps
/// the raster on up to `threads` threads (the same values for any number).
Raster<float> read_dem(const std::string& path, std::string_view role,
                       const std::string& work_crs_wkt, const Extent& extent, double cell_m,
                       int threads = 1);

/// The cells of the population raster at `path` (people per cell, WorldPop or GHSL style; any
/// CRS) whose centres fall in `extent` once reprojected into the work CRS. Cells without data
/// or without people are left out. Throws InputError when the file cannot be opened, has no
/// CRS, or holds a negative count.
std::vector<PopulationCell> read_population(const std::string& path, std::string_view role,
                                            const std::string& work_crs_wkt, const Extent& extent);

} // namespace whitezone
