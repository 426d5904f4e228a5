"""The bridge between Processing and whitezone: where the engine is, QGIS inputs turned into
paths the engine reads, and runs with progress and Cancel (docs/qgis.md).

The analyses (analyze, plan, trend) run in the whitezone Python module, in a worker thread:
the algorithm's thread forwards the engine's progress to the QgsProcessingFeedback and turns
the Cancel button into the module's CancelToken. Commands only the CLI has (compare, report)
run the whitezone program as a subprocess, killed on Cancel."""

import os
import queue
import shutil
import subprocess
import sys
import threading
import warnings

from qgis.core import (
    QgsProcessingException,
    QgsProcessingUtils,
    QgsProviderRegistry,
    QgsVectorFileWriter,
)

SETTING_CLI = "WHITEZONE_CLI"
SETTING_PYTHONPATH = "WHITEZONE_PYTHONPATH"
POLL_S = 0.1
WHERE = "Processing ▸ Options ▸ Providers ▸ whitezone"


def setting(name):
    """The environment variable `name`, else the provider setting of that name, else ""."""
    value = os.environ.get(name, "")
    if value:
        return value
    try:
        from processing.core.ProcessingConfig import ProcessingConfig

        return ProcessingConfig.getSetting(name) or ""
    except (ImportError, KeyError):
        return ""


def module():
    """The whitezone Python module, imported from the provider's folder setting if set."""
    folder = setting(SETTING_PYTHONPATH)
    if folder and folder not in sys.path:
        sys.path.insert(0, folder)
    try:
        import whitezone
    except ImportError as e:
        raise QgsProcessingException(
            f"whitezone: the Python module 'whitezone' cannot be imported ({e}); install it "
            f"with `cmake --install build/ci` (docs/python.md), or set 'Folder holding the "
            f"whitezone Python package' in {WHERE} (or WHITEZONE_PYTHONPATH) to the build "
            f"tree's python/ folder, e.g. build/ci/python") from None
    return whitezone


def program():
    """The path of the whitezone program."""
    path = setting(SETTING_CLI) or shutil.which("whitezone") or ""
    if not path or not os.access(path, os.X_OK):
        raise QgsProcessingException(
            f"whitezone: the whitezone program was not found ({path or 'not on PATH'}); "
            f"install it (`cmake --install build/ci`), or set 'whitezone program' in {WHERE} "
            f"(or WHITEZONE_CLI) to it, e.g. build/ci/whitezone")
    return path


# --- inputs -----------------------------------------------------------------------------


def _export(layer, role, feedback):
    """`layer` written to a temporary GeoPackage (a layer that is not a plain file: a
    delimited-text, memory or database layer, or one with a filter)."""
    path = QgsProcessingUtils.generateTempFilename(f"{role}.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = role
    options.fileEncoding = "UTF-8"
    written = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, path, layer.transformContext(), options)
    if written[0] != QgsVectorFileWriter.NoError:
        raise QgsProcessingException(
            f"whitezone: cannot write the {role} layer '{layer.name()}' to {path}: {written[1]}")
    feedback.pushInfo(f"{role}: layer '{layer.name()}' ({layer.providerType()}) exported "
                      f"to {path}")
    return path, role


def vector_input(algorithm, parameters, name, role, context, feedback):
    """(path, layer name or None) of the vector parameter `name`, or None when not given.
    A layer read from a file by OGR without a filter is read by the engine from that file
    (a CSV keeps whitezone's own reading of lon/lat columns); any other layer is exported."""
    if parameters.get(name) in (None, ""):
        return None
    layer = algorithm.parameterAsVectorLayer(parameters, name, context)
    if layer is None or not layer.isValid():
        raise QgsProcessingException(
            f"whitezone: the {role} input '{parameters.get(name)}' is not a vector layer "
            f"QGIS can open; give a loaded layer or a file (GeoPackage, CSV, Shapefile …)")
    if layer.providerType() == "ogr" and not layer.subsetString():
        parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
        path = parts.get("path") or ""
        if os.path.isfile(path):
            return path, parts.get("layerName") or None
    return _export(layer, role, feedback)


def raster_input(algorithm, parameters, name, role, context):
    """The file of the raster parameter `name` (a GDAL raster), or None when not given."""
    if parameters.get(name) in (None, ""):
        return None
    layer = algorithm.parameterAsRasterLayer(parameters, name, context)
    if layer is None or not layer.isValid():
        raise QgsProcessingException(
            f"whitezone: the {role} raster '{parameters.get(name)}' cannot be opened")
    if layer.providerType() != "gdal":
        raise QgsProcessingException(
            f"whitezone: the {role} raster '{layer.name()}' comes from the "
            f"'{layer.providerType()}' provider; give a raster file GDAL reads (GeoTIFF …)")
    return layer.source()


# --- runs -------------------------------------------------------------------------------


class _Progress:
    """The engine's progress callback: stores what it is told; the algorithm's thread
    forwards it to the feedback (Qt objects are used from that thread only)."""

    def __init__(self, feedback):
        self.feedback = feedback
        self.lines = queue.Queue()
        self.step = None  # (message, fraction) of the latest long step

    def __call__(self, message, fraction):
        if fraction is None:
            self.lines.put(message)
        else:
            self.step = (message, fraction)
        return not self.feedback.isCanceled()

    def forward(self, shown):
        while True:
            try:
                self.feedback.pushInfo(self.lines.get_nowait())
            except queue.Empty:
                break
        step = self.step
        if step is not None and step != shown:
            message, fraction = step
            if shown is None or shown[0] != message:
                self.feedback.setProgressText(message)
            self.feedback.setProgress(max(0.0, min(100.0, 100.0 * fraction)))
        return step


def run_module(function, feedback, *args, **kwargs):
    """`function(*args, progress=…, token=…, **kwargs)` of the whitezone module in a worker
    thread; progress goes to `feedback`, Cancel cancels the run. Returns its result; raises
    QgsProcessingException with the engine's message."""
    whitezone = module()
    token = whitezone.CancelToken()
    progress = _Progress(feedback)
    outcome = {}

    def work():
        try:
            with warnings.catch_warnings():  # pushed to the feedback below instead
                warnings.simplefilter("ignore", whitezone.DataWarning)
                outcome["result"] = function(*args, progress=progress, token=token, **kwargs)
        except BaseException as e:  # handed to the algorithm's thread
            outcome["error"] = e

    worker = threading.Thread(target=work, name="whitezone", daemon=True)
    worker.start()
    shown = None
    while worker.is_alive():
        worker.join(POLL_S)
        if feedback.isCanceled():
            token.cancel()
        shown = progress.forward(shown)
    progress.forward(shown)
    error = outcome.get("error")
    if isinstance(error, whitezone.Cancelled) or (error is None and feedback.isCanceled()):
        raise QgsProcessingException("whitezone: cancelled")
    if isinstance(error, whitezone.Error):
        raise QgsProcessingException(f"whitezone: {error}")
    if error is not None:
        raise error
    for message in outcome["result"].warnings:
        feedback.pushWarning(f"warning: {message}")
    return outcome["result"]


def run_program(arguments, feedback):
    """The whitezone program with `arguments`, its output lines passed to the feedback;
    killed on Cancel. Raises QgsProcessingException with its message when it fails."""
    command = [program()] + [str(a) for a in arguments]
    feedback.pushCommandInfo(" ".join(command))
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, text=True, errors="replace")
    lines = queue.Queue()
    tail = []

    def read():
        for line in process.stdout:
            lines.put(line.rstrip("\n"))

    reader = threading.Thread(target=read, name="whitezone-output", daemon=True)
    reader.start()

    def forward():
        while True:
            try:
                line = lines.get_nowait()
            except queue.Empty:
                return
            tail.append(line)
            del tail[:-20]
            feedback.pushConsoleInfo(line)

    while process.poll() is None:
        if feedback.isCanceled():
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            reader.join(1)
            forward()
            raise QgsProcessingException("whitezone: cancelled")
        try:
            process.wait(POLL_S)
        except subprocess.TimeoutExpired:
            pass
        forward()
    reader.join(5)
    forward()
    if process.returncode != 0:
        errors = [line for line in tail if line.startswith("error")] or tail[-5:]
        raise QgsProcessingException(
            f"whitezone {arguments[0]} failed (exit {process.returncode}): "
            + " ".join(errors))
    feedback.setProgress(100)
