"""The "whitezone" Processing provider: its algorithms and its two settings (Processing ▸
Options ▸ Providers ▸ whitezone): where the whitezone program and the Python module are."""

from qgis.core import QgsProcessingProvider

from . import engine
from .algorithms import (
    AnalyzeAlgorithm,
    CompareAlgorithm,
    PlanAlgorithm,
    ReportAlgorithm,
    TrendAlgorithm,
)

try:  # the Processing plugin's settings (absent only when Processing itself is not loaded)
    from processing.core.ProcessingConfig import ProcessingConfig, Setting
except ImportError:  # pragma: no cover - depends on the QGIS installation
    ProcessingConfig = None


class WhitezoneProvider(QgsProcessingProvider):
    """Provider id "whitezone": whitezone:analyze, :plan, :trend, :compare, :report."""

    def id(self):
        return "whitezone"

    def name(self):
        return "whitezone"

    def longName(self):  # noqa: N802 - QGIS's name
        return "whitezone (white, partial and covered villages)"

    def load(self):
        if ProcessingConfig is not None:
            ProcessingConfig.settingIcons[self.name()] = self.icon()
            ProcessingConfig.addSetting(Setting(
                self.name(), engine.SETTING_CLI,
                "whitezone program (empty: WHITEZONE_CLI, else 'whitezone' on PATH)", "",
                valuetype=Setting.FILE))
            ProcessingConfig.addSetting(Setting(
                self.name(), engine.SETTING_PYTHONPATH,
                "Folder holding the whitezone Python package (empty: WHITEZONE_PYTHONPATH, "
                "else where python3 finds it)", "",
                valuetype=Setting.FOLDER))
            ProcessingConfig.readSettings()
        self.refreshAlgorithms()
        return True

    def unload(self):
        if ProcessingConfig is not None:
            ProcessingConfig.removeSetting(engine.SETTING_CLI)
            ProcessingConfig.removeSetting(engine.SETTING_PYTHONPATH)

    def loadAlgorithms(self):  # noqa: N802 - QGIS's name
        for algorithm in (AnalyzeAlgorithm(), PlanAlgorithm(), TrendAlgorithm(),
                          CompareAlgorithm(), ReportAlgorithm()):
            self.addAlgorithm(algorithm)
