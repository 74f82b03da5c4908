# Compiled from ui/summary_panel.ui sha256=235bb8bf14dc315db1d20d4475649f404329c1369779b3aad87f4e4472cd8a53; edit the .ui and run `make forms`.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'summary_panel.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QLabel, QListWidget, QVBoxLayout)

class Ui_SummaryPanel(object):
    def setupUi(self, SummaryPanel):
        if not SummaryPanel.objectName():
            SummaryPanel.setObjectName(u"SummaryPanel")
        SummaryPanel.resize(280, 520)
        self.summaryLayout = QVBoxLayout(SummaryPanel)
        self.summaryLayout.setObjectName(u"summaryLayout")
        self.headingLabel = QLabel(SummaryPanel)
        self.headingLabel.setObjectName(u"headingLabel")

        self.summaryLayout.addWidget(self.headingLabel)

        self.statusLabel = QLabel(SummaryPanel)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setWordWrap(True)

        self.summaryLayout.addWidget(self.statusLabel)

        self.ratedLabel = QLabel(SummaryPanel)
        self.ratedLabel.setObjectName(u"ratedLabel")
        self.ratedLabel.setWordWrap(True)

        self.summaryLayout.addWidget(self.ratedLabel)

        self.scoreLabel = QLabel(SummaryPanel)
        self.scoreLabel.setObjectName(u"scoreLabel")
        self.scoreLabel.setWordWrap(True)

        self.summaryLayout.addWidget(self.scoreLabel)

        self.baselineLabel = QLabel(SummaryPanel)
        self.baselineLabel.setObjectName(u"baselineLabel")
        self.baselineLabel.setWordWrap(True)

        self.summaryLayout.addWidget(self.baselineLabel)

        self.basisLabel = QLabel(SummaryPanel)
        self.basisLabel.setObjectName(u"basisLabel")
        self.basisLabel.setWordWrap(True)

        self.summaryLayout.addWidget(self.basisLabel)

        self.sectionsLabel = QLabel(SummaryPanel)
        self.sectionsLabel.setObjectName(u"sectionsLabel")
        self.sectionsLabel.setWordWrap(True)
        self.sectionsLabel.setTextFormat(Qt.PlainText)

        self.summaryLayout.addWidget(self.sectionsLabel)

        self.missingLabel = QLabel(SummaryPanel)
        self.missingLabel.setObjectName(u"missingLabel")

        self.summaryLayout.addWidget(self.missingLabel)

        self.missingList = QListWidget(SummaryPanel)
        self.missingList.setObjectName(u"missingList")
        self.missingList.setWordWrap(True)
        self.missingList.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)

        self.summaryLayout.addWidget(self.missingList)

#if QT_CONFIG(shortcut)
        self.missingLabel.setBuddy(self.missingList)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(SummaryPanel)

        QMetaObject.connectSlotsByName(SummaryPanel)
    # setupUi

    def retranslateUi(self, SummaryPanel):
#if QT_CONFIG(accessibility)
        SummaryPanel.setAccessibleName(QCoreApplication.translate("SummaryPanel", u"Summary", None))
#endif // QT_CONFIG(accessibility)
        self.headingLabel.setText(QCoreApplication.translate("SummaryPanel", u"Summary", None))
        self.statusLabel.setText(QCoreApplication.translate("SummaryPanel", u"Draft", None))
        self.ratedLabel.setText(QCoreApplication.translate("SummaryPanel", u"Rated 0 of 0", None))
        self.scoreLabel.setText(QCoreApplication.translate("SummaryPanel", u"Score: n/a", None))
        self.baselineLabel.setText("")
        self.basisLabel.setText("")
        self.sectionsLabel.setText("")
        self.missingLabel.setText(QCoreApplication.translate("SummaryPanel", u"Still &missing", None))
#if QT_CONFIG(accessibility)
        self.missingList.setAccessibleName(QCoreApplication.translate("SummaryPanel", u"Indicators still missing a rating", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.missingList.setAccessibleDescription(QCoreApplication.translate("SummaryPanel", u"Press Enter to go to the selected indicator", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

