"""Settings page 'Entreprise': identity, bank details, payment terms, logo and signature."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.company import check_company, normalize_company
from models.law.rates import half_year_label
from models.money import format_rate
from models.user import MAX_LENGTH, local_user_name, set_local_user_name
from ui.ops import Ops, tr
from ui.settings.templates import saved

LEGAL_FORMS = ("", "EI", "EURL", "SARL", "SAS", "SASU", "SA", "SNC", "SCI", "SCOP", "Association")
GROUPS = (
    ("Identité", ("name", "legal_form", "capital", "siren", "siret", "vat_number", "rcs_city")),
    ("Adresse et contact", ("street", "building", "postal_code", "city", "phone", "email")),
    ("Coordonnées bancaires", ("iban", "bic")),
    ("Médiation de la consommation", ("mediator_name", "mediator_url")),
)
LABELS = {
    "name": "Raison sociale *",
    "legal_form": "Forme juridique",
    "capital": "Capital",
    "siren": "SIREN",
    "siret": "SIRET *",
    "vat_number": "N° TVA intracom.",
    "rcs_city": "Ville du RCS",
    "street": "Adresse *",
    "building": "Complément",
    "postal_code": "Code postal *",
    "city": "Ville *",
    "phone": "Téléphone",
    "email": "E-mail",
    "iban": "IBAN",
    "bic": "BIC",
    "signatory": "Signataire",
    "mediator_name": "Médiateur",
    "mediator_url": "Site web",
}
PLACEHOLDERS = {
    "capital": "10 000 €",
    "siret": "14 chiffres",
    "vat_number": "FR44732829320",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "signatory": "Camille Exemple, gérante",
    "mediator_name": "nom du médiateur de la consommation",
    "mediator_url": "www.exemple-mediation.fr",
}
# C. conso. L612-1, L616-1: why the mediator is asked for.
MEDIATOR_HINT = (
    "Obligatoire pour écrire à un particulier : vous devez lui proposer gratuitement un "
    "médiateur de la consommation et le lui indiquer (C. consom. L612-1 et L616-1)."
)
PREVIEW_SIZE = (180, 70)


def choose_image(parent: QWidget, title: str) -> str:
    """Ask for a PNG or JPEG file; '' when cancelled (tests replace the page's `pick_image`)."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", tr("Images (*.png *.jpg *.jpeg)"))
    return path


class CompanyPage(QWidget):
    """The creditor's identity as printed on every letter, checked as it is typed."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.pick_image: Callable[[QWidget, str], str] = choose_image
        self.edits: dict[str, QLineEdit] = {}
        self._dirty = False
        self._loading = False

        grid = QGridLayout()
        for n, (title, keys) in enumerate(GROUPS):
            form = QFormLayout()
            for key in keys:
                form.addRow(tr(LABELS[key]), self._field(key))
            if "mediator_name" in keys:
                hint = QLabel(tr(MEDIATOR_HINT))
                hint.setWordWrap(True)
                hint.setStyleSheet("color: #555;")
                form.addRow(hint)
            box = QGroupBox(tr(title))
            box.setLayout(form)
            grid.addWidget(box, n, 0)
        grid.addWidget(self._terms_box(), 0, 1)
        grid.addWidget(self._images_box(), 1, 1, 3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #a40000;")
        self.state = QLabel()
        self.save_button = QPushButton(tr("Enregistrer"))
        self.revert_button = QPushButton(tr("Annuler les modifications"))
        bar = QHBoxLayout()
        bar.addWidget(self.state, 1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        inner = QWidget()
        col = QVBoxLayout(inner)
        col.addWidget(
            QLabel(tr("* obligatoire pour imprimer un courrier (l'IBAN aussi dès la 2e relance)."))
        )
        col.addLayout(grid)
        col.addWidget(self._user_box())
        col.addWidget(self.errors)
        col.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addLayout(bar)

        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(lambda: self.load())
        self.ops.changed.connect(self.refresh)
        self.load()

    # -- building ----------------------------------------------------------------------------
    def _user_box(self) -> QGroupBox:
        """Who works on this machine (issue 18): the name each history line carries.

        Kept on this computer, not in the ledger; on a PostgreSQL ledger the role comes first.
        """
        ledger = self.ops.ledger
        self.user = QLineEdit(local_user_name() if ledger.shared else ledger.user)
        self.user.setMaxLength(MAX_LENGTH)
        self.user_button = QPushButton(tr("Enregistrer le nom"))
        self.user_button.clicked.connect(self.save_user)
        hint = QLabel(
            tr(
                "Base partagée : le rôle de connexion au serveur est noté, suivi du nom choisi "
                "ici s'il est différent (« Claire (relance) ») ; gardé sur cet ordinateur."
            )
            if self.ops.ledger.shared
            else tr(
                "Noté sur chaque ligne d'historique que vous enregistrez ; gardé sur cet "
                "ordinateur, pas dans la base."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        row = QHBoxLayout()
        row.addWidget(self.user, 1)
        row.addWidget(self.user_button)
        form = QFormLayout()
        form.addRow(tr("Utilisateur"), row)
        form.addRow(hint)
        box = QGroupBox(tr("Utilisateur de ce poste"))
        box.setLayout(form)
        return box

    def save_user(self) -> bool:
        """Keep the name on this machine; the next history lines carry it."""
        name = " ".join(self.user.text().split())

        def work() -> str:
            set_local_user_name(name)
            self.ops.ledger.forget_user()  # on a server: the role, then this name
            return name

        return self.ops.run(self, work, "settings") is not None

    def _field(self, key: str) -> QWidget:
        if key == "legal_form":  # a list of the usual forms, any other may be typed
            self.legal_form = QComboBox()
            self.legal_form.setEditable(True)
            self.legal_form.addItems(LEGAL_FORMS)
            self.legal_form.currentTextChanged.connect(self._edited)
            line = self.legal_form.lineEdit()
            assert line is not None  # an editable combo has one
            self.edits[key] = line
            return self.legal_form
        edit = QLineEdit()
        edit.setPlaceholderText(PLACEHOLDERS.get(key, ""))
        edit.textEdited.connect(self._edited)
        self.edits[key] = edit
        return edit

    def _terms_box(self) -> QGroupBox:
        self.terms = QSpinBox()
        self.terms.setRange(0, 60)
        self.terms.setSuffix(tr(" jours"))
        self.terms.setToolTip(tr("Sans accord, 30 jours ; au plus 60 jours (C. com. L441-10)"))
        self.terms.valueChanged.connect(self._edited)
        self.rate = QLineEdit()
        self.rate.setPlaceholderText(tr("vide : taux BCE + 10 points"))
        self.rate.textEdited.connect(self._edited)
        self.rate_hint = QLabel()
        self.rate_hint.setWordWrap(True)
        self.rate_hint.setStyleSheet("color: #555;")
        self.rate_warning = QLabel()
        self.rate_warning.setWordWrap(True)
        self.rate_warning.setStyleSheet("color: #8a5300; font-weight: bold;")
        form = QFormLayout()
        form.addRow(tr("Délai de paiement par défaut"), self.terms)
        form.addRow(tr("Taux de pénalités des CGV (% l'an)"), self.rate)
        form.addRow(self.rate_hint)
        form.addRow(self.rate_warning)
        box = QGroupBox(tr("Conditions de paiement"))
        box.setLayout(form)
        return box

    def _images_box(self) -> QGroupBox:
        form = QFormLayout()
        self.previews: dict[str, QLabel] = {}
        for what, title in (("logo", tr("Logo")), ("signature", tr("Signature"))):
            preview = QLabel()
            preview.setFixedSize(*PREVIEW_SIZE)
            preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
            preview.setStyleSheet("border: 1px solid #bbb; background: white; color: #777;")
            self.previews[what] = preview
            choose = QPushButton(tr("Choisir…"))
            remove = QPushButton(tr("Retirer"))
            choose.clicked.connect(lambda _c=False, w=what: self.choose(w))
            remove.clicked.connect(lambda _c=False, w=what: self.remove(w))
            buttons = QVBoxLayout()
            buttons.addWidget(choose)
            buttons.addWidget(remove)
            buttons.addStretch(1)
            row = QHBoxLayout()
            row.addWidget(preview)
            row.addLayout(buttons)
            row.addStretch(1)
            form.addRow(title, row)
        form.addRow(tr(LABELS["signatory"]), self._field("signatory"))
        box = QGroupBox(tr("Logo et signature"))
        box.setLayout(form)
        return box

    # -- reading and showing -----------------------------------------------------------------
    def form_data(self) -> dict[str, str]:
        """The identity as typed, with the stored logo and signature paths."""
        data = self.ops.ledger.company_data()
        data.update({k: e.text() for k, e in self.edits.items()})
        return data

    def load(self) -> None:
        """Fill the form from the database, dropping what was typed."""
        ledger = self.ops.ledger
        self._loading = True
        stored = ledger.company_data()
        for key, edit in self.edits.items():
            edit.setText(stored.get(key, ""))
        self.terms.setValue(int(ledger.setting("payment_terms_days")))
        self.rate.setText(str(ledger.setting("contractual_penalty_rate") or ""))
        self._loading = False
        self._dirty = False
        self._show_images()
        self._check()

    def refresh(self, what: str = "all") -> None:
        """Follow changes made elsewhere; what is being typed is kept."""
        if what not in ("settings", "all"):
            return
        if self._dirty:
            self._show_images()
            self._check()
        else:
            self.load()

    def _show_images(self) -> None:
        data = self.ops.ledger.company_data()
        for what, label in self.previews.items():
            path = data.get(f"{what}_path", "")
            pixmap = QPixmap(path) if path and Path(path).is_file() else QPixmap()
            if pixmap.isNull():
                label.setPixmap(QPixmap())
                label.setText(tr("Aucune image") if not path else tr("Image introuvable"))
            else:
                label.setPixmap(
                    pixmap.scaled(
                        PREVIEW_SIZE[0] - 8,
                        PREVIEW_SIZE[1] - 8,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )

    def _edited(self) -> None:
        if not self._loading:
            self._dirty = True
        self._check()

    def _check(self) -> None:
        """Show at once what saving would refuse, and the contractual-rate warning."""
        errors = check_company(normalize_company(self.form_data()))
        self.errors.setText("\n".join(f"• {e}" for e in errors))
        ledger, today = self.ops.ledger, self.ops.today()
        row = ledger.rates().lookup(today).row
        self.rate_hint.setText(
            tr("Taux par défaut au {period} : {rate} (BCE + 10 points).").format(
                period=half_year_label(row.half_year), rate=format_rate(row.default_penalty)
            )
        )
        try:
            warning = ledger.contractual_rate_warning(today, self.rate.text())
        except ArithmeticError:
            warning = None
        self.rate_warning.setText(f"⚠ {warning}" if warning else "")
        self.state.setText(tr("Modifications non enregistrées") if self._dirty else "")
        self.save_button.setEnabled(self._dirty)
        self.revert_button.setEnabled(self._dirty)

    def is_dirty(self) -> bool:
        """Whether the page holds changes not saved (the dialog asks before closing)."""
        return self._dirty

    # -- writes ------------------------------------------------------------------------------
    def save(self) -> bool:
        """Store identity, payment terms and contractual rate together (one transaction)."""
        values = {
            "company": self.form_data(),
            "payment_terms_days": self.terms.value(),
            "contractual_penalty_rate": self.rate.text().strip(),
        }
        done = self.ops.run(self, saved(lambda: self.ops.ledger.set_settings(values)), "settings")
        if done:
            self.load()
        return bool(done)

    def choose(self, what: str) -> None:
        """Pick an image file: it is copied into the data folder and shown."""
        title = tr("Choisir le logo") if what == "logo" else tr("Choisir la signature")
        path = self.pick_image(self, title)
        if not path:
            return
        ledger = self.ops.ledger
        save = ledger.save_logo if what == "logo" else ledger.save_signature
        self.ops.run(self, lambda: save(Path(path)), "settings")
        self._show_images()

    def remove(self, what: str) -> None:
        """Stop printing the logo or the signature (the copied file stays)."""
        self.ops.run(self, lambda: self.ops.ledger.set_company({f"{what}_path": ""}), "settings")
        self._show_images()
