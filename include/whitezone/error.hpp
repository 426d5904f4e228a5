#pragma once
/// \file error.hpp
/// The exceptions whitezone throws. Every message says what was wrong, where (stage, file,
/// layer, row, field) and how to fix it. The CLI maps them to exit codes: UsageError and
/// InputError give 2, everything else 1.

#include <stdexcept>
#include <string>

namespace whitezone {

/// Base of all whitezone errors.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A bad flag, config key or config value.
class UsageError : public Error {
  public:
    using Error::Error;
};

/// The user's data is unusable: a file, layer, row, field or CRS.
class InputError : public Error {
  public:
    using Error::Error;
};

/// GDAL, GEOS or PROJ failed; the message keeps the library's own words.
class ExternalError : public Error {
  public:
    using Error::Error;
};

} // namespace whitezone
