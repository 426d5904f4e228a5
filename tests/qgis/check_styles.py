#!/usr/bin/env python3
"""QGIS opens whitezone's GeoPackage with the default style of every layer (docs/output.md).

Runs `whitezone plan` on the sample of Lạng Sơn (data/), so that the GeoPackage holds the
plan's layers too, then with PyQGIS (offscreen): every layer with geometry loads
valid with a default style from the GeoPackage's `layer_styles` table; villages categorised on
status_broadband with the three statuses and labelled with the village name; each style's SLD
is well-formed XML; one PNG of the villages layer is rendered (kept in the build tree).

Usage: check_styles.py WHITEZONE_BINARY SAMPLE_DATA_DIR OUTPUT_DIR
Exit 77 (skipped) when the qgis module cannot be imported (install python3-qgis).
"""

import os
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET

SKIP = 77


def leave(code):
    # Without exitQgis() and interpreter teardown: PyQGIS offscreen may crash there (exit 139)
    # after everything has passed.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    leave(1)


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    binary, data, out_dir = sys.argv[1:]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer,
                               QgsMapRendererSequentialJob, QgsMapSettings,
                               QgsVectorLayer)
        from qgis.PyQt.QtCore import QSize
        from qgis.PyQt.QtGui import QColor
    except ImportError as e:
        print("SKIPPED: PyQGIS is not importable (%s); install python3-qgis "
              "(scripts/install-deps.sh)" % e)
        return SKIP

    os.makedirs(out_dir, exist_ok=True)
    gpkg = os.path.join(out_dir, "styled.gpkg")
    run = subprocess.run(
        [binary, "plan", "--stations", os.path.join(data, "stations.csv"), "--villages",
         os.path.join(data, "villages.gpkg"), "--budget", "3", "--out", gpkg, "--overwrite"],
        capture_output=True, text=True)
    if run.returncode != 0:
        fail("whitezone plan failed (%d): %s" % (run.returncode, run.stderr))

    # The table as QGIS makes it, one default style per layer with geometry.
    with sqlite3.connect(gpkg) as db:
        columns = [r[1] for r in db.execute("PRAGMA table_info(layer_styles)")]
        expected = ["id", "f_table_catalog", "f_table_schema", "f_table_name",
                    "f_geometry_column", "styleName", "styleQML", "styleSLD",
                    "useAsDefault", "description", "owner", "ui", "update_time"]
        if columns != expected:
            fail("layer_styles has columns %s, QGIS's are %s" % (columns, expected))
        styles = {name: (qml, sld, default) for name, qml, sld, default in db.execute(
            "SELECT f_table_name, styleQML, styleSLD, useAsDefault FROM layer_styles")}
        spatial = [r[0] for r in db.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")]
    for layer in ("villages", "coverage", "stations", "proposed_sites", "backhaul_links"):
        if layer not in spatial:
            fail("the GeoPackage has no layer %s (layers: %s)" % (layer, spatial))
    if sorted(styles) != sorted(spatial):
        fail("styles for %s, layers with geometry %s" % (sorted(styles), sorted(spatial)))
    for name, (qml, sld, default) in styles.items():
        if default != 1:
            fail("the style of %s is not the default one" % name)
        for kind, text in (("QML", qml), ("SLD", sld)):
            try:
                ET.fromstring(text.encode("utf-8"))
            except ET.ParseError as e:
                fail("the %s of %s is not well-formed XML: %s" % (kind, name, e))

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    categorised = {"villages": "status_broadband", "coverage": "class",
                   "stations": "technology", "proposed_sites": "connected",
                   "planned_stations": "technology"}
    villages = None
    for name in spatial:
        layer = QgsVectorLayer(gpkg + "|layername=" + name, name, "ogr")
        if not layer.isValid():
            fail("QGIS cannot load layer %s" % name)
        renderer = layer.renderer()
        print("%s: %s" % (name, renderer.type()))
        if name in categorised:
            if not isinstance(renderer, QgsCategorizedSymbolRenderer):
                fail("%s opens with a %s renderer, not its categorised default style"
                     % (name, renderer.type()))
            if renderer.classAttribute() != categorised[name]:
                fail("%s is categorised on %s, not %s"
                     % (name, renderer.classAttribute(), categorised[name]))
        elif renderer.type() != "singleSymbol":
            fail("%s opens with a %s renderer" % (name, renderer.type()))
        if name == "villages":
            villages = layer

    values = [c.value() for c in villages.renderer().categories()]
    if values != ["white", "partial", "covered"]:
        fail("villages categories are %s" % values)
    colours = {c.symbol().color().name() for c in villages.renderer().categories()}
    if len(colours) != 3:
        fail("the three statuses share colours: %s" % colours)
    # Every village falls in a category: the style's values are the layer's values.
    seen = {f["status_broadband"] for f in villages.getFeatures()}
    if not seen or not seen <= set(values):
        fail("villages hold statuses %s, the style has %s" % (seen, values))
    if not villages.labelsEnabled() or villages.labeling() is None:
        fail("the villages are not labelled")
    if villages.labeling().settings().fieldName != "name":
        fail("the villages are labelled with %s, not name"
             % villages.labeling().settings().fieldName)

    settings = QgsMapSettings()
    settings.setLayers([villages])
    settings.setDestinationCrs(villages.crs())
    settings.setExtent(villages.extent().buffered(villages.extent().width() * 0.1))
    settings.setOutputSize(QSize(800, 800))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    png = os.path.join(out_dir, "villages.png")
    if not image.save(png, "PNG"):
        fail("cannot save %s" % png)
    drawn = {image.pixel(x, y) & 0xFFFFFF for x in range(image.width())
             for y in range(image.height())}
    for c in colours:
        if int(c[1:], 16) not in drawn:
            fail("the rendered villages show no %s (colours drawn: %d)" % (c, len(drawn)))
    print("rendered %s" % png)
    return 0


if __name__ == "__main__":
    leave(main())
