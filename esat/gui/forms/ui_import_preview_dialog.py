# Compiled from ui/import_preview_dialog.ui sha256=758e47c7777f2bb6165fdec498978c625bec3c9f546cde03a1eb9f7d7c5418ae; edit the .ui and run `make forms`.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'import_preview_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QCheckBox, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout)

class Ui_ImportPreviewDialog(object):
    def setupUi(self, ImportPreviewDialog):
        if not ImportPreviewDialog.objectName():
            ImportPreviewDialog.setObjectName(u"ImportPreviewDialog")
        ImportPreviewDialog.resize(720, 520)
        self.layout = QVBoxLayout(ImportPreviewDialog)
        self.layout.setObjectName(u"layout")
        self.sourceLabel = QLabel(ImportPreviewDialog)
        self.sourceLabel.setObjectName(u"sourceLabel")
        self.sourceLabel.setWordWrap(True)
        self.sourceLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.layout.addWidget(self.sourceLabel)

        self.countsLabel = QLabel(ImportPreviewDialog)
        self.countsLabel.setObjectName(u"countsLabel")
        self.countsLabel.setWordWrap(True)

        self.layout.addWidget(self.countsLabel)

        self.changesLabel = QLabel(ImportPreviewDialog)
        self.changesLabel.setObjectName(u"changesLabel")

        self.layout.addWidget(self.changesLabel)

        self.changesList = QListWidget(ImportPreviewDialog)
        self.changesList.setObjectName(u"changesList")

        self.layout.addWidget(self.changesList)

        self.blankClearsCheck = QCheckBox(ImportPreviewDialog)
        self.blankClearsCheck.setObjectName(u"blankClearsCheck")

        self.layout.addWidget(self.blankClearsCheck)

        self.problemsLabel = QLabel(ImportPreviewDialog)
        self.problemsLabel.setObjectName(u"problemsLabel")
        self.problemsLabel.setWordWrap(True)
        self.problemsLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.layout.addWidget(self.problemsLabel)

        self.buttonBox = QDialogButtonBox(ImportPreviewDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.layout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.changesLabel.setBuddy(self.changesList)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ImportPreviewDialog)

        QMetaObject.connectSlotsByName(ImportPreviewDialog)
    # setupUi

    def retranslateUi(self, ImportPreviewDialog):
        ImportPreviewDialog.setWindowTitle(QCoreApplication.translate("ImportPreviewDialog", u"Import from Excel", None))
#if QT_CONFIG(accessibility)
        ImportPreviewDialog.setAccessibleName(QCoreApplication.translate("ImportPreviewDialog", u"Import from Excel: what will change", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.countsLabel.setAccessibleName(QCoreApplication.translate("ImportPreviewDialog", u"How many changes", None))
#endif // QT_CONFIG(accessibility)
        self.changesLabel.setText(QCoreApplication.translate("ImportPreviewDialog", u"&Every change, old \u2192 new:", None))
#if QT_CONFIG(accessibility)
        self.changesList.setAccessibleName(QCoreApplication.translate("ImportPreviewDialog", u"Every change the import makes, old to new", None))
#endif // QT_CONFIG(accessibility)
        self.blankClearsCheck.setText(QCoreApplication.translate("ImportPreviewDialog", u"&Blank cells clear what is in the file", None))
#if QT_CONFIG(accessibility)
        self.blankClearsCheck.setAccessibleName(QCoreApplication.translate("ImportPreviewDialog", u"Blank cells clear what is in the file", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.blankClearsCheck.setToolTip(QCoreApplication.translate("ImportPreviewDialog", u"Off: a blank cell leaves the file's rating, narrative, exemption request or strands as they are. On: a blank cell clears them.", None))
#endif // QT_CONFIG(tooltip)
    # retranslateUi

