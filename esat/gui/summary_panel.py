"""The summary panel: rated n of m, the live score, sections, baseline, what is missing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QListWidgetItem, QWidget

from ..records import Assessment, SignOff
from ..scoring import Score
from ..summary import percent_text
from .forms.ui_summary_panel import Ui_SummaryPanel


class SummaryPanel(QWidget):
    go_to = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_SummaryPanel()
        self.ui.setupUi(self)
        heading = QFont(self.font())
        heading.setPointSizeF(heading.pointSizeF() * 1.3)
        heading.setBold(True)
        self.ui.headingLabel.setFont(heading)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.2)
        big.setBold(True)
        self.ui.scoreLabel.setFont(big)
        self.ui.missingList.itemActivated.connect(lambda item: self.go_to.emit(item.data(Qt.UserRole)))

    def show_score(self, assessment: Assessment, score: Score, signoffs: list[SignOff]) -> None:
        framework = score.framework
        overall = score.overall
        rated = overall.required - overall.unrated
        if assessment.signed_off:
            last = signoffs[-1] if signoffs else None
            who = f" by {last.name}, {last.role}, on {last.signed_on}" if last else ""
            status = f"Revision {assessment.revision}: signed off{who}. Read-only."
        else:
            status = f"Revision {assessment.revision}: draft."
        self.ui.statusLabel.setText(status)
        self.ui.ratedLabel.setText(f"Rated {rated} of {overall.required} required "
                                   f"{framework.label('items').lower()}")
        self.ui.scoreLabel.setText(f"Score: {percent_text(overall.percent)} "
                                   f"({overall.met} of {overall.required} satisfactory)")
        if score.level_attained is not None:
            stage = score.level_attained_stage
            baseline = (f"Level attained: {score.level_attained} ({stage.title})" if stage
                        else "Level attained: none yet (level 1 needs every criterion achieved)")
        else:
            threshold = percent_text(round(framework.threshold * 100)) if framework.threshold is not None else "n/a"
            baseline = (f"Baseline: met (score at or above {threshold})" if score.meets_baseline
                        else f"Baseline: not met (needs {threshold})")
        self.ui.baselineLabel.setText(baseline)
        self.ui.basisLabel.setText(f"Ratings used: {score.basis}.")
        lines = [f"{section.title}: {percent_text(tally.percent)} ({tally.met} of {tally.required})"
                 for section, tally in score.sections]
        if score.level_attained is not None:
            lines += [f"{section.title}: level {level}" for section, level in score.area_levels]
        self.ui.sectionsLabel.setText("\n".join(lines))
        self.ui.missingList.clear()
        missing = score.missing()
        for result in missing:
            row = QListWidgetItem(f"{result.item.code}  {result.item.theme or result.item.text[:40]}")
            row.setData(Qt.UserRole, result.item.code)
            self.ui.missingList.addItem(row)
        self.ui.missingLabel.setText(f"Still &missing a rating ({len(missing)})" if missing
                                     else "Nothing is missing a rating.")
