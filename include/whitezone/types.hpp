#pragma once
/// \file types.hpp
/// Plain data shared by the stages: coordinates, polygons, technologies, service classes,
/// statuses and attribute values. Nothing here depends on GDAL, GEOS or PROJ.

#include "whitezone/names.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace whitezone {

/// A coordinate pair. In the work CRS `x` is easting and `y` northing, in metres; in a
/// geographic source CRS `x` is longitude and `y` latitude (always this order).
struct XY {
    double x = 0.0;
    double y = 0.0;
};

/// A closed ring: the first and last points are equal.
using Ring = std::vector<XY>;

/// A polygon: `rings[0]` is the shell, the others are holes.
struct Polygon {
    std::vector<Ring> rings;
};

/// Zero or more polygons; an empty vector is the empty geometry.
using MultiPolygon = std::vector<Polygon>;

/// An optional double in 8 bytes instead of std::optional's 16: NaN stands for "no value",
/// so a NaN given to it is no value. For the measured fields of stations and villages, which
/// prepare only ever fills with finite numbers (a national run holds millions of stations with
/// six of them each). It has std::optional<double>'s interface and converts to one.
class OptionalDouble {
  public:
    constexpr OptionalDouble() = default;
    // Implicit, as std::optional's: `s.range_m = 500.0`, `= std::nullopt`, `= optional`.
    constexpr OptionalDouble(std::nullopt_t) {}
    constexpr OptionalDouble(double v) : v_(v) {}
    constexpr OptionalDouble(const std::optional<double>& v) : v_(v ? *v : kNone) {}

    [[nodiscard]] constexpr bool has_value() const { return v_ == v_; }
    constexpr explicit operator bool() const { return has_value(); }
    [[nodiscard]] constexpr double operator*() const { return v_; }
    [[nodiscard]] double value() const {
        if (!has_value())
            throw std::bad_optional_access();
        return v_;
    }
    [[nodiscard]] constexpr double value_or(double other) const { return has_value() ? v_ : other; }
    constexpr void reset() { v_ = kNone; }
    constexpr operator std::optional<double>() const {
        return has_value() ? std::optional<double>(v_) : std::nullopt;
    }

    friend constexpr bool operator==(OptionalDouble a, OptionalDouble b) {
        return a.has_value() == b.has_value() && (!a.has_value() || a.v_ == b.v_);
    }
    friend constexpr bool operator==(OptionalDouble a, double b) {
        return a.has_value() && a.v_ == b;
    }
    friend constexpr bool operator==(OptionalDouble a, std::nullopt_t) { return !a.has_value(); }

  private:
    static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
    double v_ = kNone;
};

/// `text` kept for the life of the process: the same view for the same text, valid to the
/// end. For the few distinct texts that many records share (a footprint's radius flag), so
/// that each record holds a view instead of its own copy. Thread-safe.
std::string_view interned(std::string_view text);

/// Radio technology of a cell.
enum class Tech : std::uint8_t { G2, G3, G4, G5 };
inline constexpr std::array<Tech, 4> kTechs{Tech::G2, Tech::G3, Tech::G4, Tech::G5};

/// Names of the technologies: "2G", "3G", "4G", "5G" printed; parsed as users and
/// OpenCelliD write them (case-insensitive, surrounding spaces ignored).
inline constexpr EnumNames<Tech, 18> kTechNames{{{
                                                    {Tech::G2, "2G"},
                                                    {Tech::G2, "gsm"},
                                                    {Tech::G2, "gprs"},
                                                    {Tech::G2, "edge"},
                                                    {Tech::G3, "3G"},
                                                    {Tech::G3, "umts"},
                                                    {Tech::G3, "wcdma"},
                                                    {Tech::G3, "cdma"},
                                                    {Tech::G3, "hspa"},
                                                    {Tech::G3, "hspa+"},
                                                    {Tech::G3, "hsdpa"},
                                                    {Tech::G4, "4G"},
                                                    {Tech::G4, "lte"},
                                                    {Tech::G4, "lte-a"},
                                                    {Tech::G4, "4g lte"},
                                                    {Tech::G5, "5G"},
                                                    {Tech::G5, "nr"},
                                                    {Tech::G5, "5g nr"},
                                                }},
                                                NameMatch::TrimAndCase};

/// "2G", "3G", "4G" or "5G".
std::string_view to_string(Tech tech);

/// Parses a technology value as users and OpenCelliD write it: 2G/3G/4G/5G, GSM, UMTS,
/// (W)CDMA, HSPA, LTE, NR (case-insensitive). Returns nullopt for anything else.
std::optional<Tech> parse_tech(std::string_view text);

/// A service class: which technologies count as "signal".
enum class ServiceClass : std::uint8_t {
    Any,       ///< every technology (2G and up): voice and SMS
    Broadband, ///< 3G and up: mobile internet
};
inline constexpr std::array<ServiceClass, 2> kServiceClasses{ServiceClass::Any,
                                                             ServiceClass::Broadband};

/// Names of the service classes (exact).
inline constexpr EnumNames<ServiceClass, 2> kServiceClassNames{
    {{{ServiceClass::Any, "any"}, {ServiceClass::Broadband, "broadband"}}}};

/// "any" or "broadband"; also the suffix of per-class output fields.
std::string_view to_string(ServiceClass cls);

/// Parses "any" or "broadband"; nullopt otherwise.
std::optional<ServiceClass> parse_service_class(std::string_view text);

/// Whether a cell of technology `tech` gives signal of class `cls`.
constexpr bool serves(ServiceClass cls, Tech tech) {
    return cls == ServiceClass::Any || tech != Tech::G2;
}

/// Index of a class into per-class arrays.
constexpr std::size_t index_of(ServiceClass cls) { return static_cast<std::size_t>(cls); }

/// The status of a village for one service class.
enum class Status : std::uint8_t {
    White,   ///< trắng sóng: no signal at the village centre
    Partial, ///< lõm sóng: signal at the centre, but not everywhere people live
    Covered, ///< signal at the centre and in every residential cluster
};

/// Names of the statuses.
inline constexpr EnumNames<Status, 3> kStatusNames{
    {{{Status::White, "white"}, {Status::Partial, "partial"}, {Status::Covered, "covered"}}}};

/// "white", "partial" or "covered".
std::string_view to_string(Status status);

/// Per-class values, indexed with index_of(ServiceClass).
template <class T> using PerClass = std::array<T, kServiceClasses.size()>;

/// Type of an attribute field carried from the input to the output.
enum class FieldType : std::uint8_t { Integer, Real, String };

/// One attribute field of an input layer.
struct FieldDef {
    std::string name;
    FieldType type = FieldType::String;
};

/// One attribute value; monostate is NULL.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

/// The attribute values of one prepared station or village, packed into one allocation: per
/// value a type byte and its bytes (an integer as a varint of 1-10 bytes, a real's 8 bytes, a
/// text's length as a varint and its bytes), and where each value starts (offsets 1, 2 or 4
/// bytes wide, the fewest that the row needs). A national run holds millions of them: as a
/// std::vector<Value> every value takes 40 bytes (a text of more than 15 bytes one more
/// allocation); packed, a small integer takes 3-4 bytes and a short text 3 plus its bytes.
/// Values are read by position, as copies.
class ValueRow {
  public:
    ValueRow() = default;
    ValueRow(const std::vector<Value>& values); // NOLINT(google-explicit-constructor)
    ValueRow(std::initializer_list<Value> values) : ValueRow(std::vector<Value>(values)) {}
    ValueRow(const ValueRow& other);
    ValueRow(ValueRow&&) noexcept = default;
    ValueRow& operator=(const ValueRow& other);
    ValueRow& operator=(ValueRow&&) noexcept = default;
    ~ValueRow() = default;

    /// The number of values.
    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] bool empty() const { return size() == 0; }
    /// The value at position `k` (< size()).
    [[nodiscard]] Value operator[](std::size_t k) const;
    /// Every value, in order.
    [[nodiscard]] std::vector<Value> values() const;
    /// Appends `value` (repacks the row: for building a row, not for bulk use).
    void push_back(const Value& value);

    friend bool operator==(const ValueRow& a, const ValueRow& b) {
        return a.values() == b.values();
    }

  private:
    // [count u32][byte size u32][offset u32 × count][per value: type u8, payload]
    std::unique_ptr<unsigned char[]> bytes_;
};

/// Messages from the stages: `info` for progress lines (shown with --verbose), `warn` for
/// data problems that did not stop the run (always shown), `progress` for a fraction 0-1 of
/// the current long step (a progress bar on a terminal). Any of them may be empty.
struct Log {
    std::function<void(std::string_view)> info;
    std::function<void(std::string_view)> warn;
    std::function<void(std::string_view step, double fraction)> progress;

    void say(std::string_view message) const {
        if (info)
            info(message);
    }
    void warning(std::string_view message) const {
        if (warn)
            warn(message);
    }
    void advance(std::string_view step, double fraction) const {
        if (progress)
            progress(step, fraction);
    }
};

} // namespace whitezone
