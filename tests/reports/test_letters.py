"""Letters: every kind renders, amounts in French, legal mentions, escaping, batches."""

import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pdfplumber
import pytest

from models.law.interest import PenaltyPeriod
from models.letters.documents import InstalmentLine
from models.letters.kinds import LETTER_KINDS
from models.letters.statement import ZERO, StatementLine
from reports.letters import letter_title, render_letter, render_letters
from tests.reports.conftest import COMPANY, INVOICE, MM

D = Decimal


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_every_kind_renders_one_page_with_its_essentials(make_letter, pdf_pages, kind):
    pdf = render_letter(make_letter(kind=kind, title="", registered=kind == "formal_notice"))
    assert pdf.startswith(b"%PDF")
    text = "\n".join(pdf_pages(pdf))
    for expected in (
        "Paris, le 20 juillet 2025",
        "Nos réf. : CLI-0042",
        "Vos réf. : commande BC-2025-114",
        "Objet : Facture F2025-0142 impayée",
        "Menuiserie Durand & Fils",
        "F2025-0142 21/05/2025 20/06/2025 10 000,00 € 0,00 € 10 000,00 € 30",
        "Claire Exemple",
    ):
        assert expected in text, (kind, expected)
    # What each kind asks for (models/letters/statement.py), and the total is their sum.
    if kind == "penalty_statement":
        assert "Total dû 142,61 €" in text
    elif kind in ("reminder_3", "formal_notice", "payment_plan"):
        assert "Principal restant dû 10 000,00 €" in text
        assert "10 142,61 €" in text  # 10 000,00 + 102,61 + 40,00
    else:  # preventive, reminder_1, reminder_2 ask for the principal alone
        assert "Total dû 10 000,00 €" in text
        assert "Pénalités de retard (12,15 % l'an)" not in text


def test_formal_notice_has_all_its_mentions(make_letter, pdf_text):
    text = pdf_text(render_letter(make_letter()))
    assert "MISE EN DEMEURE DE PAYER" in text
    assert "Lettre recommandée avec accusé de réception" in text
    assert "Pénalités de retard (12,15 % l'an) 102,61 €" in text
    assert "Indemnité forfaitaire (40 €) 40,00 €" in text
    assert "Total dû 10 142,61 €" in text
    assert "À payer au plus tard le 28 juillet 2025" in text
    assert "IBAN FR76 3000 6000 0112 3456 7890 189" in text
    assert "BIC AGRIFRPP882" in text
    assert "Référence : CLI-0042" in text


@pytest.mark.parametrize("title", ["Dernier avis avant poursuites", "mise en demeure", ""])
def test_formal_notice_title_always_says_mise_en_demeure(make_letter, title):
    assert "MISE EN DEMEURE" in letter_title(make_letter(title=title))


def test_b2c_letter_never_mentions_the_40_euro_indemnity(make_letter, pdf_text):
    letter = make_letter(
        b2c=True,
        client_name="M. Jean Petit",
        recipient=("M. Jean Petit", "18 rue des Lilas", "33000 BORDEAUX"),
        lines=(dataclasses.replace(INVOICE, periods=(), penalties=ZERO, indemnity=ZERO),),
        paragraphs=("Madame, Monsieur,", "La facture F2025-0142 reste impayée."),
    )
    text = pdf_text(render_letter(letter))
    assert "Indemnité" not in text
    assert "indemnité" not in text
    assert "40 €" not in text
    assert "40,00" not in text
    assert "Total dû 10 000,00 €" in text


def test_b2c_interest_after_notice_is_called_interest(make_letter, pdf_text):
    letter = make_letter(
        b2c=True,
        lines=(dataclasses.replace(INVOICE, penalties=D("25.34"), indemnity=ZERO),),
    )
    text = pdf_text(render_letter(letter))
    assert "Intérêts au taux légal (12,15 % l'an) 25,34 €" in text
    assert "Total dû 10 025,34 €" in text  # 10 000,00 + 25,34
    assert "Indemnité" not in text


def test_user_text_is_printed_literally(make_letter, pdf_text):
    nasty = "Dupont & Fils <SARL>"
    letter = make_letter(
        client_name=nasty,
        recipient=(nasty, "3 rue du Port", "13002 MARSEILLE"),
        subject="Facture <b>F&1</b>",
        paragraphs=("Bonjour <i>à</i> vous & les vôtres,", "Ligne 1\nLigne 2 <br/>"),
        lines=(dataclasses.replace(INVOICE, number="F<1>&2"),),
        our_ref="A&B <ref>",
        closing="Salutations <font size=40>énormes</font>",
        signature_block=("Claire <Exemple>",),
    )
    text = pdf_text(render_letter(letter))
    for literal in (
        nasty,
        "Objet : Facture <b>F&1</b>",
        "Bonjour <i>à</i> vous & les vôtres,",
        "Ligne 1\nLigne 2 <br/>",
        "F<1>&2",
        "Nos réf. : A&B <ref>",
        "Salutations <font size=40>énormes</font>",
        "Claire <Exemple>",
    ):
        assert literal in text, literal


def test_penalty_statement_details_each_period(make_letter, pdf_text):
    periods = (
        PenaltyPeriod(
            dt.date(2025, 6, 21), dt.date(2025, 6, 30), 10, D("10000.00"), D("13.15"), D("36.03")
        ),
        PenaltyPeriod(
            dt.date(2025, 7, 1), dt.date(2025, 7, 10), 10, D("10000.00"), D("12.15"), D("33.29")
        ),
    )
    paid = dataclasses.replace(
        INVOICE, paid=D("10000.00"), balance=D("0.00"), days_late=20, periods=periods
    )
    letter = make_letter(
        kind="penalty_statement",
        title="Décompte des pénalités de retard",
        lines=(dataclasses.replace(paid, penalties=D("69.32")),),
        deadline=None,
        registered=False,
    )
    text = pdf_text(render_letter(letter))
    assert "Facture F2025-0142 (échéance du 20 juin 2025)" in text
    assert "Du Au Jours Base Taux annuel Montant" in text
    assert "21/06/2025 30/06/2025 10 10 000,00 € 13,15 % 36,03 €" in text
    assert "01/07/2025 10/07/2025 10 10 000,00 € 12,15 % 33,29 €" in text
    assert "Sous-total pénalités 69,32 €" in text  # 36,03 + 33,29
    assert "Total dû 109,32 €" in text  # 69,32 + 40,00
    assert "n'est pas soumise à la TVA (C. com. D441-5)" in text
    assert "Principal restant dû" not in text  # nothing left of the principal


def test_penalty_statement_prints_no_empty_table(make_letter, pdf_text):
    letter = make_letter(
        kind="penalty_statement",
        lines=(dataclasses.replace(INVOICE, periods=(), penalties=ZERO, indemnity=ZERO),),
    )
    text = pdf_text(render_letter(letter))
    assert "Du Au Jours" not in text
    assert "Aucune période" not in text


def test_several_invoices_detail_their_own_penalties(make_letter, pdf_text):
    second = dataclasses.replace(
        INVOICE, number="F2025-0158", penalties=D("10.00"), periods=INVOICE.periods[:1]
    )
    text = pdf_text(render_letter(make_letter(kind="penalty_statement", lines=(INVOICE, second))))
    assert "Total pour cette facture 142,61 €" in text  # 102,61 + 40,00
    assert "Total pour cette facture 50,00 €" in text  # 10,00 + 40,00
    assert "Indemnités forfaitaires (2 × 40 €) 80,00 €" in text
    assert "Total dû 192,61 €" in text  # 112,61 + 80,00


def test_payment_plan_lists_instalments_and_asks_for_agreement(make_letter, pdf_text):
    instalments = tuple(
        InstalmentLine(n, dt.date(2025, 7 + n, 15), D("2535.65")) for n in range(1, 5)
    )
    letter = make_letter(
        kind="payment_plan",
        title="Accord d'échéancier",
        instalments=instalments,
        registered=False,
        deadline=None,
    )
    text = pdf_text(render_letter(letter))
    assert "N° Échéance Montant" in text
    assert "1 15 août 2025 2 535,65 €" in text
    assert "4 15 novembre 2025 2 535,65 €" in text
    assert "Total 10 142,60 €" in text
    assert "Bon pour accord, date et signature du" in text


def test_no_payment_means_without_iban(make_letter, pdf_text):
    company = dataclasses.replace(COMPANY, iban="", bic="")
    text = pdf_text(render_letter(make_letter(company=company, transfer=None)))
    assert "IBAN" not in text
    assert "Virement à" not in text


def test_signature_image_is_drawn_beside_the_closing(make_letter, tmp_path):
    from PIL import Image as PILImage

    path = tmp_path / "signature.png"
    PILImage.new("RGB", (400, 150), (255, 255, 255)).save(path)
    company = dataclasses.replace(COMPANY, signature_path=str(path))
    with pdfplumber.open(io.BytesIO(render_letter(make_letter(company=company)))) as pdf:
        page = pdf.pages[-1]
        closing = page.search("salutations distinguées", regex=False)[0]
        (image,) = page.images
        assert abs(image["top"] - closing["top"]) < 30  # beside the closing (two lines)
        assert image["x0"] > 100 * MM  # right half of the page
        assert image["x1"] - image["x0"] <= 45 * MM + 1


def test_long_invoice_list_repeats_the_table_header(make_letter, pdf_pages):
    invoices = tuple(
        StatementLine(
            f"F2025-{n:04d}",
            dt.date(2025, 1, 1),
            dt.date(2025, 1, 31),
            170,
            D("1234.56"),
            D("0.00"),
            D("1234.56"),
        )
        for n in range(1, 91)
    )
    pages = pdf_pages(render_letter(make_letter(lines=invoices)))
    assert len(pages) >= 3
    assert all("N° facture Date Échéance Montant TTC Payé Solde" in p for p in pages[:2])
    text = "\n".join(pages)
    assert all(f"F2025-{n:04d}" in text for n in range(1, 91))
    assert "Total 111 110,40 € 0,00 € 111 110,40 €" in text


def test_batch_starts_each_letter_on_a_new_page_with_its_own_numbering(make_letter, pdf_pages):
    long_one = make_letter(
        lines=tuple(dataclasses.replace(INVOICE, number=f"F2025-{n:04d}") for n in range(60))
    )
    other = make_letter(
        kind="reminder_1",
        client_name="Boulangerie Martin",
        recipient=("Boulangerie Martin", "4 place du Marché", "69002 LYON"),
        registered=False,
    )
    pages = pdf_pages(render_letters([long_one, other, other]))
    assert len(pages) >= 4
    first_pages = [i for i, p in enumerate(pages) if "Paris, le 20 juillet 2025" in p]
    assert first_pages[0] == 0
    assert len(first_pages) == 3
    assert "Boulangerie Martin" in pages[first_pages[1]]
    assert "Menuiserie Durand" not in pages[first_pages[1]]
    long_pages = first_pages[1]
    assert f"Page 1/{long_pages}" in pages[0]
    assert f"Page {long_pages}/{long_pages}" in pages[long_pages - 1]
    assert "Page 1/1" in pages[first_pages[1]]
    assert "Page 1/1" in pages[first_pages[2]]


def test_unknown_kind_and_empty_batch_are_refused(make_letter):
    with pytest.raises(ValueError, match="type de lettre inconnu"):
        render_letter(make_letter(kind="poème"))
    with pytest.raises(ValueError, match="aucune lettre"):
        render_letters([])


def test_samples_script_writes_one_pdf_per_kind_and_the_aged_balance(tmp_path, pdf_text):
    from reports.samples import write_samples

    paths = write_samples(tmp_path)
    assert sorted(p.stem for p in paths) == sorted(
        [*LETTER_KINDS, "reminder_3_b2c", "aged_balance"]
    )
    notice = pdf_text((tmp_path / "formal_notice.pdf").read_bytes())
    assert "MISE EN DEMEURE DE PAYER" in notice
    assert "Total dû 13 619,12 €" in notice  # 13 335,40 + 163,72 + 3 x 40,00
    assert "45160 OLIVET" in notice
