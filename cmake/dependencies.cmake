# Every dependency comes from Debian's packages; each error names the package to install.
set(_wz_apt "install it with: apt-get install -y")

# GDAL's config file accepts only the same minor version before 3.10, so no version is passed
# to find_package; the minimum is checked by hand (3.6: Arrow stream reading, GPKG speed).
find_package(GDAL CONFIG QUIET)
if(NOT GDAL_FOUND)
    message(FATAL_ERROR "GDAL not found; ${_wz_apt} libgdal-dev")
endif()
if(GDAL_VERSION VERSION_LESS 3.6)
    message(FATAL_ERROR "GDAL ${GDAL_VERSION} is too old (need >= 3.6); ${_wz_apt} libgdal-dev")
endif()

# SQLite: the GeoPackage spatial indexes are packed through it (src/report/sinks/gpkg_rtree.cpp).
find_package(SQLite3 3.24 QUIET)
if(NOT SQLite3_FOUND)
    message(FATAL_ERROR "SQLite >= 3.24 not found; ${_wz_apt} libsqlite3-dev")
endif()

find_package(GEOS 3.10 CONFIG QUIET)
if(NOT GEOS_FOUND)
    message(FATAL_ERROR "GEOS >= 3.10 not found; ${_wz_apt} libgeos-dev")
endif()

# PROJ's config file accepts only its own major version: check the minimum by hand.
find_package(PROJ CONFIG QUIET)
if(NOT PROJ_FOUND OR PROJ_VERSION VERSION_LESS 8)
    message(FATAL_ERROR "PROJ >= 8 not found; ${_wz_apt} libproj-dev")
endif()

find_package(Boost 1.74 CONFIG QUIET COMPONENTS headers)
if(NOT Boost_FOUND)
    message(FATAL_ERROR "Boost >= 1.74 not found; ${_wz_apt} libboost-graph-dev")
endif()

find_package(CLI11 CONFIG QUIET)
if(NOT CLI11_FOUND)
    message(FATAL_ERROR "CLI11 not found; ${_wz_apt} libcli11-dev")
endif()

find_package(nlohmann_json 3 CONFIG QUIET)
if(NOT nlohmann_json_FOUND)
    message(FATAL_ERROR "nlohmann-json not found; ${_wz_apt} nlohmann-json3-dev")
endif()

# ICU: Unicode normalisation (NFC) and Vietnamese collation of names.
find_package(ICU 60 QUIET COMPONENTS uc i18n)
if(NOT ICU_FOUND)
    message(FATAL_ERROR "ICU not found; ${_wz_apt} libicu-dev")
endif()

# OpenSSL's libcrypto: SHA-256 of the inputs for the provenance record.
find_package(OpenSSL 1.1 QUIET COMPONENTS Crypto)
if(NOT OpenSSL_FOUND)
    message(FATAL_ERROR "OpenSSL not found; ${_wz_apt} libssl-dev")
endif()
