"""The documents: a letter, the court routes, the dossier, the injunction request."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ui.cli.common import (
    AddCommand,
    UsageError,
    write,
)


def cmd_letter(ledger: Any, args: argparse.Namespace) -> int:
    """Make one letter PDF for an invoice (and the client's other invoices at that step)."""
    from models.files import atomic_write
    from reports.letters import render_letter

    data = ledger.letter_for_invoice(args.invoice, args.kind, args.as_of)
    atomic_write(args.output, render_letter(data))
    print(f"Lettre enregistrée : {args.output}", file=sys.stderr)
    return 0


def _answer(text: str | None) -> bool | None:
    return None if text is None else text == "oui"


def cmd_route(ledger: Any, args: argparse.Namespace) -> int:
    """The court routes open for the invoice's client: court, form, what the file lacks."""
    from models.litigation.case import claim_file, route_case
    from models.litigation.routes import advise

    invoice = ledger.find_invoice(args.invoice)
    claim = claim_file(ledger, invoice.client_id, args.as_of)
    advice = advise(
        route_case(
            claim,
            disputed=_answer(args.disputed),
            debtor_agrees=_answer(args.agrees),
            urgent=_answer(args.urgent),
        )
    )
    if args.format == "json":
        write(json.dumps(advice.as_dict(), ensure_ascii=False, indent=2), args.output)
        return 0
    lines = [*advice.blockers, *advice.warnings]
    if advice.prescription:
        lines.append(advice.prescription)
    for r in advice.routes:
        mark = "[oui]" if r.applies else "[non]"
        lines.append(f"{mark} {r.name} : {r.reason}")
        lines += [f"      {x}" for x in (r.court, r.form, r.lawyer, r.costs, *r.conditions) if x]
    lines += [f"Manque au dossier : {m}" for m in advice.missing]
    lines += [f"Particulier : {m}" for m in advice.consumer_rules]
    lines += [f"Question : {q}" for q in advice.questions]
    write("\n".join(lines), args.output)
    return 0


def _overdue_claim(ledger: Any, args: argparse.Namespace) -> Any:
    """The claim of the invoice's client; refused when nothing is overdue at --as-of."""
    from models.litigation.case import claim_file

    invoice = ledger.find_invoice(args.invoice)
    claim = claim_file(ledger, invoice.client_id, args.as_of)
    if not claim.facts:
        raise UsageError(f"aucune facture échue et impayée pour ce client au {args.as_of:%d/%m/%Y}")
    return claim


def cmd_dossier(ledger: Any, args: argparse.Namespace) -> int:
    """The dossier PDF of the invoice's client (all its open invoices), optionally a ZIP."""
    from models.litigation.pieces import mark_in_dossier
    from reports.dossier_pieces import build_dossier

    claim = _overdue_claim(ledger, args)
    made = build_dossier(claim, args.output)
    if args.zip:
        from reports.handover import build_zip

        build_zip(claim, made.path, args.zip)
        print(f"Archive enregistrée : {args.zip}", file=sys.stderr)
    if args.handover_to:
        from models.litigation.handover import record_handover

        record_handover(ledger, claim, args.handover_to, args.as_of, made.path)
        print(f"Transmission à {args.handover_to} notée dans l'historique", file=sys.stderr)
    else:
        mark_in_dossier(ledger, [p.piece_id for p in claim.pieces if p.piece_id], args.as_of)
    print(f"Dossier enregistré : {made.path} ({made.pages} pages)", file=sys.stderr)
    return 0


def cmd_request(ledger: Any, args: argparse.Namespace) -> int:
    """The injunction-to-pay request with the Cerfa values, or the small-claims letter."""
    from models.files import atomic_write
    from models.litigation.request import injunction_request, small_claims_letter
    from reports.injunction import render_injunction, render_small_claims

    claim = _overdue_claim(ledger, args)
    if args.procedure == "petites-creances":
        data = render_small_claims(small_claims_letter(claim), claim.company.name)
    else:
        data = render_injunction(injunction_request(claim), claim.company.name)
    atomic_write(args.output, data)
    print(f"Requête enregistrée : {args.output}", file=sys.stderr)
    return 0


def register(add: AddCommand) -> None:
    """The documents' arguments."""
    from models.letters.kinds import LETTER_KINDS

    sp = add("letter", cmd_letter, "lettre PDF pour une facture")
    sp.add_argument("invoice")
    sp.add_argument("--kind", choices=LETTER_KINDS, required=True)
    sp.add_argument("-o", "--output", type=Path, required=True)
    sp = add("route", cmd_route, "procédures possibles après la mise en demeure")
    sp.add_argument("invoice")
    sp.add_argument("--format", choices=("text", "json"), default="text")
    sp.add_argument("-o", "--output", type=Path)
    for flag, what in (
        ("--disputed", "la dette est-elle contestée ?"),
        ("--agrees", "le débiteur accepte-t-il la procédure simplifiée ?"),
        ("--urgent", "y a-t-il urgence ?"),
    ):
        sp.add_argument(flag, choices=("oui", "non"), help=what)
    sp = add("dossier", cmd_dossier, "dossier PDF de recouvrement (pièces comprises)")
    sp.add_argument("invoice")
    sp.add_argument("-o", "--output", type=Path, required=True)
    sp.add_argument("--zip", type=Path, help="archive ZIP : PDF, pièces, CSV du décompte")
    sp.add_argument(
        "--handover-to",
        metavar="NOM",
        help="noter la transmission du dossier (avocat, agence, commissaire de justice)",
    )
    sp = add("requete", cmd_request, "requête en injonction de payer (PDF à signer)")
    sp.add_argument("invoice")
    sp.add_argument("-o", "--output", type=Path, required=True)
    sp.add_argument(
        "--procedure",
        choices=("injonction", "petites-creances"),
        default="injonction",
        help="petites-creances : lettre au commissaire de justice (CPCE L125-1)",
    )
