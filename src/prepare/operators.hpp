#pragma once
// Operator names as the network knows them: one spelling per operator, whatever the source
// wrote (issue #10: "VNPT", "Vinaphone" and "VinaPhone" are one operator).

#include <map>
#include <string>
#include <string_view>

namespace whitezone::prepare {

/// The built-in aliases of Vietnam's operators, keyed by the folded form (see fold_operator())
/// of each alias, valued by the canonical name: Viettel, VinaPhone, MobiFone, Vietnamobile,
/// Gmobile (the names operator_from_mcc_net() gives OpenCelliD cells). docs/input.md lists them.
const std::map<std::string, std::string>& default_operator_aliases();

/// The key an operator name is looked up by: NFC, lower case (Latin letters with or without
/// Vietnamese marks), and spaces, hyphens, dots, underscores and slashes dropped, so that
/// "VNPT - VinaPhone", "vnpt_vinaphone" and "VNPT/VinaPhone" fold alike.
std::string fold_operator(std::string_view name);

/// The canonical name of operator `name`: `aliases` (config "operator_aliases": alias →
/// canonical name, looked up folded, over the built-in table) first, then the built-in
/// table; an unknown name is kept as written, NFC and with runs of spaces collapsed. Empty
/// stays empty (operator unknown).
std::string normalize_operator(std::string_view name,
                               const std::map<std::string, std::string>& aliases = {});

} // namespace whitezone::prepare
