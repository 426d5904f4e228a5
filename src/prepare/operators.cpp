#include "prepare/operators.hpp"

#include "common/text.hpp"
#include "common/unicode.hpp"

namespace whitezone::prepare {

const std::map<std::string, std::string>& default_operator_aliases() {
    // Brand names, company names and the common misspellings seen in operators' reports and
    // OpenCelliD-derived lists. VNPT's mobile brand is VinaPhone; HT Mobile became
    // Vietnamobile (2009); Beeline Vietnam became Gmobile (2012), by Gtel.
    static const std::map<std::string, std::string> table = [] {
        const std::pair<const char*, const char*> aliases[] = {
            {"Viettel", "Viettel"},
            {"Vietel", "Viettel"},
            {"Viettel Telecom", "Viettel"},
            {"Viettel Mobile", "Viettel"},
            {"VinaPhone", "VinaPhone"},
            {"Vina Phone", "VinaPhone"},
            {"VNPT", "VinaPhone"},
            {"VNPT VinaPhone", "VinaPhone"},
            {"Vinafone", "VinaPhone"},
            {"MobiFone", "MobiFone"},
            {"Mobiphone", "MobiFone"},
            {"Mobi Fone", "MobiFone"},
            {"VMS", "MobiFone"},
            {"VMS MobiFone", "MobiFone"},
            {"Vietnamobile", "Vietnamobile"},
            {"Vietnam Mobile", "Vietnamobile"},
            {"VNMobile", "Vietnamobile"},
            {"HT Mobile", "Vietnamobile"},
            {"Gmobile", "Gmobile"},
            {"G-Mobile", "Gmobile"},
            {"Gtel", "Gmobile"},
            {"Gtel Mobile", "Gmobile"},
            {"Beeline", "Gmobile"},
        };
        std::map<std::string, std::string> t;
        for (const auto& [alias, name] : aliases)
            t.emplace(fold_operator(alias), name);
        return t;
    }();
    return table;
}

std::string fold_operator(std::string_view name) {
    const std::string nfc = unicode::to_nfc(name);
    std::string out;
    out.reserve(nfc.size());
    for (char c : nfc) {
        if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '_' || c == '/')
            continue;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

std::string normalize_operator(std::string_view name,
                               const std::map<std::string, std::string>& aliases) {
    const std::string_view trimmed = text::trim(name);
    if (trimmed.empty())
        return {};
    const std::string key = fold_operator(trimmed);
    for (const auto& [alias, canonical] : aliases)
        if (fold_operator(alias) == key)
            return canonical;
    const auto& table = default_operator_aliases();
    if (auto it = table.find(key); it != table.end())
        return it->second;
    std::string out;
    for (char c : unicode::to_nfc(trimmed)) {
        if ((c == ' ' || c == '\t') && (out.empty() || out.back() == ' '))
            continue;
        out += c == '\t' ? ' ' : c;
    }
    return out;
}

} // namespace whitezone::prepare
