// The registry of link models (coverage/link_model.hpp). A new model is one file in
// src/coverage/models/ plus one line below.

#include "coverage/models.hpp"

#include "whitezone/error.hpp"

#include "common/text.hpp"

namespace whitezone {

std::optional<LogDistanceMargin> LinkModel::diffraction_margin(const Station&,
                                                               const CoverageOptions&) const {
    return std::nullopt;
}

const std::vector<std::unique_ptr<LinkModel>>& link_models() {
    static const std::vector<std::unique_ptr<LinkModel>> models = [] {
        std::vector<std::unique_ptr<LinkModel>> m;
        m.push_back(coverage::make_disk_model());
        m.push_back(coverage::make_hata_model());
        m.push_back(coverage::make_itm_model());
        return m;
    }();
    return models;
}

const LinkModel* find_link_model(std::string_view name) {
    for (const auto& m : link_models())
        if (m->name() == name)
            return m.get();
    return nullptr;
}

const LinkModel& link_model(const CoverageModel& model) {
    if (const LinkModel* m = find_link_model(model.name()))
        return *m;
    throw UsageError("coverage: \"coverage_model\" must be " +
                     alternatives(coverage_model_names()) + ", not \"" + model.name() + "\".");
}

std::vector<std::string> coverage_model_names() {
    std::vector<std::string> out;
    for (const auto& m : link_models())
        out.emplace_back(m->name());
    return out;
}

std::string_view to_string(const CoverageModel& model) { return model.name(); }

std::optional<CoverageModel> parse_coverage_model(std::string_view text) {
    if (const LinkModel* m = find_link_model(text))
        return CoverageModel(std::string(m->name()));
    return std::nullopt;
}

std::string_view to_string(RadiusSource source) { return source.name; }

} // namespace whitezone
