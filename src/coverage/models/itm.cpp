// The ITM model (coverage/itm.hpp): the footprint's radius is the disk model's (the
// technology's `radius_m`), the range over which each station's received power is computed
// on the DEM; which cells it serves is the received power's to say, so it needs a DEM.

#include "whitezone/prepare.hpp"

#include "coverage/models.hpp"

namespace whitezone::coverage {

namespace {

class ItmModel final : public LinkModel {
  public:
    [[nodiscard]] std::string_view name() const override { return "itm"; }

    [[nodiscard]] bool needs_dem() const override { return true; }

    [[nodiscard]] ModelRadius radius(const Station& s,
                                     const CoverageOptions& options) const override {
        return technology_radius(s, options);
    }
};

} // namespace

std::unique_ptr<LinkModel> make_itm_model() { return std::make_unique<ItmModel>(); }

} // namespace whitezone::coverage
