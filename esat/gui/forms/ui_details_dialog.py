# Compiled from ui/details_dialog.ui sha256=f159b4b12f7628f1179e8731f525d29124d4beac897ad180503c44a7d0d568c4; edit the .ui and run `make forms`.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'details_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, QSize, Qt)
from PySide6.QtWidgets import (QCheckBox, QDateEdit, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout)

class Ui_DetailsDialog(object):
    def setupUi(self, DetailsDialog):
        if not DetailsDialog.objectName():
            DetailsDialog.setObjectName(u"DetailsDialog")
        DetailsDialog.setMinimumSize(QSize(600, 0))
        self.layout = QVBoxLayout(DetailsDialog)
        self.layout.setObjectName(u"layout")
        self.explanationLabel = QLabel(DetailsDialog)
        self.explanationLabel.setObjectName(u"explanationLabel")
        self.explanationLabel.setWordWrap(True)

        self.layout.addWidget(self.explanationLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.periodEditLabel = QLabel(DetailsDialog)
        self.periodEditLabel.setObjectName(u"periodEditLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.periodEditLabel)

        self.periodEdit = QLineEdit(DetailsDialog)
        self.periodEdit.setObjectName(u"periodEdit")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.periodEdit)

        self.equalityLeadEditLabel = QLabel(DetailsDialog)
        self.equalityLeadEditLabel.setObjectName(u"equalityLeadEditLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.equalityLeadEditLabel)

        self.equalityLeadEdit = QLineEdit(DetailsDialog)
        self.equalityLeadEdit.setObjectName(u"equalityLeadEdit")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.equalityLeadEdit)

        self.smtLeadEditLabel = QLabel(DetailsDialog)
        self.smtLeadEditLabel.setObjectName(u"smtLeadEditLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.smtLeadEditLabel)

        self.smtLeadEdit = QLineEdit(DetailsDialog)
        self.smtLeadEdit.setObjectName(u"smtLeadEdit")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.smtLeadEdit)

        self.titleEditLabel = QLabel(DetailsDialog)
        self.titleEditLabel.setObjectName(u"titleEditLabel")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.titleEditLabel)

        self.titleEdit = QLineEdit(DetailsDialog)
        self.titleEdit.setObjectName(u"titleEdit")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.titleEdit)

        self.versionEditLabel = QLabel(DetailsDialog)
        self.versionEditLabel.setObjectName(u"versionEditLabel")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.versionEditLabel)

        self.versionEdit = QLineEdit(DetailsDialog)
        self.versionEdit.setObjectName(u"versionEdit")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.versionEdit)

        self.markingEditLabel = QLabel(DetailsDialog)
        self.markingEditLabel.setObjectName(u"markingEditLabel")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.markingEditLabel)

        self.markingEdit = QLineEdit(DetailsDialog)
        self.markingEdit.setObjectName(u"markingEdit")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.markingEdit)

        self.publicationCheck = QCheckBox(DetailsDialog)
        self.publicationCheck.setObjectName(u"publicationCheck")

        self.formLayout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.publicationCheck)

        self.summaryEditLabel = QLabel(DetailsDialog)
        self.summaryEditLabel.setObjectName(u"summaryEditLabel")

        self.formLayout.setWidget(7, QFormLayout.ItemRole.LabelRole, self.summaryEditLabel)

        self.summaryEdit = QPlainTextEdit(DetailsDialog)
        self.summaryEdit.setObjectName(u"summaryEdit")
        self.summaryEdit.setTabChangesFocus(True)
        self.summaryEdit.setMaximumSize(QSize(16777215, 90))

        self.formLayout.setWidget(7, QFormLayout.ItemRole.FieldRole, self.summaryEdit)

        self.authorEditLabel = QLabel(DetailsDialog)
        self.authorEditLabel.setObjectName(u"authorEditLabel")

        self.formLayout.setWidget(8, QFormLayout.ItemRole.LabelRole, self.authorEditLabel)

        self.authorEdit = QLineEdit(DetailsDialog)
        self.authorEdit.setObjectName(u"authorEdit")

        self.formLayout.setWidget(8, QFormLayout.ItemRole.FieldRole, self.authorEdit)

        self.approverEditLabel = QLabel(DetailsDialog)
        self.approverEditLabel.setObjectName(u"approverEditLabel")

        self.formLayout.setWidget(9, QFormLayout.ItemRole.LabelRole, self.approverEditLabel)

        self.approverEdit = QLineEdit(DetailsDialog)
        self.approverEdit.setObjectName(u"approverEdit")

        self.formLayout.setWidget(9, QFormLayout.ItemRole.FieldRole, self.approverEdit)

        self.owningUnitEditLabel = QLabel(DetailsDialog)
        self.owningUnitEditLabel.setObjectName(u"owningUnitEditLabel")

        self.formLayout.setWidget(10, QFormLayout.ItemRole.LabelRole, self.owningUnitEditLabel)

        self.owningUnitEdit = QLineEdit(DetailsDialog)
        self.owningUnitEdit.setObjectName(u"owningUnitEdit")

        self.formLayout.setWidget(10, QFormLayout.ItemRole.FieldRole, self.owningUnitEdit)

        self.createdEditLabel = QLabel(DetailsDialog)
        self.createdEditLabel.setObjectName(u"createdEditLabel")

        self.formLayout.setWidget(11, QFormLayout.ItemRole.LabelRole, self.createdEditLabel)

        self.createdEdit = QDateEdit(DetailsDialog)
        self.createdEdit.setObjectName(u"createdEdit")
        self.createdEdit.setCalendarPopup(True)

        self.formLayout.setWidget(11, QFormLayout.ItemRole.FieldRole, self.createdEdit)

        self.reviewEditLabel = QLabel(DetailsDialog)
        self.reviewEditLabel.setObjectName(u"reviewEditLabel")

        self.formLayout.setWidget(12, QFormLayout.ItemRole.LabelRole, self.reviewEditLabel)

        self.reviewEdit = QDateEdit(DetailsDialog)
        self.reviewEdit.setObjectName(u"reviewEdit")
        self.reviewEdit.setCalendarPopup(True)

        self.formLayout.setWidget(12, QFormLayout.ItemRole.FieldRole, self.reviewEdit)


        self.layout.addLayout(self.formLayout)

        self.problemLabel = QLabel(DetailsDialog)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setWordWrap(True)

        self.layout.addWidget(self.problemLabel)

        self.buttonBox = QDialogButtonBox(DetailsDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.layout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.periodEditLabel.setBuddy(self.periodEdit)
        self.equalityLeadEditLabel.setBuddy(self.equalityLeadEdit)
        self.smtLeadEditLabel.setBuddy(self.smtLeadEdit)
        self.titleEditLabel.setBuddy(self.titleEdit)
        self.versionEditLabel.setBuddy(self.versionEdit)
        self.markingEditLabel.setBuddy(self.markingEdit)
        self.summaryEditLabel.setBuddy(self.summaryEdit)
        self.authorEditLabel.setBuddy(self.authorEdit)
        self.approverEditLabel.setBuddy(self.approverEdit)
        self.owningUnitEditLabel.setBuddy(self.owningUnitEdit)
        self.createdEditLabel.setBuddy(self.createdEdit)
        self.reviewEditLabel.setBuddy(self.reviewEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(DetailsDialog)

        QMetaObject.connectSlotsByName(DetailsDialog)
    # setupUi

    def retranslateUi(self, DetailsDialog):
        DetailsDialog.setWindowTitle(QCoreApplication.translate("DetailsDialog", u"Assessment details", None))
#if QT_CONFIG(accessibility)
        DetailsDialog.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Assessment details", None))
#endif // QT_CONFIG(accessibility)
        self.explanationLabel.setText(QCoreApplication.translate("DetailsDialog", u"The people responsible and the document-control fields printed on exports and reports.", None))
        self.periodEditLabel.setText(QCoreApplication.translate("DetailsDialog", u"&Period (financial year):", None))
#if QT_CONFIG(accessibility)
        self.periodEdit.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Period, financial year", None))
#endif // QT_CONFIG(accessibility)
        self.equalityLeadEditLabel.setText(QCoreApplication.translate("DetailsDialog", u"&Equality lead:", None))
#if QT_CONFIG(accessibility)
        self.equalityLeadEdit.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Equality lead", None))
#endif // QT_CONFIG(accessibility)
        self.smtLeadEditLabel.setText(QCoreApplication.translate("DetailsDialog", u"&SMT lead:", None))
#if QT_CONFIG(accessibility)
        self.smtLeadEdit.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"SMT lead", None))
#endif // QT_CONFIG(accessibility)
        self.titleEditLabel.setText(QCoreApplication.translate("DetailsDialog", u"&Title:", None))
#if QT_CONFIG(accessibility)
        self.titleEdit.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Document title", None))
#endif // QT_CONFIG(accessibility)
        self.versionEditLabel.setText(QCoreApplication.translate("DetailsDialog", u"&Version:", None))
#if QT_CONFIG(accessibility)
        self.versionEdit.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Document version", None))
#endif // QT_CONFIG(accessibility)
        self.markingEditLabel.setText(QCoreApplication.translate("DetailsDialog", u"Protective &marking:", None))
#if QT_CONFIG(accessibility)
        self.markingEdit.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Protective marking", None))
#endif // QT_CONFIG(accessibility)
        self.publicationCheck.setText(QCoreApplication.translate("DetailsDialog", u"Suitable for the pub&lication scheme", None))
#if QT_CONFIG(accessibility)
        self.publicationCheck.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Suitable for the publication scheme", None))
#endif // QT_CONFIG(accessibility)
        self.summaryEditLabel.setText(QCoreApplication.translate("DetailsDialog", u"S&ummary:", None))
#if QT_CONFIG(accessibility)
        self.summaryEdit.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Document summary", None))
#endif // QT_CONFIG(accessibility)
        self.authorEditLabel.setText(QCoreApplication.translate("DetailsDialog", u"Aut&hor:", None))
#if QT_CONFIG(accessibility)
        self.authorEdit.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Author", None))
#endif // QT_CONFIG(accessibility)
        self.approverEditLabel.setText(QCoreApplication.translate("DetailsDialog", u"&Approver:", None))
#if QT_CONFIG(accessibility)
        self.approverEdit.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Approver", None))
#endif // QT_CONFIG(accessibility)
        self.owningUnitEditLabel.setText(QCoreApplication.translate("DetailsDialog", u"&Owning unit:", None))
#if QT_CONFIG(accessibility)
        self.owningUnitEdit.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Owning unit", None))
#endif // QT_CONFIG(accessibility)
        self.createdEditLabel.setText(QCoreApplication.translate("DetailsDialog", u"&Created on:", None))
#if QT_CONFIG(accessibility)
        self.createdEdit.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Date created", None))
#endif // QT_CONFIG(accessibility)
        self.createdEdit.setDisplayFormat(QCoreApplication.translate("DetailsDialog", u"d MMMM yyyy", None))
        self.reviewEditLabel.setText(QCoreApplication.translate("DetailsDialog", u"&Review date:", None))
#if QT_CONFIG(accessibility)
        self.reviewEdit.setAccessibleName(QCoreApplication.translate("DetailsDialog", u"Review date", None))
#endif // QT_CONFIG(accessibility)
        self.reviewEdit.setDisplayFormat(QCoreApplication.translate("DetailsDialog", u"d MMMM yyyy", None))
        self.problemLabel.setText("")
    # retranslateUi

