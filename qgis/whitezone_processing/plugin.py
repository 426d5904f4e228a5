"""The plugin object QGIS loads: it registers the whitezone provider. QGIS desktop calls
initGui(); qgis_process calls initProcessing() only (metadata.txt: hasProcessingProvider)."""

from qgis.core import QgsApplication

from .provider import WhitezoneProvider


class WhitezonePlugin:
    """Adds the "whitezone" provider to the Processing registry while the plugin is loaded."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 - QGIS's name
        if self.provider is None:
            self.provider = WhitezoneProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 - QGIS's name
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
