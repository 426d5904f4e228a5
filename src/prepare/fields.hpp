#pragma once
// Private to the prepare stage: finding fields by role (config name, then aliases) and
// reading typed values with messages that name the row and field.

#include "whitezone/read.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone::prepare {

/// A layer being prepared and the config's field names for it.
class FieldReader {
  public:
    FieldReader(const RawLayer& layer, const std::map<std::string, std::string>& configured,
                std::string_view layer_role);

    /// Column of `role`: the configured field (InputError if absent), else the first alias
    /// present (case-insensitive), else -1.
    [[nodiscard]] int find(std::string_view role) const;

    /// Text of a value ("" for NULL); numbers printed without trailing zeros.
    [[nodiscard]] std::string text(const RawFeature& f, int col) const;
    /// A number, or nullopt for NULL/blank. Throws InputError for non-numeric text, saying
    /// what was expected (`expected`, e.g. "metres").
    [[nodiscard]] std::optional<double> number(const RawFeature& f, int col,
                                               std::string_view expected) const;
    /// A yes/no value: 1/0, true/false, yes/no, y/n, có/không; nullopt for NULL/blank.
    [[nodiscard]] std::optional<bool> flag(const RawFeature& f, int col) const;
    /// The year of an on-air date (see parse_year()); nullopt for NULL/blank. Throws
    /// InputError naming the row, field and value, with the accepted forms.
    [[nodiscard]] std::optional<int> year(const RawFeature& f, int col) const;

    [[nodiscard]] const RawLayer& layer() const { return m_layer; }
    [[nodiscard]] std::string where(const RawFeature& f, int col) const;

  private:
    const RawLayer& m_layer;
    const std::map<std::string, std::string>& m_configured;
    std::string m_role;
};

/// The year of a date as stations' on-air fields write it: a year ("2019"); a date with the
/// year first ("2019-05-01", "2019/05/01", "2019-05", "2019.05"), optionally followed by a
/// time ("2019-05-01T08:00:00Z", "2019/05/01 08:00:00+07", as GDAL prints Date and DateTime
/// fields); a date with the year last ("01/05/2019", "05/2019", day and month in either
/// order); YYYYMMDD ("20190501"); or Unix seconds of 10 digits ("1459813000", OpenCelliD's
/// `created`). nullopt for anything else, or a year outside 1900-2100.
std::optional<int> parse_year(std::string_view text);

/// "rows 12, 40, 41" (at most `limit` listed, then "…").
std::string row_list(const std::vector<std::int64_t>& rows, std::size_t limit = 10);

} // namespace whitezone::prepare
