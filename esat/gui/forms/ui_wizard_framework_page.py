# Compiled from ui/wizard_framework_page.ui sha256=6f83ffb6fab61b42dd57e2e2c930a019f2c209990e8470231af74c655aaf166a; edit the .ui and run `make forms`.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'wizard_framework_page.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QComboBox, QFormLayout, QLabel)

class Ui_WizardFrameworkPage(object):
    def setupUi(self, WizardFrameworkPage):
        if not WizardFrameworkPage.objectName():
            WizardFrameworkPage.setObjectName(u"WizardFrameworkPage")
        self.formLayout = QFormLayout(WizardFrameworkPage)
        self.formLayout.setObjectName(u"formLayout")
        self.frameworkLabel = QLabel(WizardFrameworkPage)
        self.frameworkLabel.setObjectName(u"frameworkLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.frameworkLabel)

        self.frameworkCombo = QComboBox(WizardFrameworkPage)
        self.frameworkCombo.setObjectName(u"frameworkCombo")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.frameworkCombo)

        self.stageLabel = QLabel(WizardFrameworkPage)
        self.stageLabel.setObjectName(u"stageLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.stageLabel)

        self.stageCombo = QComboBox(WizardFrameworkPage)
        self.stageCombo.setObjectName(u"stageCombo")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.stageCombo)

        self.descriptionLabel = QLabel(WizardFrameworkPage)
        self.descriptionLabel.setObjectName(u"descriptionLabel")
        self.descriptionLabel.setWordWrap(True)
        self.descriptionLabel.setTextFormat(Qt.PlainText)

        self.formLayout.setWidget(2, QFormLayout.ItemRole.SpanningRole, self.descriptionLabel)

#if QT_CONFIG(shortcut)
        self.frameworkLabel.setBuddy(self.frameworkCombo)
        self.stageLabel.setBuddy(self.stageCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(WizardFrameworkPage)

        QMetaObject.connectSlotsByName(WizardFrameworkPage)
    # setupUi

    def retranslateUi(self, WizardFrameworkPage):
        WizardFrameworkPage.setTitle(QCoreApplication.translate("WizardFrameworkPage", u"Framework", None))
        WizardFrameworkPage.setSubTitle(QCoreApplication.translate("WizardFrameworkPage", u"Choose the standard and the phase or level the unit is assessing.", None))
        self.frameworkLabel.setText(QCoreApplication.translate("WizardFrameworkPage", u"&Framework:", None))
#if QT_CONFIG(accessibility)
        self.frameworkCombo.setAccessibleName(QCoreApplication.translate("WizardFrameworkPage", u"Framework", None))
#endif // QT_CONFIG(accessibility)
        self.stageLabel.setText(QCoreApplication.translate("WizardFrameworkPage", u"&Phase:", None))
#if QT_CONFIG(accessibility)
        self.stageCombo.setAccessibleName(QCoreApplication.translate("WizardFrameworkPage", u"Phase or level", None))
#endif // QT_CONFIG(accessibility)
        self.descriptionLabel.setText("")
    # retranslateUi

