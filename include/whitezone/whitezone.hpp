#pragma once
/// \file whitezone.hpp
/// The whole public API of the whitezone library in one include: the plain data types, the
/// errors, the execution context, every stage's header, the pipeline (load_inputs(),
/// analyze(), plan(), trend(), the `run_*_and_write` compositions) and the version.
/// Link the CMake target `whitezone::whitezone` (find_package(whitezone)).

#include "whitezone/classify.hpp"
#include "whitezone/compare.hpp"
#include "whitezone/config.hpp"
#include "whitezone/context.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/error.hpp"
#include "whitezone/generate.hpp"
#include "whitezone/overlay.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/plan.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/publish.hpp"
#include "whitezone/rank.hpp"
#include "whitezone/raster.hpp"
#include "whitezone/read.hpp"
#include "whitezone/read/raster.hpp"
#include "whitezone/report.hpp"
#include "whitezone/report/trend.hpp"
#include "whitezone/types.hpp"
#include "whitezone/version.hpp"
