// The disk model: every cell of a technology reaches the same radius (config "radius_m").

#include "whitezone/error.hpp"
#include "whitezone/prepare.hpp"

#include "coverage/models.hpp"

namespace whitezone::coverage {

namespace {

class DiskModel final : public LinkModel {
  public:
    [[nodiscard]] std::string_view name() const override { return "disk"; }

    [[nodiscard]] ModelRadius radius(const Station& s,
                                     const CoverageOptions& options) const override {
        return technology_radius(s, options);
    }
};

} // namespace

ModelRadius technology_radius(const Station& s, const CoverageOptions& options) {
    auto it = options.radius_m.find(s.tech);
    if (it == options.radius_m.end())
        throw UsageError("coverage: no radius for " + std::string(to_string(s.tech)) +
                         "; add it to \"radius_m\" in the config.");
    return {it->second, RadiusSource::Technology, {}};
}

std::unique_ptr<LinkModel> make_disk_model() { return std::make_unique<DiskModel>(); }

} // namespace whitezone::coverage
