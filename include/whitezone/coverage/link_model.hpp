#pragma once
/// \file coverage/link_model.hpp
/// Link models behind a registry: what gives a footprint its radius when the station's own
/// range is not used, and what margin a knife edge may take in the terrain mode. The config
/// key "coverage_model" names one. Registered today: "disk" (the technology's radius), "hata"
/// (Okumura-Hata / COST-231 Hata, coverage/hata.hpp) and "itm" (received power with the
/// Longley-Rice model over a DEM, coverage/itm.hpp).
///
/// Adding a model (docs/method.md, "Link models"): one file in src/coverage/models/ that
/// defines a LinkModel and its factory, one line in src/coverage/models.cpp that registers
/// it, its tests in tests/unit/coverage/ and its section in docs/method.md. The config key,
/// its error messages and docs/config.md's list of models follow from the registry.

#include "whitezone/coverage/options.hpp"
#include "whitezone/types.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone {

struct Station;

/// Where a footprint's radius came from, as the stations layer's `radius_source` writes it:
/// the station's own range, the technology's radius, or a link model's name.
struct RadiusSource {
    std::string_view name = "technology";

    static const RadiusSource Technology; ///< "technology": CoverageOptions::radius_m
    static const RadiusSource Station;    ///< "station": the station's own `range_m`
    static const RadiusSource Hata;       ///< "hata": the Hata model

    friend bool operator==(const RadiusSource&, const RadiusSource&) = default;
};
inline constexpr RadiusSource RadiusSource::Technology{"technology"};
inline constexpr RadiusSource RadiusSource::Station{"station"};
inline constexpr RadiusSource RadiusSource::Hata{"hata"};

/// The radius source's name.
std::string_view to_string(RadiusSource source);

/// A footprint's reach as a link model gives it.
struct ModelRadius {
    double radius_m = 0.0; ///< > 0 for a usable footprint
    RadiusSource source;
    /// "" or why the radius is less certain (e.g. HataRadius::flag()).
    std::string flag;
};

/// A link margin that falls linearly with the logarithm of the distance, as in every model
/// whose median loss is L(d) = L(1 km) + B log d (Hata, free space, log-distance):
/// margin(d) = B · log10(reach / max(d, 1 m)) dB, where `reach` is the distance at which the
/// median level meets the threshold (before any cap).
struct LogDistanceMargin {
    double slope_db_per_decade = 0.0; ///< B
    double reach_m = 0.0;
};

/// One link model. Implementations are stateless; every call gets the options.
class LinkModel {
  public:
    LinkModel() = default;
    LinkModel(const LinkModel&) = delete;
    LinkModel& operator=(const LinkModel&) = delete;
    virtual ~LinkModel() = default;

    /// The name in the config ("coverage_model"), lower case.
    [[nodiscard]] virtual std::string_view name() const = 0;

    /// The radius of `station`'s footprint. Throws InputError for a station value the model
    /// cannot use (naming its row and field), UsageError for unusable options.
    [[nodiscard]] virtual ModelRadius radius(const Station& station,
                                             const CoverageOptions& options) const = 0;

    /// Terrain mode with `diffraction`, for a footprint whose radius this model gave: the
    /// margin a knife edge may take at each distance. nullopt (the default): the fixed
    /// `terrain.diffraction_margin_db`.
    [[nodiscard]] virtual std::optional<LogDistanceMargin>
    diffraction_margin(const Station& station, const CoverageOptions& options) const;

    /// Whether the model works only with a DEM (the terrain mode): "itm" computes received
    /// power over the terrain. false (the default): the model gives footprints without one.
    [[nodiscard]] virtual bool needs_dem() const { return false; }
};

/// The registered models, in registration order.
const std::vector<std::unique_ptr<LinkModel>>& link_models();

/// The model registered under `name`, or nullptr.
const LinkModel* find_link_model(std::string_view name);

/// The model `model` names. Throws UsageError naming "coverage_model" and the registered
/// names when none is registered under it.
const LinkModel& link_model(const CoverageModel& model);

} // namespace whitezone
