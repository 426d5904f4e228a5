// Enum ↔ text of the shared types, from their name tables in types.hpp.

#include "whitezone/types.hpp"

namespace whitezone {

std::string_view to_string(Tech tech) { return kTechNames.name(tech); }

std::optional<Tech> parse_tech(std::string_view text) { return kTechNames.parse(text); }

std::string_view to_string(ServiceClass cls) { return kServiceClassNames.name(cls); }

std::optional<ServiceClass> parse_service_class(std::string_view text) {
    return kServiceClassNames.parse(text);
}

std::string_view to_string(Status status) { return kStatusNames.name(status); }

std::string alternatives(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            out += i + 1 == names.size() ? " or " : ", ";
        out += "\"" + names[i] + "\"";
    }
    return out;
}

} // namespace whitezone
