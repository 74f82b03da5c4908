"""The new-assessment wizard: framework and phase or level, then unit and people."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget, QWizard, QWizardPage

from ..catalog import Catalog
from ..errors import ValidationError
from ..framework import Framework
from ..store import check_new_assessment
from .dialogs import current_financial_year
from .forms.ui_wizard_framework_page import Ui_WizardFrameworkPage
from .forms.ui_wizard_unit_page import Ui_WizardUnitPage

AREAS = ("North", "North East", "North West", "South East", "South West", "Westminster",
         "Specialist Crime Directorate", "Specialist Operations", "Territorial Policing",
         "Directorate of Professional Standards")


class FrameworkPage(QWizardPage):
    def __init__(self, catalog: Catalog):
        super().__init__()
        self.ui = Ui_WizardFrameworkPage()
        self.ui.setupUi(self)
        self.frameworks = [f for f in catalog.all()]
        for framework in self.frameworks:
            self.ui.frameworkCombo.addItem(f"{framework.title} ({framework.abbreviation} "
                                           f"{framework.version})", framework.key)
        self.ui.frameworkCombo.currentIndexChanged.connect(self._framework_changed)
        default = next((i for i, f in enumerate(self.frameworks) if f.id == "esps"), 0)
        self.ui.frameworkCombo.setCurrentIndex(default)
        self._framework_changed()

    def framework(self) -> Framework:
        return self.frameworks[self.ui.frameworkCombo.currentIndex()]

    def stage(self) -> str | None:
        return self.ui.stageCombo.currentData()

    def _framework_changed(self) -> None:
        framework = self.framework()
        self.ui.stageCombo.clear()
        if framework.scope == "all_stages":
            self.ui.stageLabel.setText(f"&{framework.label('stages')}:")
            self.ui.stageCombo.addItem(f"All {len(framework.stages)} "
                                       f"{framework.label('stages').lower()} (attainment is cumulative)", None)
        else:
            self.ui.stageLabel.setText(f"&{framework.label('stage')}:")
            for stage in framework.stages:
                count = sum(1 for i in framework.items if i.stage == stage.id)
                self.ui.stageCombo.addItem(f"{stage.title}: {stage.focus} ({count} "
                                           f"{framework.label('items').lower()})", stage.id)
        wordings = sorted({item.wording for item in framework.items})
        notes = []
        if "derived" in wordings:
            notes.append("Some wording is derived by ESAT (marked on screen) until the official "
                         "text is loaded.")
        if "summary" in wordings:
            notes.append("Criteria are ESAT's summaries of the official checklist (marked on screen).")
        self.ui.descriptionLabel.setText(" ".join([framework.source, *notes]).strip())


class UnitPage(QWizardPage):
    def __init__(self, framework_page: FrameworkPage):
        super().__init__()
        self.ui = Ui_WizardUnitPage()
        self.ui.setupUi(self)
        self.framework_page = framework_page
        self.ui.areaCombo.addItems(AREAS)
        self.ui.areaCombo.setCurrentText("")
        self.ui.periodEdit.setText(current_financial_year())
        for edit in (self.ui.unitCodeEdit, self.ui.unitNameEdit, self.ui.periodEdit):
            edit.textChanged.connect(self.completeChanged)

    def initializePage(self) -> None:
        framework = self.framework_page.framework()
        self.ui.unitTypeCombo.clear()
        for unit_type in framework.unit_types:
            self.ui.unitTypeCombo.addItem(unit_type.label, unit_type.id)

    def problem(self) -> str:
        """What stops the assessment being created, in the core's words; empty when none."""
        values = self.values()
        try:
            check_new_assessment(self.framework_page.framework(), stage=self.framework_page.stage(),
                                 unit_code=values["unit_code"], unit_name=values["unit_name"],
                                 unit_type=values["unit_type"] or "", period=values["period"])
        except ValidationError as exc:
            return f"{str(exc)[0].upper()}{str(exc)[1:]}."
        return ""

    def isComplete(self) -> bool:
        problem = self.problem()
        typed = any(e.text() for e in (self.ui.unitCodeEdit, self.ui.unitNameEdit))
        self.ui.problemLabel.setText(f"To continue: {problem}" if problem and typed else "")
        return not problem

    def values(self) -> dict:
        return {
            "unit_code": self.ui.unitCodeEdit.text().strip().upper(),
            "unit_name": self.ui.unitNameEdit.text().strip(),
            "unit_type": self.ui.unitTypeCombo.currentData(),
            "area": self.ui.areaCombo.currentText().strip(),
            "period": self.ui.periodEdit.text().strip(),
            "equality_lead": self.ui.equalityLeadEdit.text().strip(),
            "smt_lead": self.ui.smtLeadEdit.text().strip(),
        }


class NewAssessmentWizard(QWizard):
    def __init__(self, catalog: Catalog, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New assessment")
        self.setAccessibleName("New assessment")
        self.setWizardStyle(QWizard.ClassicStyle)
        self.framework_page = FrameworkPage(catalog)
        self.unit_page = UnitPage(self.framework_page)
        self.addPage(self.framework_page)
        self.addPage(self.unit_page)
        for which, name in ((QWizard.BackButton, "Back"), (QWizard.NextButton, "Next"),
                            (QWizard.FinishButton, "Create…"), (QWizard.CancelButton, "Cancel"),
                            (QWizard.HelpButton, "Help"), (QWizard.CommitButton, "Commit")):
            button = self.button(which)
            button.setAccessibleName(name.rstrip("…"))
        self.setButtonText(QWizard.FinishButton, "&Create…")

    def values(self) -> dict:
        return {"framework": self.framework_page.framework(), "stage": self.framework_page.stage(),
                **self.unit_page.values()}
