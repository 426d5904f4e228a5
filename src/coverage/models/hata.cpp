// The Hata model: the radius where Okumura-Hata / COST-231 Hata's median level meets the
// threshold (coverage/hata.hpp), and its log-distance margin for the terrain mode's knife edge.

#include "whitezone/coverage/hata.hpp"

#include "coverage/models.hpp"

namespace whitezone::coverage {

namespace {

class HataModel final : public LinkModel {
  public:
    [[nodiscard]] std::string_view name() const override { return "hata"; }

    [[nodiscard]] ModelRadius radius(const Station& s,
                                     const CoverageOptions& options) const override {
        const HataRadius h = station_hata_radius(s, options.hata);
        return {h.radius_m, RadiusSource::Hata, h.flag()};
    }

    // EIRP − L(d) − threshold = B · log10(d0 / d), d0 the uncapped radius.
    [[nodiscard]] std::optional<LogDistanceMargin>
    diffraction_margin(const Station& s, const CoverageOptions& options) const override {
        const HataRadius radius = station_hata_radius(s, options.hata);
        return LogDistanceMargin{
            hata_slope_db_per_decade(s.height_m.value_or(options.hata.antenna_height_m)),
            radius.uncapped_m};
    }
};

} // namespace

std::unique_ptr<LinkModel> make_hata_model() { return std::make_unique<HataModel>(); }

} // namespace whitezone::coverage
