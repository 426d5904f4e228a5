#include "whitezone/types.hpp"

#include "common/text.hpp"

namespace whitezone {

std::string_view to_string(Tech tech) {
    switch (tech) {
    case Tech::G2:
        return "2G";
    case Tech::G3:
        return "3G";
    case Tech::G4:
        return "4G";
    case Tech::G5:
        return "5G";
    }
    return "?";
}

std::optional<Tech> parse_tech(std::string_view text) {
    const std::string t = text::lower(text::trim(text));
    if (t == "2g" || t == "gsm" || t == "gprs" || t == "edge")
        return Tech::G2;
    if (t == "3g" || t == "umts" || t == "wcdma" || t == "cdma" || t == "hspa" || t == "hspa+" ||
        t == "hsdpa")
        return Tech::G3;
    if (t == "4g" || t == "lte" || t == "lte-a" || t == "4g lte")
        return Tech::G4;
    if (t == "5g" || t == "nr" || t == "5g nr")
        return Tech::G5;
    return std::nullopt;
}

std::string_view to_string(ServiceClass cls) {
    return cls == ServiceClass::Any ? "any" : "broadband";
}

std::optional<ServiceClass> parse_service_class(std::string_view text) {
    if (text == "any")
        return ServiceClass::Any;
    if (text == "broadband")
        return ServiceClass::Broadband;
    return std::nullopt;
}

std::string_view to_string(Status status) {
    switch (status) {
    case Status::White:
        return "white";
    case Status::Partial:
        return "partial";
    case Status::Covered:
        return "covered";
    }
    return "?";
}

} // namespace whitezone
