"""The algorithms of the whitezone provider: analyze, plan and trend run in the whitezone
Python module; compare and report run the whitezone program (docs/qgis.md). Every output
GeoPackage is loaded into the project, each layer with its default style (the engine writes
QGIS's layer_styles table into it)."""

import os

from qgis.core import (
    QgsColorRampShader,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputRasterLayer,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorLayer,
    QgsProcessingParameterBoolean,
    QgsRasterLayer,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

from . import engine

DOCS = "docs/qgis.md in the whitezone repository"
GPKG_FILTER = "GeoPackage (*.gpkg *.GPKG)"
Number = QgsProcessingParameterNumber


def _given(parameters, name):
    return parameters.get(name) not in (None, "")


def _load_layers(context, path, layers, output_name="OUTPUT"):
    """Asks Processing to load every layer of the GeoPackage `path` when the algorithm ends
    (QGIS desktop; qgis_process loads nothing). Each is opened here, which applies its
    default style (the engine's layer_styles table), and handed over through the context's
    layer store: Processing would open a path without the style."""
    for name in layers:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        if not layer.isValid():
            raise QgsProcessingException(f"whitezone: cannot open layer {name} of {path}")
        context.temporaryLayerStore().addMapLayer(layer)
        details = QgsProcessingContext.LayerDetails(name, context.project(), output_name)
        context.addLayerToLoadOnCompletion(layer.id(), details)


# The ITM model's received-power rasters (docs/itm.md#outputs): the colours of a coverage
# map, from no service (red, at and below -120 dBm) through the default thresholds (2G
# -100, 3G -105, 4G and 5G -110 dBm) to strong signal (dark green).
SIGNAL_RASTERS = ("signal_dbm_any", "signal_dbm_broadband")
SIGNAL_COLOURS = ((-120, "#d7191c"), (-110, "#fdae61"), (-100, "#ffffbf"), (-85, "#a6d96a"),
                  (-60, "#1a9641"))


def _load_signal_rasters(context, paths):
    """Loads the received-power GeoTIFFs among `paths` (what whitezone.write() returned) when
    the algorithm ends, coloured by dBm; returns {output name: path}."""
    outputs = {}
    for path in paths:
        name = next((n for n in SIGNAL_RASTERS if path.endswith(n + ".tif")), None)
        if name is None:
            continue
        layer = QgsRasterLayer(path, name)
        if not layer.isValid():
            raise QgsProcessingException(f"whitezone: cannot open the raster {path}")
        ramp = QgsColorRampShader(SIGNAL_COLOURS[0][0], SIGNAL_COLOURS[-1][0])
        ramp.setColorRampType(QgsColorRampShader.Interpolated)
        ramp.setColorRampItemList([QgsColorRampShader.ColorRampItem(v, QColor(c), f"{v} dBm")
                                   for v, c in SIGNAL_COLOURS])
        ramp.setClip(False)
        shader = QgsRasterShader()
        shader.setRasterShaderFunction(ramp)
        renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
        renderer.setClassificationMin(SIGNAL_COLOURS[0][0])
        renderer.setClassificationMax(SIGNAL_COLOURS[-1][0])
        layer.setRenderer(renderer)
        context.temporaryLayerStore().addMapLayer(layer)
        output = name.upper()
        context.addLayerToLoadOnCompletion(
            layer.id(), QgsProcessingContext.LayerDetails(name, context.project(), output))
        outputs[output] = path
    return outputs


class _Algorithm(QgsProcessingAlgorithm):
    """What all whitezone algorithms share: names, group, help."""

    NAME = ""
    TITLE = ""
    HELP = ""

    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802 - QGIS's name
        return self.TITLE

    def group(self):
        return ""

    def groupId(self):  # noqa: N802 - QGIS's name
        return ""

    def shortHelpString(self):  # noqa: N802 - QGIS's name
        return self.HELP + f"<p>Parameters and outputs: {DOCS}.</p>"

    def createInstance(self):  # noqa: N802 - QGIS's name
        return type(self)()

    def _add(self, parameter, advanced=False, help_text=""):
        if advanced:
            parameter.setFlags(parameter.flags()
                               | QgsProcessingParameterDefinition.FlagAdvanced)
        if help_text and hasattr(parameter, "setHelp"):
            parameter.setHelp(help_text)
        self.addParameter(parameter)


class _Analysis(_Algorithm):
    """analyze, plan and trend: the inputs and the config's main keys, run in the module."""

    FUNCTION = ""
    # The ITM model's received-power rasters are outputs (analyze only: whitezone plan and
    # trend write none).
    SIGNAL_OUTPUTS = False

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS's name
        vector = [QgsProcessing.TypeVector]
        self._add(QgsProcessingParameterVectorLayer(
            "STATIONS", "Stations (cells; a CSV with lon/lat, or points)", vector))
        self._add(QgsProcessingParameterVectorLayer(
            "VILLAGES", "Villages (polygons or points)", vector))
        self._add(QgsProcessingParameterVectorLayer(
            "SETTLEMENTS", "Settlements (residential clusters)", vector, optional=True))
        self._add(QgsProcessingParameterVectorLayer(
            "CENTRES", "Village centres", vector, optional=True), advanced=True)
        self._add(QgsProcessingParameterRasterLayer(
            "DEM", "Elevation raster (terrain mode)", optional=True))
        self._add(QgsProcessingParameterRasterLayer(
            "POPULATION", "Population raster (people per cell)", optional=True))
        self._add(QgsProcessingParameterFile(
            "CONFIG", "Config file (JSON); the parameters below win over it",
            extension="json", optional=True))
        self._add(QgsProcessingParameterCrs(
            "WORK_CRS", "Work CRS (projected, metres; empty: the villages' UTM zone)",
            optional=True))
        self._add(QgsProcessingParameterEnum(
            "COVERAGE_MODEL", "Coverage model", ["disk", "hata", "itm"], optional=True,
            usesStaticStrings=True))
        self._add(QgsProcessingParameterEnum(
            "STATUS_RULE", "Status rule", ["centre", "area_share"], optional=True,
            usesStaticStrings=True))
        for tech in ("2G", "3G", "4G", "5G"):
            self._add(Number(f"RADIUS_{tech}", f"Footprint radius of {tech} (m)", Number.Double,
                             optional=True, minValue=1, maxValue=100000), advanced=True)
        self._add(QgsProcessingParameterEnum(
            "USE_STATION_RANGE", "Use the stations' own range_m", ["true", "false"],
            optional=True, usesStaticStrings=True), advanced=True)
        self._add(Number("VILLAGE_RADIUS_M", "Village radius for point villages (m)",
                         Number.Double, optional=True, minValue=0, maxValue=100000),
                  advanced=True)
        self._add(Number("WHITE_BELOW", "White below this covered share (area_share rule)",
                         Number.Double, optional=True, minValue=0, maxValue=1), advanced=True)
        self._add(Number("COVERED_FROM", "Covered from this covered share", Number.Double,
                         optional=True, minValue=0, maxValue=1), advanced=True)
        self._add(QgsProcessingParameterEnum(
            "RANK_CLASS", "Rank the gaps of", ["broadband", "any"], optional=True,
            usesStaticStrings=True), advanced=True)
        self._add(QgsProcessingParameterBoolean(
            "STABILITY", "Stability of each status under the inputs' uncertainty",
            defaultValue=False), advanced=True)
        self._add(Number("THREADS", "Worker threads (0: all cores)", Number.Integer,
                         defaultValue=0, minValue=0, maxValue=1024), advanced=True)
        self.init_own(config)
        self._add(QgsProcessingParameterFileDestination(
            "OUTPUT", "Results (GeoPackage)", GPKG_FILTER))
        self.addOutput(QgsProcessingOutputVectorLayer(
            "VILLAGES_LAYER", "Villages", QgsProcessing.TypeVectorAnyGeometry))
        self.addOutput(QgsProcessingOutputVectorLayer(
            "SUMMARY_LAYER", "Summary", QgsProcessing.TypeVector))
        if self.SIGNAL_OUTPUTS:
            for name in SIGNAL_RASTERS:
                self.addOutput(QgsProcessingOutputRasterLayer(
                    name.upper(), "Received power, dBm, " + name.rsplit("_", 1)[1] +
                    " (coverage model itm)"))

    def init_own(self, config):
        """The algorithm's own parameters (plan's budget, trend's years)."""

    def own_options(self, parameters, context, feedback):
        """The algorithm's own keyword arguments to the module's function."""
        return {}

    def options(self, parameters, context, feedback):
        """The module's keyword arguments: inputs, config and the keys given."""
        options = {}
        for name, role in (("SETTLEMENTS", "settlements"), ("CENTRES", "centres")):
            source = engine.vector_input(self, parameters, name, role, context, feedback)
            if source is not None:
                options[role], options[f"{role}_layer"] = source
        for name, key in (("DEM", "dem"), ("POPULATION", "population")):
            path = engine.raster_input(self, parameters, name, key, context)
            if path is not None:
                options[key] = path
        if _given(parameters, "WORK_CRS"):
            crs = self.parameterAsCrs(parameters, "WORK_CRS", context)
            if crs.isValid():
                options["work_crs"] = crs.authid() or crs.toWkt()
        for name, key in (("COVERAGE_MODEL", "coverage_model"), ("STATUS_RULE", "status_rule")):
            if _given(parameters, name):
                options[key] = self.parameterAsEnumString(parameters, name, context)
        radius = {tech: self.parameterAsDouble(parameters, f"RADIUS_{tech}", context)
                  for tech in ("2G", "3G", "4G", "5G") if _given(parameters, f"RADIUS_{tech}")}
        if radius:
            options["radius_m"] = radius
        if _given(parameters, "USE_STATION_RANGE"):
            options["use_station_range"] = self.parameterAsEnumString(
                parameters, "USE_STATION_RANGE", context) == "true"
        for name, key in (("VILLAGE_RADIUS_M", "village_radius_m"),
                          ("WHITE_BELOW", "white_below"), ("COVERED_FROM", "covered_from")):
            if _given(parameters, name):
                options[key] = self.parameterAsDouble(parameters, name, context)
        if _given(parameters, "RANK_CLASS"):
            options["rank"] = {"class": self.parameterAsEnumString(
                parameters, "RANK_CLASS", context)}
        if self.parameterAsBoolean(parameters, "STABILITY", context):
            options["stability"] = True
        options["threads"] = self.parameterAsInt(parameters, "THREADS", context)
        options.update(self.own_options(parameters, context, feedback))
        return options

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS's name
        whitezone = engine.module()
        stations = engine.vector_input(self, parameters, "STATIONS", "stations", context,
                                       feedback)
        villages = engine.vector_input(self, parameters, "VILLAGES", "villages", context,
                                       feedback)
        config = self.parameterAsFile(parameters, "CONFIG", context) or None
        options = self.options(parameters, context, feedback)
        if stations[1]:
            options["stations_layer"] = stations[1]
        if villages[1]:
            options["villages_layer"] = villages[1]
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        feedback.pushInfo(f"whitezone {self.NAME}: {stations[0]}, {villages[0]} → {out}")
        result = engine.run_module(getattr(whitezone, self.FUNCTION), feedback, stations[0],
                                   villages[0], config, **options)
        if feedback.isCanceled():
            raise QgsProcessingException("whitezone: cancelled")
        feedback.setProgressText("write")
        try:
            written = whitezone.write(result, out, format="gpkg", overwrite=True)
        except whitezone.Error as e:
            raise QgsProcessingException(f"whitezone: {e}") from None
        feedback.setProgress(100)
        _load_layers(context, out, result.layers)
        for path in written:
            feedback.pushInfo(f"written with it: {path}")
        return {"OUTPUT": out, "VILLAGES_LAYER": f"{out}|layername=villages",
                "SUMMARY_LAYER": f"{out}|layername=summary",
                **_load_signal_rasters(context, written)}


class AnalyzeAlgorithm(_Analysis):
    NAME = "analyze"
    TITLE = "Analyze: white, partial and covered villages"
    FUNCTION = "analyze"
    SIGNAL_OUTPUTS = True
    HELP = ("<p><code>whitezone analyze</code>: reads the stations and villages, models each "
            "station's coverage, overlays it on the villages and classifies each as white, "
            "partial or covered, ranks the gaps and sums up per province, district and "
            "commune. Layers: villages, coverage, stations, sites, summary. With the "
            "coverage model itm and a DEM, the received power per cell "
            "(signal_dbm_any, signal_dbm_broadband: GeoTIFFs beside the GeoPackage) is "
            "loaded too, coloured from red (-120 dBm) to green.</p>"
            "<p>Layers read from files are read by whitezone from the file; other layers "
            "(delimited text, memory, database, filtered) are exported to a temporary "
            "GeoPackage first. Empty parameters keep the config file's value, else the "
            "default (docs/config.md).</p>")


class PlanAlgorithm(_Analysis):
    NAME = "plan"
    TITLE = "Plan: new sites for the white villages"
    FUNCTION = "plan"
    HELP = ("<p><code>whitezone plan</code>: the analysis, then up to <i>budget</i> new sites "
            "chosen greedily for the people (or villages) without signal, with their "
            "backhaul; with planned stations, the what-if of putting them on air. Adds the "
            "layers proposed_sites, backhaul_links (and whatif).</p>")

    def init_own(self, config):
        vector = [QgsProcessing.TypeVector]
        self._add(Number("BUDGET", "Budget (most new sites)", Number.Integer, defaultValue=10,
                         minValue=0, maxValue=100000))
        self._add(QgsProcessingParameterEnum("BY", "A site's gain counts", ["people", "villages"],
                                             optional=True, usesStaticStrings=True))
        self._add(Number("TARGET_RATE", "Stop once this share of villages is covered or reached",
                         Number.Double, optional=True, minValue=0, maxValue=1))
        self._add(QgsProcessingParameterVectorLayer(
            "PLANNED", "Planned stations (not on air yet)", vector, optional=True))
        self._add(QgsProcessingParameterVectorLayer(
            "CANDIDATES", "Extra candidate sites (points)", vector, optional=True))
        self._add(QgsProcessingParameterEnum(
            "PLAN_TECH", "Technology of the new sites", ["2G", "3G", "4G", "5G"],
            optional=True, usesStaticStrings=True), advanced=True)
        self._add(Number("MAX_HOP_M", "Longest backhaul hop (m)", Number.Double, optional=True,
                         minValue=1), advanced=True)

    def own_options(self, parameters, context, feedback):
        options = {"budget": self.parameterAsInt(parameters, "BUDGET", context)}
        if _given(parameters, "BY"):
            options["by"] = self.parameterAsEnumString(parameters, "BY", context)
        if _given(parameters, "TARGET_RATE"):
            options["target_rate"] = self.parameterAsDouble(parameters, "TARGET_RATE", context)
        for name, role in (("PLANNED", "planned"), ("CANDIDATES", "candidates")):
            source = engine.vector_input(self, parameters, name, role, context, feedback)
            if source is not None:
                options[role], options[f"{role}_layer"] = source
        plan = {}
        if _given(parameters, "PLAN_TECH"):
            plan["tech"] = self.parameterAsEnumString(parameters, "PLAN_TECH", context)
        if _given(parameters, "MAX_HOP_M"):
            plan["max_hop_m"] = self.parameterAsDouble(parameters, "MAX_HOP_M", context)
        if plan:
            options["plan"] = plan
        return options


class TrendAlgorithm(_Analysis):
    NAME = "trend"
    TITLE = "Trend: white and partial villages per year"
    FUNCTION = "trend"
    HELP = ("<p><code>whitezone trend</code>: the analysis, then the villages' statuses in "
            "each year from the stations' on-air dates. Adds the table trend (the chart is "
            "drawn by the program: <code>whitezone trend --chart</code>).</p>")

    def init_own(self, config):
        for name, text in (("FROM_YEAR", "First year"), ("TO_YEAR", "Last year")):
            self._add(Number(name, text, Number.Integer, optional=True, minValue=1900,
                             maxValue=2100))

    def own_options(self, parameters, context, feedback):
        return {key: self.parameterAsInt(parameters, name, context)
                for name, key in (("FROM_YEAR", "from_year"), ("TO_YEAR", "to_year"))
                if _given(parameters, name)}


class CompareAlgorithm(_Algorithm):
    NAME = "compare"
    TITLE = "Compare two years' results"
    HELP = ("<p><code>whitezone compare</code> (run as the whitezone program): last year's and "
            "this year's results of analyze, every village's transition (newly covered, "
            "newly white …) and the counts per unit. Layers: villages, changes.</p>")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS's name
        self._add(QgsProcessingParameterFile("BEFORE", "Last year's results (GeoPackage)",
                                             fileFilter=GPKG_FILTER))
        self._add(QgsProcessingParameterFile("AFTER", "This year's results (GeoPackage)",
                                             fileFilter=GPKG_FILTER))
        self._add(Number("MATCH_TOLERANCE", "Match villages without a common id within (m)",
                         Number.Double, optional=True, minValue=0))
        self._add(QgsProcessingParameterFile("CONFIG", "Config file (JSON): the villages' "
                                             "fields", extension="json", optional=True))
        self._add(QgsProcessingParameterFileDestination("OUTPUT", "Changes (GeoPackage)",
                                                        GPKG_FILTER))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS's name
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        arguments = ["compare", "--before", self.parameterAsFile(parameters, "BEFORE", context),
                     "--after", self.parameterAsFile(parameters, "AFTER", context)]
        if _given(parameters, "MATCH_TOLERANCE"):
            arguments += ["--match-tolerance",
                          repr(self.parameterAsDouble(parameters, "MATCH_TOLERANCE", context))]
        config = self.parameterAsFile(parameters, "CONFIG", context)
        if config:
            arguments += ["--config", config]
        arguments += ["--out", out, "--overwrite", "--verbose"]
        engine.run_program(arguments, feedback)
        _load_layers(context, out, _gpkg_layers(out))
        return {"OUTPUT": out}


class ReportAlgorithm(_Algorithm):
    NAME = "report"
    TITLE = "Report (HTML or Markdown)"
    HELP = ("<p><code>whitezone report</code> (run as the whitezone program): the report of a "
            "year's results, with the changes since a baseline and the plan when given.</p>")
    LANGS = ["vi", "en"]
    FORMATS = ["html", "md"]

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS's name
        self._add(QgsProcessingParameterFile("RESULTS", "Results of analyze (GeoPackage)",
                                             fileFilter=GPKG_FILTER))
        self._add(QgsProcessingParameterFile("BASELINE", "Last year's results (GeoPackage)",
                                             fileFilter=GPKG_FILTER, optional=True))
        self._add(QgsProcessingParameterFile("PLAN", "Results of plan (GeoPackage)",
                                             fileFilter=GPKG_FILTER, optional=True))
        self._add(QgsProcessingParameterEnum("LANG", "Language", self.LANGS, optional=True,
                                             usesStaticStrings=True))
        self._add(QgsProcessingParameterEnum(
            "FORMAT", "Format (empty: from the file's extension)", self.FORMATS,
            optional=True, usesStaticStrings=True))
        self._add(QgsProcessingParameterFileDestination(
            "OUTPUT", "Report", "HTML (*.html);;Markdown (*.md)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS's name
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        arguments = ["report", "--results", self.parameterAsFile(parameters, "RESULTS", context)]
        for name, flag in (("BASELINE", "--baseline"), ("PLAN", "--plan")):
            path = self.parameterAsFile(parameters, name, context)
            if path:
                arguments += [flag, path]
        if _given(parameters, "LANG"):
            arguments += ["--lang", self.parameterAsEnumString(parameters, "LANG", context)]
        if _given(parameters, "FORMAT"):
            form = self.parameterAsEnumString(parameters, "FORMAT", context)
        else:
            form = "md" if out.lower().endswith(".md") else "html"
        arguments += ["--format", form, "--out", out]
        if os.path.exists(out):
            os.remove(out)  # Processing asked before choosing an existing file
        engine.run_program(arguments, feedback)
        return {"OUTPUT": out}


def _gpkg_layers(path):
    """The names of a GeoPackage's data layers (not QGIS's layer_styles table)."""
    import sqlite3

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute(
            "SELECT table_name FROM gpkg_contents WHERE table_name != 'layer_styles' "
            "ORDER BY rowid")]
