"""The injunction-to-pay request PDF (CPC 1405 et s.), ready to sign, and the Cerfa values.

Lays out an `InjunctionRequest` (models/litigation/request.py): the request on its pages, then
one page listing the values to copy into the official Cerfa form.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, SimpleDocTemplate, Spacer, Table

from models.litigation.request import InjunctionRequest, SmallClaimsLetter
from reports.base import (
    NumberedCanvas,
    grid_style,
    long_date_fr,
    para,
    styles,
    table_style,
    total_row_style,
)
from reports.fonts import FONT, register_fonts

MARGIN = 20 * mm


def request_story(r: InjunctionRequest) -> list[Flowable]:
    """The request from the addressee to the signature."""
    st = styles()
    out: list[Flowable] = [
        para(f"À l'attention de {r.court}", st.body_left),
        Spacer(1, 6 * mm),
        para("REQUÊTE EN INJONCTION DE PAYER", st.title),
        para("(articles 1405 et suivants du code de procédure civile)", st.title),
        para("À LA REQUÊTE DE :", st.heading),
        *[para(x, st.body_left) for x in r.creditor],
        para("CONTRE :", st.heading),
        *[para(x, st.body_left) for x in r.debtor],
        para("OBJET : paiement d'une créance de nature contractuelle.", st.heading),
        para("Le requérant a l'honneur d'exposer :", st.body),
        *[para(x, st.body) for x in r.facts],
        para("Décompte de la créance (CPC 1407)", st.heading),
    ]
    table = Table([[a, b] for a, b in r.amounts], colWidths=[130 * mm, 40 * mm])
    table.setStyle(table_style(grid_style(header_rows=0, zebra=False) + total_row_style()))
    out += [table, para("Fondement de la créance", st.heading)]
    out += [para(x, st.body) for x in r.basis]
    out += [para("PAR CES MOTIFS, plaise à Monsieur ou Madame le Président :", st.heading)]
    out += [para(f"– {x}", st.body) for x in r.asks]
    listed = [para(x, st.body_left) for x in r.pieces] or [para("Aucune pièce.", st.body_left)]
    place = f"{r.place}, le " if r.place else "Le "
    # The bordereau and the signature stay together: a signature never stands alone on a page.
    out.append(
        KeepTogether(
            [
                para("Bordereau des pièces produites (CPC 1407)", st.heading),
                *listed,
                Spacer(1, 8 * mm),
                para(f"Fait à {place}{long_date_fr(r.as_of)}".replace("à Le", "le"), st.body_left),
                para("Signature du requérant :", st.body_left),
                para(r.signatory, st.body_left),
                Spacer(1, 22 * mm),
            ]
        )
    )
    return out


def cerfa_story(r: InjunctionRequest) -> list[Flowable]:
    """The values to copy into the official form (not reproduced here)."""
    st = styles()
    rows = [["Rubrique", "Valeur à reporter"]]
    rows += [[para(k, st.cell), para(v, st.cell)] for k, v in r.cerfa_fields]
    table = Table(rows, colWidths=[60 * mm, 110 * mm], repeatRows=1)
    table.setStyle(table_style([*grid_style(right_from=99), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [
        para(f"Valeurs pour le formulaire {r.cerfa}", st.title),
        para(
            "Le formulaire officiel se télécharge sur service-public.fr ; Relance ne le "
            "reproduit pas. Les rubriques ci-dessous sont indicatives : reportez chaque valeur "
            "dans la case correspondante, ou joignez la requête ci-avant qui contient les mêmes "
            "mentions.",
            st.small,
        ),
        table,
    ]


def _document(out: io.BytesIO, title: str, author: str) -> SimpleDocTemplate:
    """An A4 document with our margins, the embedded font and its title in the metadata."""
    register_fonts()
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        creator="Relance",
        lang="fr-FR",
        initialFontName=FONT,
    )


def render_injunction(r: InjunctionRequest, author: str = "") -> bytes:
    """The request then the Cerfa values page, as PDF bytes."""
    out = io.BytesIO()
    doc = _document(out, "Requête en injonction de payer", author)

    def footer(canv: NumberedCanvas, _doc: object) -> None:
        canv.page_number_at = (A4[0] - MARGIN, 10 * mm)

    doc.build(
        [*request_story(r), PageBreak(), *cerfa_story(r)],
        onFirstPage=footer,
        onLaterPages=footer,
        canvasmaker=NumberedCanvas,
    )
    return out.getvalue()


def render_small_claims(letter: SmallClaimsLetter, author: str = "") -> bytes:
    """The letter to the commissaire de justice, with the décompte and the list of pieces."""
    st = styles()
    out = io.BytesIO()
    doc = _document(out, "Procédure simplifiée de recouvrement des petites créances", author)
    story: list[Flowable] = [para(x, st.body_left) for x in letter.sender]
    story += [
        Spacer(1, 6 * mm),
        para("Maître ………………………, commissaire de justice", st.body_left),
        Spacer(1, 6 * mm),
        para(f"Objet : {letter.subject}", st.heading),
        para("Débiteur :", st.heading),
        *[para(x, st.body_left) for x in letter.debtor],
        Spacer(1, 4 * mm),
    ]
    story += [para(x, st.body) for x in letter.paragraphs[:-1]]
    table = Table([[a, b] for a, b in letter.amounts], colWidths=[130 * mm, 40 * mm])
    table.setStyle(table_style(grid_style(header_rows=0, zebra=False) + total_row_style()))
    story += [table, para("Pièces jointes", st.heading)]
    story += [para(x, st.body_left) for x in letter.pieces] or [para("Aucune.", st.body_left)]
    place = f"{letter.place}, le " if letter.place else "Le "
    story.append(
        KeepTogether(
            [
                Spacer(1, 4 * mm),
                para(letter.paragraphs[-1], st.body),
                para(f"{place}{long_date_fr(letter.as_of)}", st.body_left),
                para(letter.signatory, st.body_left),
                Spacer(1, 20 * mm),
            ]
        )
    )

    def footer(canv: NumberedCanvas, _doc: object) -> None:
        canv.page_number_at = (A4[0] - MARGIN, 10 * mm)

    doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=NumberedCanvas)
    return out.getvalue()
