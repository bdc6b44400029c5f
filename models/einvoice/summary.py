"""What an e-invoice run did, in French sentences: the CLI prints them, the window shows them."""

from __future__ import annotations

from models.einvoice.record import EInvoiceReport
from models.money import format_eur


def headline(report: EInvoiceReport) -> str:
    """One sentence: refused (nothing written), or what was added and recognised."""
    if report.refusals:
        files = len({r.file for r in report.refusals})
        return (
            f"Import refusé : {files} fichier(s) illisible(s) ou incorrect(s), "
            "rien n'a été enregistré."
        )
    parts = [
        f"{len(report.added)} facture(s) ajoutée(s)",
        f"{len(report.clients_created)} client(s) créé(s)",
        f"{len(report.known)} déjà connue(s)",
        f"{len(report.conflicts)} en conflit",
        f"{report.pieces_added} PDF joint(s) au dossier",
    ]
    return "Factures électroniques : " + ", ".join(parts) + "."


def detail_lines(report: EInvoiceReport) -> list[str]:
    """One line per invoice added, known, in conflict or file refused, then the warnings."""
    lines = [f"Refusé — {r}" for r in report.refusals]
    for a in report.added:
        new = " (nouveau client)" if a.new_client else ""
        amount = format_eur(a.amount_ttc_cents, cents=True)
        lines.append(f"Ajoutée — {a.number} : {a.client}{new}, {amount} TTC ({a.file})")
    lines += [f"Déjà connue — {k}" for k in report.known]
    lines += [f"Conflit — {c}" for c in report.conflicts]
    lines += [f"Attention — {w}" for w in report.warnings]
    return lines
