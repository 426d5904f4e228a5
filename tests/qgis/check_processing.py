#!/usr/bin/env python3
"""The whitezone Processing provider (qgis/whitezone_processing, docs/qgis.md) works in QGIS.

Part "provider": installs the plugin with scripts/install-qgis-plugin.sh into a QGIS profile
under OUTPUT_DIR/home (HOME points there), then, headless:
- `qgis_process list` shows the whitezone provider and its five algorithms;
- `qgis_process run whitezone:analyze` on the sample (data/) writes the villages and summary
  of `whitezone analyze` field by field, and a layer_styles table; whitezone:plan writes the
  CLI plan's proposed sites, whitezone:trend the CLI trend's table, whitezone:compare the CLI
  compare's changes;
- in PyQGIS: the analysis asks Processing to load every layer of its GeoPackage, and each
  loads with its default style (villages categorised on status_broadband); Cancel stops the
  module's run and kills the program's (compare); the loaded layers are rendered to
  OUTPUT_DIR/qgis-analyze.png (the screenshot of docs/qgis.md).
Part "report": whitezone:report writes the report of the CLI's `whitezone report`; skipped
while the program has no report command.

Usage: check_processing.py provider|report WHITEZONE_BINARY BUILD_DIR DATA_DIR OUTPUT_DIR
Exit 77 (skipped) without qgis_process or PyQGIS (install qgis and python3-qgis), or without
the Python module in BUILD_DIR/python (python3-dev, pybind11-dev).
"""

import difflib
import json
import os
import shutil
import sqlite3
import subprocess
import sys

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ALGORITHMS = ("analyze", "plan", "trend", "compare", "report")


def leave(code):
    # Without exitQgis() and interpreter teardown: PyQGIS offscreen may crash there.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    leave(1)


def skip(reason):
    print("SKIPPED: " + reason)
    leave(SKIP)


def run(command, env, what):
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        fail("%s failed (exit %d): %s\n%s\n%s" % (what, done.returncode, " ".join(
            str(c) for c in command), done.stdout[-3000:], done.stderr[-3000:]))
    return done.stdout


def rows(gpkg, table):
    with sqlite3.connect(gpkg) as db:
        cursor = db.execute('SELECT * FROM "%s" ORDER BY 1' % table)
        names = [d[0] for d in cursor.description]
        return names, cursor.fetchall()


def same_table(expected_gpkg, actual_gpkg, table, what):
    """The table `table` of both GeoPackages, field by field (geometry blobs included)."""
    names, expected = rows(expected_gpkg, table)
    actual_names, actual = rows(actual_gpkg, table)
    if actual_names != names:
        fail("%s: %s has fields %s, the CLI's %s" % (what, table, actual_names, names))
    if len(actual) != len(expected):
        fail("%s: %s has %d rows, the CLI's %d" % (what, table, len(actual), len(expected)))
    if not expected:
        fail("%s: the CLI's %s is empty, nothing compared" % (what, table))
    for number, (want, got) in enumerate(zip(expected, actual)):
        for name, a, b in zip(names, want, got):
            if a != b:
                fail("%s: %s row %d field %s is %r, the CLI's %r"
                     % (what, table, number, name, b, a))
    print("%s: %s equals the CLI's (%d rows, %d fields)" % (what, table, len(expected),
                                                          len(names)))


QGIS_PROCESS = ["qgis_process"]


def find_qgis_process():
    """qgis_process, or on Debian 12 the program behind its wrapper: the wrapper passes
    --noversioncheck, which qgis_process 3.22 refuses (QGIS issue 57683)."""
    for name in ("qgis_process", "qgis_process.bin"):
        path = shutil.which(name)
        if path and subprocess.run([path, "--version"], capture_output=True,
                                   env=dict(os.environ, QT_QPA_PLATFORM="offscreen")
                                   ).returncode == 0:
            return [path]
    return None


def qgis_run(env, algorithm, parameters, what):
    command = QGIS_PROCESS + ["run", "whitezone:" + algorithm, "--json"]
    command += ["--%s=%s" % (k, v) for k, v in parameters.items()]
    out = run(command, env, what)
    try:
        return json.loads(out[out.index("{"):])["results"]
    except (ValueError, KeyError) as e:
        fail("%s: qgis_process printed no JSON results (%s): %s" % (what, e, out[-2000:]))


def provider(binary, build, data, out_dir, env):
    listing = run(QGIS_PROCESS + ["list"], env, "qgis_process list")
    if "whitezone" not in listing:
        fail("qgis_process list does not show the whitezone provider:\n" + listing[-3000:])
    for name in ALGORITHMS:
        if "whitezone:" + name not in listing:
            fail("qgis_process list does not show whitezone:%s" % name)
    print("qgis_process list shows whitezone:" + ", whitezone:".join(ALGORITHMS))

    # The sample, copied: QGIS opens the inputs too.
    inputs = os.path.join(out_dir, "data")
    shutil.rmtree(inputs, ignore_errors=True)
    os.makedirs(inputs)
    for name in ("stations.csv", "villages.gpkg", "settlements.gpkg", "dem.tif"):
        shutil.copy(os.path.join(data, name), inputs)
    stations, villages, settlements = (os.path.join(inputs, n) for n in
                                       ("stations.csv", "villages.gpkg", "settlements.gpkg"))
    flags = ["--stations", stations, "--villages", villages, "--settlements", settlements]
    params = {"STATIONS": stations, "VILLAGES": villages, "SETTLEMENTS": settlements}
    cli = os.path.join(out_dir, "cli-%s.gpkg")
    ours = os.path.join(out_dir, "qgis-%s.gpkg")

    run([binary, "analyze"] + flags + ["--out", cli % "analyze", "--overwrite"], env, "CLI analyze")
    # The defaults given as parameters (enums by name): the same result.
    results = qgis_run(env, "analyze", dict(params, COVERAGE_MODEL="disk", STATUS_RULE="centre",
                                            OUTPUT=ours % "analyze"), "whitezone:analyze")
    if results.get("OUTPUT") != ours % "analyze":
        fail("whitezone:analyze returned OUTPUT %r" % results.get("OUTPUT"))
    for table in ("villages", "summary"):
        same_table(cli % "analyze", ours % "analyze", table, "whitezone:analyze")
    with sqlite3.connect(ours % "analyze") as db:
        styled = {r[0] for r in db.execute("SELECT f_table_name FROM layer_styles")}
    if "villages" not in styled:
        fail("whitezone:analyze's GeoPackage has no default style for villages (%s)" % styled)

    run([binary, "plan"] + flags + ["--budget", "3", "--out", cli % "plan", "--overwrite"],
        env, "CLI plan")
    qgis_run(env, "plan", dict(params, BUDGET=3, OUTPUT=ours % "plan"), "whitezone:plan")
    same_table(cli % "plan", ours % "plan", "proposed_sites", "whitezone:plan")

    run([binary, "trend"] + flags + ["--no-chart", "--out", cli % "trend", "--overwrite"],
        env, "CLI trend")
    qgis_run(env, "trend", dict(params, OUTPUT=ours % "trend"), "whitezone:trend")
    same_table(cli % "trend", ours % "trend", "trend", "whitezone:trend")

    # Last year: 4G reached 2 km only; this year: the analysis above.
    before = os.path.join(out_dir, "qgis-before.gpkg")
    qgis_run(env, "analyze", dict(params, RADIUS_4G=2000, OUTPUT=before), "whitezone:analyze")
    _, smaller = rows(before, "villages")
    _, larger = rows(ours % "analyze", "villages")
    if smaller == larger:
        fail("RADIUS_4G=2000 changed no village: the parameter does not reach the engine")
    run([binary, "compare", "--before", before, "--after", ours % "analyze", "--out",
         cli % "compare", "--overwrite"], env, "CLI compare")
    qgis_run(env, "compare", {"BEFORE": before, "AFTER": ours % "analyze",
                              "OUTPUT": ours % "compare"}, "whitezone:compare")
    same_table(cli % "compare", ours % "compare", "changes", "whitezone:compare")
    same_table(cli % "compare", ours % "compare", "change_summary", "whitezone:compare")
    _, changes = rows(ours % "compare", "change_summary")
    print("whitezone:compare: %d units" % len(changes))

    in_qgis(build, inputs, out_dir)


def in_qgis(build, inputs, out_dir):
    """Processing inside PyQGIS: layers to load with their styles, Cancel, the screenshot."""
    from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer,
                           QgsMapRendererSequentialJob, QgsMapSettings, QgsProcessingContext,
                           QgsProcessingException, QgsProcessingFeedback, QgsProcessingUtils,
                           QgsProject, QgsRectangle, QgsSingleBandPseudoColorRenderer,
                           QgsVectorLayer)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing
    import processing
    Processing.initialize()
    sys.path.insert(0, os.path.join(REPO, "qgis"))
    import whitezone_processing
    plugin = whitezone_processing.classFactory(None)  # kept: it owns the provider
    plugin.initProcessing()
    if QgsApplication.processingRegistry().algorithmById("whitezone:analyze") is None:
        fail("the plugin's initProcessing() registers no whitezone:analyze")

    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()
    out = os.path.join(out_dir, "qgis-inprocess.gpkg")
    parameters = {"STATIONS": os.path.join(inputs, "stations.csv"),
                  "VILLAGES": os.path.join(inputs, "villages.gpkg"),
                  "SETTLEMENTS": os.path.join(inputs, "settlements.gpkg"), "OUTPUT": out}
    processing.run("whitezone:analyze", parameters, context=context, feedback=feedback)
    to_load = context.layersToLoadOnCompletion()
    names = sorted(details.name for details in to_load.values())
    for name in ("coverage", "sites", "stations", "summary", "villages"):
        if name not in names:
            fail("whitezone:analyze does not load layer %s into the project (%s)" % (name, names))
    # What QGIS desktop does when the algorithm ends (processing/gui/Postprocessing.py).
    from processing.gui.Postprocessing import handleAlgorithmResults
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("whitezone:analyze")
    if not handleAlgorithmResults(algorithm, context, feedback, False, parameters):
        fail("Processing could not load the outputs of whitezone:analyze")
    layers = {layer.name(): layer for layer in project.mapLayers().values()}
    if sorted(layers) != names:
        fail("the project holds %s after the run, not %s" % (sorted(layers), names))
    renderer = layers["villages"].renderer()
    if not isinstance(renderer, QgsCategorizedSymbolRenderer) or \
            renderer.classAttribute() != "status_broadband":
        fail("the villages load without their default style (renderer %s)" % renderer.type())
    for name in ("coverage", "stations"):
        if not isinstance(layers[name].renderer(), QgsCategorizedSymbolRenderer):
            fail("%s loads without its default style (%s)" % (name,
                                                              layers[name].renderer().type()))
    print("in QGIS: layers to load %s, villages categorised on status_broadband" % names)

    # A layer that is not an OGR file (the stations' CSV as QGIS's delimited-text layer) is
    # exported to a GeoPackage and read from there, with the same result.
    uri = "file://%s?delimiter=,&xField=lon&yField=lat&crs=EPSG:4326" % os.path.join(
        inputs, "stations.csv")
    text = QgsVectorLayer(uri, "stations", "delimitedtext")
    if not text.isValid() or text.featureCount() == 0:
        fail("the stations do not load as a delimited-text layer")
    text_context = QgsProcessingContext()
    text_feedback = QgsProcessingFeedback()
    results = processing.run("whitezone:analyze", dict(
        parameters, STATIONS=text, OUTPUT=os.path.join(out_dir, "qgis-text.gpkg")),
        context=text_context, feedback=text_feedback)
    same_table(os.path.join(out_dir, "cli-analyze.gpkg"), results["OUTPUT"], "villages",
               "whitezone:analyze of a delimited-text layer")

    # The ITM model: its received-power GeoTIFFs are written beside the GeoPackage, returned
    # as outputs and loaded with it, coloured by dBm.
    itm_context = QgsProcessingContext()
    itm_out = os.path.join(out_dir, "qgis-itm.gpkg")
    results = processing.run("whitezone:analyze", dict(
        parameters, COVERAGE_MODEL="itm", DEM=os.path.join(inputs, "dem.tif"), OUTPUT=itm_out),
        context=itm_context, feedback=QgsProcessingFeedback())
    for name in ("signal_dbm_any", "signal_dbm_broadband"):
        path = os.path.join(out_dir, "qgis-itm_%s.tif" % name)
        if results.get(name.upper()) != path or not os.path.isfile(path):
            fail("whitezone:analyze with itm returned %s=%r, not the raster %s"
                 % (name.upper(), results.get(name.upper()), path))
    loaded = {details.name: itm_context.temporaryLayerStore().mapLayer(layer_id)
              for layer_id, details in itm_context.layersToLoadOnCompletion().items()}
    signal = loaded.get("signal_dbm_any")
    if signal is None or not isinstance(signal.renderer(), QgsSingleBandPseudoColorRenderer):
        fail("the received power does not load coloured by dBm (%s)" % sorted(loaded))
    stats = signal.dataProvider().bandStatistics(1)
    if not -200 < stats.minimumValue < stats.maximumValue < 100:
        fail("signal_dbm_any holds %s to %s dBm" % (stats.minimumValue, stats.maximumValue))
    print("in QGIS: with itm, signal_dbm_any (%.0f to %.0f dBm) and signal_dbm_broadband load"
          % (stats.minimumValue, stats.maximumValue))

    class CancelAtFirst(QgsProcessingFeedback):
        """Presses Cancel at the first line the algorithm reports."""

        def __init__(self):
            super().__init__()
            self.lines = 0

        def pushInfo(self, info):  # noqa: N802 - QGIS's name
            self.lines += 1
            self.cancel()

        def pushCommandInfo(self, info):  # noqa: N802 - QGIS's name
            self.cancel()

    cancelled = os.path.join(out_dir, "qgis-cancelled.gpkg")
    for algorithm, params in (("analyze", dict(parameters, OUTPUT=cancelled)),
                              ("compare", {"BEFORE": out, "AFTER": out, "OUTPUT": cancelled})):
        if os.path.exists(cancelled):
            os.remove(cancelled)
        cancel_context = QgsProcessingContext()  # named: a temporary may be freed too soon
        cancel_feedback = CancelAtFirst()
        try:
            processing.run("whitezone:" + algorithm, params, context=cancel_context,
                           feedback=cancel_feedback)
            fail("whitezone:%s ran to the end after Cancel" % algorithm)
        except QgsProcessingException as e:
            if "cancelled" not in str(e):
                fail("whitezone:%s after Cancel: %s" % (algorithm, e))
        if os.path.exists(cancelled):
            fail("whitezone:%s wrote %s after Cancel" % (algorithm, cancelled))
    print("in QGIS: Cancel stops whitezone:analyze (module) and whitezone:compare (program)")

    # The screenshot: coverage under the villages under the stations, as styled.
    shown = [layers["stations"], layers["villages"], layers["coverage"]]
    extent = QgsRectangle(layers["villages"].extent())
    extent.scale(1.05)
    settings = QgsMapSettings()
    settings.setLayers(shown)
    settings.setDestinationCrs(layers["villages"].crs())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(900, 700))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    png = os.path.join(out_dir, "qgis-analyze.png")
    if not job.renderedImage().save(png, "PNG"):
        fail("cannot save %s" % png)
    print("screenshot: %s" % png)


def report(binary, data, out_dir, env):
    help_run = subprocess.run([binary, "report", "--help"], capture_output=True, text=True)
    if help_run.returncode != 0:
        skip("this whitezone has no `report` command (`whitezone report --help` exits %d); "
             "whitezone:report is tested once it is merged" % help_run.returncode)
    results = os.path.join(out_dir, "report-results.gpkg")
    flags = ["--stations", os.path.join(data, "stations.csv"), "--villages",
             os.path.join(data, "villages.gpkg")]
    run([binary, "analyze"] + flags + ["--out", results, "--overwrite"], env, "CLI analyze")
    for form in ("html", "md"):
        cli = os.path.join(out_dir, "cli-report." + form)
        ours = os.path.join(out_dir, "qgis-report." + form)
        for path in (cli, ours):
            if os.path.exists(path):
                os.remove(path)
        run([binary, "report", "--results", results, "--lang", "en", "--format", form,
             "--out", cli], env, "CLI report")
        qgis_run(env, "report", {"RESULTS": results, "LANG": "en", "OUTPUT": ours},
                 "whitezone:report")
        with open(cli, encoding="utf-8") as a, open(ours, encoding="utf-8") as b:
            want, got = a.read().splitlines(), b.read().splitlines()
        if not want:
            fail("the CLI's %s report is empty" % form)
        # The same report; a line or two may differ (the time it was made).
        changed = [line for line in difflib.unified_diff(want, got, lineterm="", n=0)
                   if line[:1] in "+-" and not line.startswith(("+++", "---"))]
        if len(changed) > 4:
            fail("whitezone:report's %s differs from the CLI's (%s, %s):\n%s"
                 % (form, cli, ours, "\n".join(changed[:20])))
        print("whitezone:report: the %s report equals the CLI's (%d lines)" % (form, len(want)))


def main():
    if len(sys.argv) != 6 or sys.argv[1] not in ("provider", "report"):
        print(__doc__, file=sys.stderr)
        return 2
    part, binary, build, data, out_dir = sys.argv[1:]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    found = find_qgis_process()
    if found is None:
        skip("qgis_process is not installed or does not run (Debian package qgis; "
             "scripts/install-deps.sh)")
    QGIS_PROCESS[:] = found
    try:
        import qgis.core  # noqa: F401
    except ImportError as e:
        skip("PyQGIS is not importable (%s); install python3-qgis" % e)
    module_dir = os.path.join(build, "python", "whitezone")
    if not os.path.isdir(module_dir) or not any(
            n.startswith("_whitezone") for n in os.listdir(module_dir)):
        skip("the whitezone Python module is not built in %s/python (python3-dev, "
             "pybind11-dev; docs/python.md)" % build)
    binary, build, data, out_dir = (os.path.abspath(p) for p in (binary, build, data, out_dir))
    os.makedirs(out_dir, exist_ok=True)

    # A QGIS profile of its own, the plugin installed and enabled by the script.
    home = os.path.join(out_dir, "home")
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(home)
    env = dict(os.environ, HOME=home, QT_QPA_PLATFORM="offscreen",
               XDG_RUNTIME_DIR=os.path.join(home, "runtime"))
    env.pop("QGIS_PROFILES_PATH", None)
    for name in ("WHITEZONE_CLI", "WHITEZONE_PYTHONPATH"):  # the profile's settings, only
        env.pop(name, None)
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
    run([os.path.join(REPO, "scripts", "install-qgis-plugin.sh"), "--build", build], env,
        "scripts/install-qgis-plugin.sh")
    plugin = os.path.join(home, ".local/share/QGIS/QGIS3/profiles/default/python/plugins",
                          "whitezone_processing", "metadata.txt")
    if not os.path.isfile(plugin):
        fail("the install script did not install %s" % plugin)

    if part == "report":
        report(binary, data, out_dir, env)
    else:
        # In this process: the engine from the build tree.
        os.environ["WHITEZONE_CLI"] = binary
        os.environ["WHITEZONE_PYTHONPATH"] = os.path.join(build, "python")
        provider(binary, build, data, out_dir, env)
    return 0


if __name__ == "__main__":
    leave(main())
