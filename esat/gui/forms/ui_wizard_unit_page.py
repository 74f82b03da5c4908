# Compiled from ui/wizard_unit_page.ui sha256=785e4f6103daf1161126a2c55bf63fce1aecd7f6f4e09428d6eeaca2a8fac4e9; edit the .ui and run `make forms`.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'wizard_unit_page.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QComboBox, QFormLayout, QLabel, QLineEdit)

class Ui_WizardUnitPage(object):
    def setupUi(self, WizardUnitPage):
        if not WizardUnitPage.objectName():
            WizardUnitPage.setObjectName(u"WizardUnitPage")
        self.formLayout = QFormLayout(WizardUnitPage)
        self.formLayout.setObjectName(u"formLayout")
        self.unitCodeLabel = QLabel(WizardUnitPage)
        self.unitCodeLabel.setObjectName(u"unitCodeLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.unitCodeLabel)

        self.unitCodeEdit = QLineEdit(WizardUnitPage)
        self.unitCodeEdit.setObjectName(u"unitCodeEdit")
        self.unitCodeEdit.setMaxLength(12)

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.unitCodeEdit)

        self.unitNameLabel = QLabel(WizardUnitPage)
        self.unitNameLabel.setObjectName(u"unitNameLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.unitNameLabel)

        self.unitNameEdit = QLineEdit(WizardUnitPage)
        self.unitNameEdit.setObjectName(u"unitNameEdit")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.unitNameEdit)

        self.unitTypeLabel = QLabel(WizardUnitPage)
        self.unitTypeLabel.setObjectName(u"unitTypeLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.unitTypeLabel)

        self.unitTypeCombo = QComboBox(WizardUnitPage)
        self.unitTypeCombo.setObjectName(u"unitTypeCombo")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.unitTypeCombo)

        self.areaLabel = QLabel(WizardUnitPage)
        self.areaLabel.setObjectName(u"areaLabel")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.areaLabel)

        self.areaCombo = QComboBox(WizardUnitPage)
        self.areaCombo.setObjectName(u"areaCombo")
        self.areaCombo.setEditable(True)

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.areaCombo)

        self.periodLabel = QLabel(WizardUnitPage)
        self.periodLabel.setObjectName(u"periodLabel")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.periodLabel)

        self.periodEdit = QLineEdit(WizardUnitPage)
        self.periodEdit.setObjectName(u"periodEdit")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.periodEdit)

        self.equalityLeadLabel = QLabel(WizardUnitPage)
        self.equalityLeadLabel.setObjectName(u"equalityLeadLabel")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.equalityLeadLabel)

        self.equalityLeadEdit = QLineEdit(WizardUnitPage)
        self.equalityLeadEdit.setObjectName(u"equalityLeadEdit")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.equalityLeadEdit)

        self.smtLeadLabel = QLabel(WizardUnitPage)
        self.smtLeadLabel.setObjectName(u"smtLeadLabel")

        self.formLayout.setWidget(6, QFormLayout.ItemRole.LabelRole, self.smtLeadLabel)

        self.smtLeadEdit = QLineEdit(WizardUnitPage)
        self.smtLeadEdit.setObjectName(u"smtLeadEdit")

        self.formLayout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.smtLeadEdit)

        self.problemLabel = QLabel(WizardUnitPage)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setTextFormat(Qt.PlainText)

        self.formLayout.setWidget(7, QFormLayout.ItemRole.SpanningRole, self.problemLabel)

#if QT_CONFIG(shortcut)
        self.unitCodeLabel.setBuddy(self.unitCodeEdit)
        self.unitNameLabel.setBuddy(self.unitNameEdit)
        self.unitTypeLabel.setBuddy(self.unitTypeCombo)
        self.areaLabel.setBuddy(self.areaCombo)
        self.periodLabel.setBuddy(self.periodEdit)
        self.equalityLeadLabel.setBuddy(self.equalityLeadEdit)
        self.smtLeadLabel.setBuddy(self.smtLeadEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(WizardUnitPage)

        QMetaObject.connectSlotsByName(WizardUnitPage)
    # setupUi

    def retranslateUi(self, WizardUnitPage):
        WizardUnitPage.setTitle(QCoreApplication.translate("WizardUnitPage", u"Unit and people", None))
        WizardUnitPage.setSubTitle(QCoreApplication.translate("WizardUnitPage", u"Who is being assessed, for which year, and who is responsible.", None))
        self.unitCodeLabel.setText(QCoreApplication.translate("WizardUnitPage", u"Unit c&ode:", None))
#if QT_CONFIG(accessibility)
        self.unitCodeEdit.setAccessibleName(QCoreApplication.translate("WizardUnitPage", u"Unit code", None))
#endif // QT_CONFIG(accessibility)
        self.unitCodeEdit.setPlaceholderText(QCoreApplication.translate("WizardUnitPage", u"e.g. LX or SCD7", None))
        self.unitNameLabel.setText(QCoreApplication.translate("WizardUnitPage", u"Unit &name:", None))
#if QT_CONFIG(accessibility)
        self.unitNameEdit.setAccessibleName(QCoreApplication.translate("WizardUnitPage", u"Unit name", None))
#endif // QT_CONFIG(accessibility)
        self.unitNameEdit.setPlaceholderText(QCoreApplication.translate("WizardUnitPage", u"e.g. Lambeth", None))
        self.unitTypeLabel.setText(QCoreApplication.translate("WizardUnitPage", u"Unit &type:", None))
#if QT_CONFIG(accessibility)
        self.unitTypeCombo.setAccessibleName(QCoreApplication.translate("WizardUnitPage", u"Unit type", None))
#endif // QT_CONFIG(accessibility)
        self.areaLabel.setText(QCoreApplication.translate("WizardUnitPage", u"&Area or directorate:", None))
#if QT_CONFIG(accessibility)
        self.areaCombo.setAccessibleName(QCoreApplication.translate("WizardUnitPage", u"Area or directorate", None))
#endif // QT_CONFIG(accessibility)
        self.periodLabel.setText(QCoreApplication.translate("WizardUnitPage", u"&Period (financial year):", None))
#if QT_CONFIG(accessibility)
        self.periodEdit.setAccessibleName(QCoreApplication.translate("WizardUnitPage", u"Period, financial year", None))
#endif // QT_CONFIG(accessibility)
        self.periodEdit.setPlaceholderText(QCoreApplication.translate("WizardUnitPage", u"e.g. 2010/11", None))
        self.equalityLeadLabel.setText(QCoreApplication.translate("WizardUnitPage", u"&Equality lead:", None))
#if QT_CONFIG(accessibility)
        self.equalityLeadEdit.setAccessibleName(QCoreApplication.translate("WizardUnitPage", u"Equality lead", None))
#endif // QT_CONFIG(accessibility)
        self.smtLeadLabel.setText(QCoreApplication.translate("WizardUnitPage", u"&SMT lead:", None))
#if QT_CONFIG(accessibility)
        self.smtLeadEdit.setAccessibleName(QCoreApplication.translate("WizardUnitPage", u"SMT lead", None))
#endif // QT_CONFIG(accessibility)
        self.problemLabel.setText("")
    # retranslateUi

