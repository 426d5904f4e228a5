"""whitezone in Python: classify villages as white / partial / covered by mobile coverage.

    import whitezone
    result = whitezone.analyze("stations.csv", "villages.gpkg", dem="dem.tif")
    result["villages"]          # a GeoDataFrame (a dict of NumPy arrays without GeoPandas)
    whitezone.write(result, "results.gpkg")

The engine is the C++ library (the extension ``whitezone._whitezone``); docs/python.md
describes the functions, the result's shapes, the errors, progress and cancellation.
"""

from ._whitezone import (
    Cancelled,
    CancelToken,
    Error,
    ExternalError,
    InputError,
    UsageError,
)
from ._whitezone import version as __version__
from .api import DataWarning, Result, analyze, plan, trend, write

__all__ = [
    "analyze",
    "plan",
    "trend",
    "write",
    "Result",
    "CancelToken",
    "DataWarning",
    "Error",
    "UsageError",
    "InputError",
    "ExternalError",
    "Cancelled",
    "__version__",
]
