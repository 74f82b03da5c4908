# Compiled from ui/start_page.ui sha256=edf2c808940ee935d6b59ff206a1eeb35b6c6e040de01c95cb378469ad8f6527; edit the .ui and run `make forms`.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'start_page.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

class Ui_StartPage(object):
    def setupUi(self, StartPage):
        if not StartPage.objectName():
            StartPage.setObjectName(u"StartPage")
        StartPage.resize(720, 520)
        self.outerLayout = QVBoxLayout(StartPage)
        self.outerLayout.setSpacing(16)
        self.outerLayout.setObjectName(u"outerLayout")
        self.outerLayout.setContentsMargins(32, 32, 32, 32)
        self.titleLabel = QLabel(StartPage)
        self.titleLabel.setObjectName(u"titleLabel")

        self.outerLayout.addWidget(self.titleLabel)

        self.subtitleLabel = QLabel(StartPage)
        self.subtitleLabel.setObjectName(u"subtitleLabel")
        self.subtitleLabel.setWordWrap(True)

        self.outerLayout.addWidget(self.subtitleLabel)

        self.buttonsLayout = QHBoxLayout()
        self.buttonsLayout.setObjectName(u"buttonsLayout")
        self.newButton = QPushButton(StartPage)
        self.newButton.setObjectName(u"newButton")

        self.buttonsLayout.addWidget(self.newButton)

        self.openButton = QPushButton(StartPage)
        self.openButton.setObjectName(u"openButton")

        self.buttonsLayout.addWidget(self.openButton)

        self.demoButton = QPushButton(StartPage)
        self.demoButton.setObjectName(u"demoButton")

        self.buttonsLayout.addWidget(self.demoButton)

        self.buttonsSpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonsLayout.addItem(self.buttonsSpacer)


        self.outerLayout.addLayout(self.buttonsLayout)

        self.recentLabel = QLabel(StartPage)
        self.recentLabel.setObjectName(u"recentLabel")

        self.outerLayout.addWidget(self.recentLabel)

        self.recentList = QListWidget(StartPage)
        self.recentList.setObjectName(u"recentList")

        self.outerLayout.addWidget(self.recentList)

        self.hintLabel = QLabel(StartPage)
        self.hintLabel.setObjectName(u"hintLabel")
        self.hintLabel.setWordWrap(True)

        self.outerLayout.addWidget(self.hintLabel)

#if QT_CONFIG(shortcut)
        self.recentLabel.setBuddy(self.recentList)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.newButton, self.openButton)
        QWidget.setTabOrder(self.openButton, self.demoButton)
        QWidget.setTabOrder(self.demoButton, self.recentList)

        self.retranslateUi(StartPage)

        QMetaObject.connectSlotsByName(StartPage)
    # setupUi

    def retranslateUi(self, StartPage):
#if QT_CONFIG(accessibility)
        StartPage.setAccessibleName(QCoreApplication.translate("StartPage", u"Start screen", None))
#endif // QT_CONFIG(accessibility)
        self.titleLabel.setText(QCoreApplication.translate("StartPage", u"ESAT", None))
#if QT_CONFIG(accessibility)
        self.titleLabel.setAccessibleName(QCoreApplication.translate("StartPage", u"ESAT", None))
#endif // QT_CONFIG(accessibility)
        self.subtitleLabel.setText(QCoreApplication.translate("StartPage", u"Equality Self-Assessment Tool: work through an equality standard indicator by indicator, offline. Every change is saved as you make it.", None))
        self.newButton.setText(QCoreApplication.translate("StartPage", u"&New assessment\u2026", None))
#if QT_CONFIG(accessibility)
        self.newButton.setAccessibleName(QCoreApplication.translate("StartPage", u"New assessment", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.newButton.setAccessibleDescription(QCoreApplication.translate("StartPage", u"Create a new assessment file for a unit", None))
#endif // QT_CONFIG(accessibility)
        self.openButton.setText(QCoreApplication.translate("StartPage", u"&Open file\u2026", None))
#if QT_CONFIG(accessibility)
        self.openButton.setAccessibleName(QCoreApplication.translate("StartPage", u"Open file", None))
#endif // QT_CONFIG(accessibility)
        self.demoButton.setText(QCoreApplication.translate("StartPage", u"Open the &demo", None))
#if QT_CONFIG(accessibility)
        self.demoButton.setAccessibleName(QCoreApplication.translate("StartPage", u"Open the demo assessment", None))
#endif // QT_CONFIG(accessibility)
        self.recentLabel.setText(QCoreApplication.translate("StartPage", u"&Recent files", None))
#if QT_CONFIG(accessibility)
        self.recentList.setAccessibleName(QCoreApplication.translate("StartPage", u"Recent files", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.recentList.setAccessibleDescription(QCoreApplication.translate("StartPage", u"Press Enter to open the selected file", None))
#endif // QT_CONFIG(accessibility)
        self.hintLabel.setText(QCoreApplication.translate("StartPage", u"Tip: drop an .esat file anywhere on this window to open it.", None))
    # retranslateUi

