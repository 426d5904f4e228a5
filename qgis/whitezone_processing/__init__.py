"""whitezone's QGIS plugin: a Processing provider (docs/qgis.md)."""


def classFactory(iface):  # noqa: N802 - the name QGIS looks for
    """QGIS's entry point: the plugin object (iface is None under qgis_process)."""
    from .plugin import WhitezonePlugin

    return WhitezonePlugin(iface)
