#pragma once
/// \file calibrate.hpp
/// Calibration of the ITM coverage model against measurements (`--measurements FILE`, config
/// "measurements" and "calibrate"; docs/itm.md, "Calibration against measurements"): the
/// received power the model predicts at measured points, its mean and RMS error per
/// technology, and a per-technology offset fitted to the measurements and cross-validated.

#include "whitezone/coverage/itm.hpp"
#include "whitezone/types.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace whitezone {

struct Station;

/// One measured point.
struct Measurement {
    std::int64_t row = 0; ///< row in the file, 1-based, header excluded
    XY lonlat;            ///< as read, degrees WGS 84
    XY xy;                ///< in the work CRS
    Tech tech = Tech::G4;
    double measured_dbm = 0.0; ///< RxLev (2G), RSCP (3G), RSRP (4G, 5G)
    /// The serving station's index into the stations, when the file names it and it was
    /// found; nullopt: the best server of the technology is compared.
    std::optional<std::size_t> station;
    std::string cell; ///< the serving cell as the file names it ("" when it does not)
};

/// Reads a measurements CSV (docs/itm.md, "Calibration against measurements"): columns
/// `lon`, `lat` (or longitude, latitude), the measured level `signal_dbm` (or dbm, rsrp,
/// rscp, rxlev, or OpenCelliD's `averageSignal`), the technology `tech` (or technology,
/// radio: 2G/3G/4G/5G, GSM, UMTS, LTE, NR), and optionally the serving cell: `station_row`
/// (the row of the stations input, 1-based) or OpenCelliD's `mcc`, `net`, `area`, `cell`
/// matched against the stations' fields of those names. Rows whose level is empty or 0
/// (OpenCelliD's "unknown") are skipped. `stations`, `station_fields` resolve the serving
/// cells; points are transformed to `work_crs`. Throws InputError (exit 2) naming the file,
/// row and column for a missing file or column, a value that is not a number, a level
/// outside −150…−20 dBm, an unknown technology, a station row that does not exist, or a
/// file without any usable row.
std::vector<Measurement> read_measurements(const std::string& path,
                                           const std::vector<Station>& stations,
                                           const std::vector<FieldDef>& station_fields,
                                           const std::string& work_crs);

/// The accuracy of the prediction for one technology.
struct TechAccuracy {
    Tech tech = Tech::G4;
    long points = 0;    ///< measured points of the technology
    long predicted = 0; ///< of them, where the model gives a power (in range, on the DEM)
    /// Error = predicted − measured (dB; positive: the model is too optimistic): the mean
    /// and the root mean square over the predicted points, uncalibrated.
    double mean_error_db = 0.0, rms_error_db = 0.0;
    /// With calibration: the offset added to the predicted power (= −mean error), and the
    /// error after it, cross-validated (each fold's offset fitted on the other folds).
    std::optional<double> offset_db;
    double cv_mean_error_db = 0.0, cv_rms_error_db = 0.0;
    int folds = 0; ///< folds of the cross-validation (0: too few points to cross-validate)
};

/// The comparison of the model with the measurements.
struct Calibration {
    std::string source; ///< the measurements file
    std::vector<Measurement> points;
    /// Per point (in the order of `points`): the predicted power, dBm (NaN: none), and the
    /// station it came from (−1: none).
    std::vector<double> predicted_dbm;
    std::vector<std::int64_t> predicted_station;
    std::vector<TechAccuracy> techs; ///< in technology order, those with points
    bool applied = false;            ///< the offsets were fitted and applied (`calibrate`)

    /// The offset applied to `tech` (0 when none).
    [[nodiscard]] double offset_db(Tech tech) const;
};

/// Folds of the cross-validation (docs/itm.md): 5, or one per point below 5 points.
inline constexpr int kCalibrationFolds = 5;

/// The received power the ITM model predicts at each of `points`, at the median (50 % of
/// locations, time and situation: a measurement is one draw, not the cell edge): for a point
/// with a serving station, that station's; otherwise the best among the stations of its
/// technology whose footprint reaches it. Same inputs as model_itm_coverage() (EIRP,
/// frequency, heights, sector gain, ITM's settings and `itm.offset_db`), along a profile from
/// the antenna straight to the point sampled bilinearly every DEM cell. Sets
/// `predicted_dbm` and `predicted_station` of the result, `points` moved in.
Calibration predict_at_measurements(std::vector<Measurement> points,
                                    const std::vector<Station>& stations,
                                    const Footprints& footprints, const Raster<float>& dem,
                                    const CoverageOptions& options);

/// Fills `calibration.techs`: the mean and RMS error per technology; with `fit`, the offset
/// (−mean error) and the k-fold cross-validated error after it (folds: contiguous blocks of
/// each technology's points in file order, kCalibrationFolds of them).
void assess_accuracy(Calibration& calibration, bool fit);

/// The offsets of `calibration` (when applied) as `itm.offset_db` values, per technology.
std::map<Tech, double> calibration_offsets(const Calibration& calibration);

/// One line per technology, e.g. "4G: 120 of 125 points, mean error +4.98 dB, RMS 6.93 dB;
/// offset −4.98 dB, cross-validated (5-fold) mean +0.04 dB, RMS 4.83 dB".
std::vector<std::string> describe_accuracy(const Calibration& calibration);

/// The points as CSV text (the columns of write_measurements_csv()).
std::string measurements_csv(const Calibration& calibration, const std::vector<Station>& stations);

/// Writes the points as CSV (`row, lon, lat, technology, cell, measured_dbm, predicted_dbm,
/// error_db, station_row, calibrated_dbm, calibrated_error_db`) to `path`, whole or not at
/// all. Throws ExternalError when it cannot.
void write_measurements_csv(const Calibration& calibration, const std::vector<Station>& stations,
                            const std::string& path);

} // namespace whitezone
