"""Pièces: any file kept as evidence for a client or an invoice, stored by its SHA-256.

A file attached is copied into `pieces/` beside the database under `<sha256><suffix>` (the same
content is stored once), and a `Piece` row keeps its original name, kind, date and note. The
letters Relance archived (history entries with a document) are pieces too, read from the
history. Nothing is ever deleted: a piece taken off the list keeps its row and its file, and a
piece that went into a dossier cannot be taken off at all.

Backups include them (models/store/backups.py `mirror_pieces`): each backup copies the files
into `pieces/` inside the backup folder, once each (same name = same content), and a restore
brings back those missing beside the database. `main.py backup -o FILE` copies the database
file alone (a single file was asked for).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from models.errors import FieldError, InputError, NotFoundError
from models.files import atomic_write, file_error
from models.ids import ClientId, InvoiceId, PieceId
from models.store.ledger import Ledger
from models.store.tables import Action, ActionInvoice, Invoice, Piece

# Issue 16: the kinds of evidence the guides list, in the order a file is usually built.
PIECE_KINDS = (
    "devis signé",
    "bon de commande",
    "bon de livraison",
    "PV de réception",
    "facture",
    "courrier",
    "accusé de réception",
    "e-mail",
    "échange",
    "autre",
)
PIECES_FOLDER = "pieces"
# Kinds that prove the contract (an order or a signed quote): the route assistant asks for one.
CONTRACT_KINDS = frozenset({"devis signé", "bon de commande"})
LETTER = "courrier"  # the kind of a letter Relance archived

# The history's words for an archived letter, by action kind.
ACTION_TITLES = {
    "formal_notice": "Mise en demeure",
    "registered_letter": "Lettre recommandée",
    "letter": "Lettre de relance",
    "email": "E-mail de relance",
    "agreement": "Échéancier signé",
}


@dataclass(frozen=True)
class PieceRow:
    """One piece as lists and the dossier show it: a stored file or an archived letter.

    `piece_id` is None for a letter read from the history (`action_id` is then set).
    """

    title: str
    kind: str
    date: dt.date | None
    path: Path
    invoices: tuple[str, ...] = ()
    note: str = ""
    piece_id: PieceId | None = None
    action_id: int | None = None
    in_dossier: bool = False

    @property
    def exists(self) -> bool:
        """The file is where the row says (a letter archive may have been moved)."""
        return self.path.is_file()


def pieces_dir(ledger: Ledger) -> Path:
    """The `pieces/` folder beside the database (made when the first piece is attached)."""
    return ledger.data_dir() / PIECES_FOLDER


def stored_name(sha256: str, original_name: str) -> str:
    """The file's name in `pieces/`: its SHA-256 and its suffix in lower case (to open it)."""
    return sha256 + Path(original_name).suffix.lower()


def normalise_kind(kind: str) -> str:
    """The kind as listed (case and 'email'/'e-mail' forgiven), or InputError naming the list."""
    wanted = kind.strip().lower().replace("email", "e-mail").replace("e-e-mail", "e-mail")
    for known in PIECE_KINDS:
        if known.lower() == wanted:
            return known
    choices = ", ".join(PIECE_KINDS)
    raise InputError([FieldError("type de pièce", f"« {kind} » inconnu ; au choix : {choices}")])


def _digest(path: Path) -> str:
    """SHA-256 of a file, read in blocks (a scan may weigh tens of megabytes)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_source(source: Path) -> None:
    """A readable, non-empty file, or InputError saying why."""
    if not source.exists():
        raise InputError([FieldError("fichier", f"« {source} » introuvable")])
    if not source.is_file():
        raise InputError([FieldError("fichier", f"« {source} » n'est pas un fichier")])
    if source.stat().st_size == 0:
        raise InputError([FieldError("fichier", f"« {source.name} » est vide")])


def store_copy(ledger: Ledger, source: Path) -> str:
    """Copy a file into `pieces/` under its SHA-256 (once per content); return the SHA-256.

    Done before the row is written: a copy whose row is never written costs only its space.
    """
    try:
        sha = _digest(source)
        folder = pieces_dir(ledger)
        folder.mkdir(parents=True, exist_ok=True)
        dest = folder / stored_name(sha, source.name)
        if not dest.is_file() or _digest(dest) != sha:
            atomic_write(dest, lambda tmp: shutil.copyfile(source, tmp))
    except OSError as exc:
        raise file_error("de copier", source, exc) from exc
    return sha


def attach(
    ledger: Ledger,
    source: Path,
    kind: str,
    added_on: dt.date,
    *,
    client_id: ClientId | None = None,
    invoice_id: InvoiceId | None = None,
    on: dt.date | None = None,
    note: str = "",
) -> PieceId:
    """Attach a copy of `source` to an invoice (its client then) or to a client.

    `on` is the document's own date (optional, not after `added_on`); the file is copied first
    (written whole), then the row is written in one transaction.
    """
    source = Path(source)
    kind = normalise_kind(kind)
    _check_source(source)
    if on is not None and on > added_on:
        raise InputError([FieldError("date", f"le {on:%d/%m/%Y} est dans le futur")])
    if invoice_id is not None:
        inv = ledger.invoice(invoice_id)
        if client_id is not None and inv.client_id != client_id:
            raise InputError(f"la facture {inv.number} n'est pas à ce client")
        client_id = ClientId(inv.client_id)
    if client_id is None:
        raise InputError([FieldError("pièce", "indiquez la facture ou le client")])
    ledger.client(client_id)  # NotFoundError when unknown
    sha = store_copy(ledger, source)
    with ledger._write() as s:
        same = s.exec(
            select(Piece)
            .where(Piece.client_id == client_id)
            .where(Piece.sha256 == sha)
            .where(
                Piece.invoice_id == invoice_id if invoice_id else col(Piece.invoice_id).is_(None)
            )
            .where(col(Piece.removed_on).is_(None))
        ).first()
        if same is not None:  # the same content twice in one list proves nothing more
            raise InputError(
                [FieldError("fichier", f"déjà jointe sous le nom « {same.original_name} »")]
            )
        piece = Piece(
            client_id=client_id,
            invoice_id=invoice_id,
            sha256=sha,
            original_name=source.name,
            kind=kind,
            date=on,
            note=note.strip(),
            added_on=added_on,
        )
        s.add(piece)
        s.flush()
        return PieceId(piece.id)  # type: ignore[arg-type]


def piece_path(ledger: Ledger, piece: Piece) -> Path:
    """Where a stored piece's file is."""
    return pieces_dir(ledger) / stored_name(piece.sha256, piece.original_name)


def pieces_for(
    ledger: Ledger, client_id: ClientId, invoice_ids: Sequence[int] | None = None
) -> list[PieceRow]:
    """A client's pieces by date: the files attached and the letters archived in its history.

    With `invoice_ids`, only the pieces about those invoices and those attached to the client
    itself (a contract, an e-mail exchange). Undated pieces come last, in the order added.
    """
    wanted = set(invoice_ids) if invoice_ids is not None else None
    with Session(ledger.engine) as s:
        numbers = dict(
            s.exec(select(Invoice.id, Invoice.number).where(Invoice.client_id == client_id)).all()
        )
        stored = s.exec(
            select(Piece)
            .where(Piece.client_id == client_id)
            .where(col(Piece.removed_on).is_(None))
            .order_by(col(Piece.id))
        ).all()
        actions = s.exec(
            select(Action)
            .where(Action.client_id == client_id)
            .where(Action.document_path != "")
            .where(Action.kind != "handover")  # a dossier handed over is not its own piece
            .order_by(col(Action.date), col(Action.id))
        ).all()
        links: dict[int, list[int]] = {}
        for action_id, inv_id in s.exec(
            select(ActionInvoice.action_id, ActionInvoice.invoice_id).where(
                col(ActionInvoice.action_id).in_([a.id for a in actions])
            )
        ).all():
            links.setdefault(action_id, []).append(inv_id)
    rows: list[PieceRow] = []
    for p in stored:
        if wanted is not None and p.invoice_id is not None and p.invoice_id not in wanted:
            continue
        rows.append(
            PieceRow(
                title=p.original_name,
                kind=p.kind,
                date=p.date,
                path=piece_path(ledger, p),
                invoices=(numbers[p.invoice_id],) if p.invoice_id in numbers else (),
                note=p.note,
                piece_id=PieceId(p.id),  # type: ignore[arg-type]
                in_dossier=p.dossier_on is not None,
            )
        )
    for a in actions:
        concerned = links.get(a.id or 0, [])
        if wanted is not None and concerned and not wanted.intersection(concerned):
            continue
        title = ACTION_TITLES.get(a.kind, "Courrier")
        if a.registered_number:
            title += f" (LRAR n° {a.registered_number})"
        rows.append(
            PieceRow(
                title=f"{title} du {a.date:%d/%m/%Y}",
                kind=LETTER,
                date=a.date,
                path=Path(a.document_path),
                invoices=tuple(sorted(numbers[i] for i in concerned if i in numbers)),
                action_id=a.id,
            )
        )
    far = dt.date.max
    return sorted(rows, key=lambda r: (r.date or far, r.piece_id is None))


def remove_piece(ledger: Ledger, piece_id: PieceId, on: dt.date) -> None:
    """Take a piece off the lists (row and file kept); refused once a dossier included it."""
    with ledger._write() as s:
        piece = s.get(Piece, piece_id)
        if piece is None or piece.removed_on is not None:
            raise NotFoundError(f"pièce inconnue (n° {piece_id})")
        if piece.dossier_on is not None:
            raise InputError(
                f"la pièce « {piece.original_name} » figure dans un dossier transmis le "
                f"{piece.dossier_on:%d/%m/%Y} : elle est conservée"
            )
        piece.removed_on = on


def mark_in_dossier(ledger: Ledger, piece_ids: Sequence[PieceId], on: dt.date) -> None:
    """Record that a dossier made on `on` includes these pieces (they can no longer go)."""
    if not piece_ids:
        return
    with ledger._write() as s:
        for piece in s.exec(select(Piece).where(col(Piece.id).in_(list(piece_ids)))).all():
            if piece.dossier_on is None:
                piece.dossier_on = on


def invoice_copies(
    ledger: Ledger, client_id: ClientId, invoice_ids: Sequence[int]
) -> list[tuple[str, Path]]:
    """The PDF copies of these invoices the user attached (kind "facture"): what a formal
    notice can append after its letter, as (caption, file)."""
    return [
        (f"Copie de notre facture n° {', '.join(row.invoices)}", row.path)
        for row in pieces_for(ledger, client_id, invoice_ids)
        if row.kind == "facture"
        and row.invoices
        and row.path.suffix.lower() == ".pdf"
        and row.exists
    ]
