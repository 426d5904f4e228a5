// The coverage representations behind CoverageView (overlay.hpp): footprints (vector) and a
// raster of covered cells. The pipeline uses the interface and never branches on which.

#include "whitezone/context.hpp"
#include "whitezone/overlay.hpp"

#include "common/parallel.hpp"

#include <algorithm>
#include <cmath>

namespace whitezone {

namespace {

class FootprintCoverage final : public CoverageView {
  public:
    explicit FootprintCoverage(const Footprints& footprints) : m_footprints(footprints) {}

    [[nodiscard]] std::string_view kind() const override { return "footprints"; }
    [[nodiscard]] std::string_view shapes_method() const override { return "dissolved per class"; }
    [[nodiscard]] PerClass<MultiPolygon> shapes(const Extent&, int threads,
                                                std::stop_token stop = {}) const override {
        return dissolve_coverage(m_footprints, threads, std::move(stop));
    }
    [[nodiscard]] Overlay overlay(const PreparedInputs& inputs, const OverlayOptions& options,
                                  const Log& log) const override {
        return overlay_villages(inputs, m_footprints, options, log);
    }
    [[nodiscard]] SignalAt signal() const override { return signal_from_footprints(m_footprints); }

  private:
    const Footprints& m_footprints;
};

// The part of `grid` that covers the study area, in whole cells.
GridSpec window_of(const GridSpec& grid, const Extent& study) {
    const int c0 = std::max(0, static_cast<int>(std::floor((study.minx - grid.x0) / grid.cell)));
    const int r0 = std::max(0, static_cast<int>(std::floor((grid.y0 - study.maxy) / grid.cell)));
    const int c1 =
        std::min(grid.cols, static_cast<int>(std::ceil((study.maxx - grid.x0) / grid.cell)));
    const int r1 =
        std::min(grid.rows, static_cast<int>(std::ceil((grid.y0 - study.miny) / grid.cell)));
    return {grid.x0 + c0 * grid.cell, grid.y0 - r0 * grid.cell, grid.cell, std::max(0, c1 - c0),
            std::max(0, r1 - r0)};
}

class RasterCoverage final : public CoverageView {
  public:
    explicit RasterCoverage(const CoverageRaster& raster) : m_raster(raster) {}

    [[nodiscard]] std::string_view kind() const override { return "raster"; }
    [[nodiscard]] std::string_view shapes_method() const override {
        return "polygonized per class";
    }
    [[nodiscard]] PerClass<MultiPolygon> shapes(const Extent& study, int threads,
                                                std::stop_token stop = {}) const override {
        // One class per thread: polygonizing is GDAL's, one-threaded per raster.
        PerClass<MultiPolygon> out;
        const GridSpec window = window_of(m_raster.grid, study);
        parallel::for_ranges(
            kServiceClasses.size(), threads, [&](std::size_t, std::size_t begin, std::size_t end) {
                for (std::size_t k = begin; k < end && !stop.stop_requested(); ++k)
                    out[k] = polygonize_coverage(m_raster, kServiceClasses[k], window);
            });
        if (stop.stop_requested())
            throw Cancelled("coverage: cancelled");
        return out;
    }
    [[nodiscard]] Overlay overlay(const PreparedInputs& inputs, const OverlayOptions& options,
                                  const Log&) const override {
        return overlay_villages_raster(inputs, m_raster, options);
    }
    [[nodiscard]] SignalAt signal() const override {
        return [&r = m_raster](ServiceClass cls, XY p) { return r.covers(cls, p); };
    }

  private:
    const CoverageRaster& m_raster;
};

} // namespace

std::unique_ptr<CoverageView> footprint_coverage(const Footprints& footprints) {
    return std::make_unique<FootprintCoverage>(footprints);
}

std::unique_ptr<CoverageView> raster_coverage(const CoverageRaster& raster) {
    return std::make_unique<RasterCoverage>(raster);
}

} // namespace whitezone
