# Compiled from ui/indicator_page.ui sha256=411a0541fe3737b47833d08fb5783eb78a6a8c2990be39057586501274dd515e; edit the .ui and run `make forms`.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'indicator_page.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, QSize, Qt)
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTableWidget, QVBoxLayout, QWidget)

from esat.gui.file_drop_list import FileDropList

class Ui_IndicatorPage(object):
    def setupUi(self, IndicatorPage):
        if not IndicatorPage.objectName():
            IndicatorPage.setObjectName(u"IndicatorPage")
        IndicatorPage.resize(640, 900)
        self.pageLayout = QVBoxLayout(IndicatorPage)
        self.pageLayout.setSpacing(10)
        self.pageLayout.setObjectName(u"pageLayout")
        self.codeLabel = QLabel(IndicatorPage)
        self.codeLabel.setObjectName(u"codeLabel")
        self.codeLabel.setWordWrap(True)
        self.codeLabel.setTextFormat(Qt.PlainText)

        self.pageLayout.addWidget(self.codeLabel)

        self.contextLabel = QLabel(IndicatorPage)
        self.contextLabel.setObjectName(u"contextLabel")
        self.contextLabel.setWordWrap(True)
        self.contextLabel.setTextFormat(Qt.PlainText)

        self.pageLayout.addWidget(self.contextLabel)

        self.wordingLabel = QLabel(IndicatorPage)
        self.wordingLabel.setObjectName(u"wordingLabel")
        self.wordingLabel.setWordWrap(True)
        self.wordingLabel.setTextFormat(Qt.PlainText)
        self.wordingLabel.setTextInteractionFlags(Qt.TextSelectableByMouse|Qt.TextSelectableByKeyboard)

        self.pageLayout.addWidget(self.wordingLabel)

        self.wordingNoteLabel = QLabel(IndicatorPage)
        self.wordingNoteLabel.setObjectName(u"wordingNoteLabel")
        self.wordingNoteLabel.setWordWrap(True)
        self.wordingNoteLabel.setTextFormat(Qt.PlainText)

        self.pageLayout.addWidget(self.wordingNoteLabel)

        self.lockedLabel = QLabel(IndicatorPage)
        self.lockedLabel.setObjectName(u"lockedLabel")
        self.lockedLabel.setWordWrap(True)
        self.lockedLabel.setTextFormat(Qt.PlainText)

        self.pageLayout.addWidget(self.lockedLabel)

        self.ratingGroup = QGroupBox(IndicatorPage)
        self.ratingGroup.setObjectName(u"ratingGroup")
        self.ratingOuterLayout = QVBoxLayout(self.ratingGroup)
        self.ratingOuterLayout.setObjectName(u"ratingOuterLayout")
        self.ratingLayout = QVBoxLayout()
        self.ratingLayout.setObjectName(u"ratingLayout")

        self.ratingOuterLayout.addLayout(self.ratingLayout)

        self.ratingMeaningLabel = QLabel(self.ratingGroup)
        self.ratingMeaningLabel.setObjectName(u"ratingMeaningLabel")
        self.ratingMeaningLabel.setWordWrap(True)
        self.ratingMeaningLabel.setTextFormat(Qt.PlainText)

        self.ratingOuterLayout.addWidget(self.ratingMeaningLabel)

        self.assessorLabel = QLabel(self.ratingGroup)
        self.assessorLabel.setObjectName(u"assessorLabel")
        self.assessorLabel.setWordWrap(True)

        self.ratingOuterLayout.addWidget(self.assessorLabel)


        self.pageLayout.addWidget(self.ratingGroup)

        self.exemptionGroup = QGroupBox(IndicatorPage)
        self.exemptionGroup.setObjectName(u"exemptionGroup")
        self.exemptionLayout = QGridLayout(self.exemptionGroup)
        self.exemptionLayout.setObjectName(u"exemptionLayout")
        self.exemptCheck = QCheckBox(self.exemptionGroup)
        self.exemptCheck.setObjectName(u"exemptCheck")

        self.exemptionLayout.addWidget(self.exemptCheck, 0, 0, 1, 2)

        self.reasonLabel = QLabel(self.exemptionGroup)
        self.reasonLabel.setObjectName(u"reasonLabel")

        self.exemptionLayout.addWidget(self.reasonLabel, 1, 0, 1, 1)

        self.reasonEdit = QLineEdit(self.exemptionGroup)
        self.reasonEdit.setObjectName(u"reasonEdit")

        self.exemptionLayout.addWidget(self.reasonEdit, 1, 1, 1, 1)

        self.exemptionStatusLabel = QLabel(self.exemptionGroup)
        self.exemptionStatusLabel.setObjectName(u"exemptionStatusLabel")
        self.exemptionStatusLabel.setWordWrap(True)
        self.exemptionStatusLabel.setTextFormat(Qt.PlainText)

        self.exemptionLayout.addWidget(self.exemptionStatusLabel, 2, 0, 1, 2)


        self.pageLayout.addWidget(self.exemptionGroup)

        self.narrativeLabel = QLabel(IndicatorPage)
        self.narrativeLabel.setObjectName(u"narrativeLabel")

        self.pageLayout.addWidget(self.narrativeLabel)

        self.narrativeEdit = QPlainTextEdit(IndicatorPage)
        self.narrativeEdit.setObjectName(u"narrativeEdit")
        self.narrativeEdit.setTabChangesFocus(True)
        self.narrativeEdit.setMinimumSize(QSize(0, 140))

        self.pageLayout.addWidget(self.narrativeEdit)

        self.strandsGroup = QGroupBox(IndicatorPage)
        self.strandsGroup.setObjectName(u"strandsGroup")
        self.strandsLayout = QGridLayout(self.strandsGroup)
        self.strandsLayout.setObjectName(u"strandsLayout")

        self.pageLayout.addWidget(self.strandsGroup)

        self.evidenceGroup = QGroupBox(IndicatorPage)
        self.evidenceGroup.setObjectName(u"evidenceGroup")
        self.evidenceLayout = QVBoxLayout(self.evidenceGroup)
        self.evidenceLayout.setObjectName(u"evidenceLayout")
        self.evidenceList = FileDropList(self.evidenceGroup)
        self.evidenceList.setObjectName(u"evidenceList")
        self.evidenceList.setMinimumSize(QSize(0, 90))
        self.evidenceList.setAcceptDrops(True)

        self.evidenceLayout.addWidget(self.evidenceList)

        self.evidenceButtons = QHBoxLayout()
        self.evidenceButtons.setObjectName(u"evidenceButtons")
        self.attachButton = QPushButton(self.evidenceGroup)
        self.attachButton.setObjectName(u"attachButton")

        self.evidenceButtons.addWidget(self.attachButton)

        self.linkButton = QPushButton(self.evidenceGroup)
        self.linkButton.setObjectName(u"linkButton")

        self.evidenceButtons.addWidget(self.linkButton)

        self.noteButton = QPushButton(self.evidenceGroup)
        self.noteButton.setObjectName(u"noteButton")

        self.evidenceButtons.addWidget(self.noteButton)

        self.openEvidenceButton = QPushButton(self.evidenceGroup)
        self.openEvidenceButton.setObjectName(u"openEvidenceButton")

        self.evidenceButtons.addWidget(self.openEvidenceButton)

        self.removeEvidenceButton = QPushButton(self.evidenceGroup)
        self.removeEvidenceButton.setObjectName(u"removeEvidenceButton")

        self.evidenceButtons.addWidget(self.removeEvidenceButton)


        self.evidenceLayout.addLayout(self.evidenceButtons)


        self.pageLayout.addWidget(self.evidenceGroup)

        self.actionsGroup = QGroupBox(IndicatorPage)
        self.actionsGroup.setObjectName(u"actionsGroup")
        self.actionsLayout = QVBoxLayout(self.actionsGroup)
        self.actionsLayout.setObjectName(u"actionsLayout")
        self.actionsTable = QTableWidget(self.actionsGroup)
        self.actionsTable.setObjectName(u"actionsTable")
        self.actionsTable.setMinimumSize(QSize(0, 110))
        self.actionsTable.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.actionsTable.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.actionsTable.setSelectionMode(QAbstractItemView.SingleSelection)
        self.actionsTable.setTabKeyNavigation(False)

        self.actionsLayout.addWidget(self.actionsTable)

        self.actionButtons = QHBoxLayout()
        self.actionButtons.setObjectName(u"actionButtons")
        self.addActionButton = QPushButton(self.actionsGroup)
        self.addActionButton.setObjectName(u"addActionButton")

        self.actionButtons.addWidget(self.addActionButton)

        self.editActionButton = QPushButton(self.actionsGroup)
        self.editActionButton.setObjectName(u"editActionButton")

        self.actionButtons.addWidget(self.editActionButton)

        self.removeActionButton = QPushButton(self.actionsGroup)
        self.removeActionButton.setObjectName(u"removeActionButton")

        self.actionButtons.addWidget(self.removeActionButton)


        self.actionsLayout.addLayout(self.actionButtons)


        self.pageLayout.addWidget(self.actionsGroup)

#if QT_CONFIG(shortcut)
        self.reasonLabel.setBuddy(self.reasonEdit)
        self.narrativeLabel.setBuddy(self.narrativeEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.exemptCheck, self.reasonEdit)
        QWidget.setTabOrder(self.reasonEdit, self.narrativeEdit)
        QWidget.setTabOrder(self.narrativeEdit, self.evidenceList)
        QWidget.setTabOrder(self.evidenceList, self.attachButton)
        QWidget.setTabOrder(self.attachButton, self.linkButton)
        QWidget.setTabOrder(self.linkButton, self.noteButton)
        QWidget.setTabOrder(self.noteButton, self.openEvidenceButton)
        QWidget.setTabOrder(self.openEvidenceButton, self.removeEvidenceButton)
        QWidget.setTabOrder(self.removeEvidenceButton, self.actionsTable)
        QWidget.setTabOrder(self.actionsTable, self.addActionButton)
        QWidget.setTabOrder(self.addActionButton, self.editActionButton)
        QWidget.setTabOrder(self.editActionButton, self.removeActionButton)

        self.retranslateUi(IndicatorPage)

        QMetaObject.connectSlotsByName(IndicatorPage)
    # setupUi

    def retranslateUi(self, IndicatorPage):
#if QT_CONFIG(accessibility)
        IndicatorPage.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Indicator page", None))
#endif // QT_CONFIG(accessibility)
        self.codeLabel.setText(QCoreApplication.translate("IndicatorPage", u"1B", None))
        self.contextLabel.setText("")
        self.wordingLabel.setText("")
        self.wordingNoteLabel.setText("")
        self.lockedLabel.setText("")
        self.ratingGroup.setTitle(QCoreApplication.translate("IndicatorPage", u"Self-&rating", None))
#if QT_CONFIG(accessibility)
        self.ratingGroup.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Self-rating", None))
#endif // QT_CONFIG(accessibility)
        self.ratingMeaningLabel.setText("")
#if QT_CONFIG(accessibility)
        self.ratingMeaningLabel.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"What the rating means", None))
#endif // QT_CONFIG(accessibility)
        self.assessorLabel.setText("")
        self.exemptionGroup.setTitle(QCoreApplication.translate("IndicatorPage", u"Exemption", None))
#if QT_CONFIG(accessibility)
        self.exemptionGroup.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Exemption", None))
#endif // QT_CONFIG(accessibility)
        self.exemptCheck.setText(QCoreApplication.translate("IndicatorPage", u"Request e&xemption from this indicator", None))
#if QT_CONFIG(accessibility)
        self.exemptCheck.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Request exemption from this indicator", None))
#endif // QT_CONFIG(accessibility)
        self.reasonLabel.setText(QCoreApplication.translate("IndicatorPage", u"Reason (re&quired):", None))
#if QT_CONFIG(accessibility)
        self.reasonEdit.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Reason for the exemption", None))
#endif // QT_CONFIG(accessibility)
        self.reasonEdit.setPlaceholderText(QCoreApplication.translate("IndicatorPage", u"Why this indicator does not apply to the unit", None))
        self.exemptionStatusLabel.setText("")
        self.narrativeLabel.setText(QCoreApplication.translate("IndicatorPage", u"Evidence &narrative", None))
#if QT_CONFIG(accessibility)
        self.narrativeEdit.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Evidence narrative", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.narrativeEdit.setAccessibleDescription(QCoreApplication.translate("IndicatorPage", u"Describe the evidence for this indicator. Saved as you type.", None))
#endif // QT_CONFIG(accessibility)
        self.narrativeEdit.setPlaceholderText(QCoreApplication.translate("IndicatorPage", u"What the unit does, with dates, figures and where the evidence is kept.", None))
        self.strandsGroup.setTitle(QCoreApplication.translate("IndicatorPage", u"Equality strands served", None))
#if QT_CONFIG(accessibility)
        self.strandsGroup.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Equality strands served", None))
#endif // QT_CONFIG(accessibility)
        self.evidenceGroup.setTitle(QCoreApplication.translate("IndicatorPage", u"Evidence items", None))
#if QT_CONFIG(accessibility)
        self.evidenceGroup.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Evidence items", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.evidenceList.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Evidence items", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.evidenceList.setAccessibleDescription(QCoreApplication.translate("IndicatorPage", u"Files, links and notes. Drop files here to attach them. Enter opens the selected item.", None))
#endif // QT_CONFIG(accessibility)
        self.attachButton.setText(QCoreApplication.translate("IndicatorPage", u"&Attach file\u2026", None))
#if QT_CONFIG(accessibility)
        self.attachButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Attach a file", None))
#endif // QT_CONFIG(accessibility)
        self.linkButton.setText(QCoreApplication.translate("IndicatorPage", u"Add &link\u2026", None))
#if QT_CONFIG(accessibility)
        self.linkButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Add a link", None))
#endif // QT_CONFIG(accessibility)
        self.noteButton.setText(QCoreApplication.translate("IndicatorPage", u"Add n&ote\u2026", None))
#if QT_CONFIG(accessibility)
        self.noteButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Add a note", None))
#endif // QT_CONFIG(accessibility)
        self.openEvidenceButton.setText(QCoreApplication.translate("IndicatorPage", u"O&pen", None))
#if QT_CONFIG(accessibility)
        self.openEvidenceButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Open the selected evidence item", None))
#endif // QT_CONFIG(accessibility)
        self.removeEvidenceButton.setText(QCoreApplication.translate("IndicatorPage", u"Remove", None))
#if QT_CONFIG(accessibility)
        self.removeEvidenceButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Remove the selected evidence item", None))
#endif // QT_CONFIG(accessibility)
        self.actionsGroup.setTitle(QCoreApplication.translate("IndicatorPage", u"Improvement actions", None))
#if QT_CONFIG(accessibility)
        self.actionsGroup.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Improvement actions", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.actionsTable.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Improvement actions", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.actionsTable.setAccessibleDescription(QCoreApplication.translate("IndicatorPage", u"Enter edits the selected action", None))
#endif // QT_CONFIG(accessibility)
        self.addActionButton.setText(QCoreApplication.translate("IndicatorPage", u"Add a&ction\u2026", None))
#if QT_CONFIG(accessibility)
        self.addActionButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Add an improvement action", None))
#endif // QT_CONFIG(accessibility)
        self.editActionButton.setText(QCoreApplication.translate("IndicatorPage", u"Edi&t action\u2026", None))
#if QT_CONFIG(accessibility)
        self.editActionButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Edit the selected improvement action", None))
#endif // QT_CONFIG(accessibility)
        self.removeActionButton.setText(QCoreApplication.translate("IndicatorPage", u"Remove action", None))
#if QT_CONFIG(accessibility)
        self.removeActionButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"Remove the selected improvement action", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

