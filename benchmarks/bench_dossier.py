"""Time and peak memory of a dossier: one client, 30 invoices, 60 pieces (about 200 pages).

Pieces: 30 PDFs of 5 pages, 20 JPEG scans of 2000x1400 pixels, 10 e-mails. Each run is a fresh
process (peak memory is the process's maximum resident set, so one run per process).
"""

import datetime as dt
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from models.demo import DEMO_COMPANY  # noqa: E402
from models.litigation.case import claim_file  # noqa: E402
from models.litigation.pieces import attach  # noqa: E402
from models.store.ledger import Ledger  # noqa: E402
from reports.dossier_pieces import build_dossier  # noqa: E402
from reports.handover import build_zip  # noqa: E402

AS_OF = dt.date(2026, 11, 23)


def build(folder: Path) -> tuple[Ledger, int]:
    """The client, its 30 invoices, a history of 40 actions and 60 pieces."""
    led = Ledger.open(str(folder / "relance.sqlite"))
    led.set_company(DEMO_COMPANY)
    c = led.add_client(
        "Durand Bâtiment SAS",
        siren="552100554",
        street="3 rue des Lilas",
        postal_code="69003",
        city="Lyon",
    )
    ids = []
    for i in range(30):
        issue = dt.date(2025, 1, 5) + dt.timedelta(days=9 * i)
        ids.append(
            led.add_invoice(
                c, f"F-{i:03d}", issue, Decimal("1234.56") + i, issue + dt.timedelta(days=30)
            )
        )
    for i in range(0, 30, 3):
        led.record_payment(ids[i], dt.date(2025, 12, 1), Decimal("200.00"))
    for i in range(40):
        led.record_action(
            c,
            dt.date(2025, 3, 1) + dt.timedelta(days=7 * i),
            "call",
            invoice_ids=[ids[i % 30]],
            channel="call",
            notes=f"appel {i}",
        )
    for i in range(30):
        path = folder / f"commande-{i}.pdf"
        cv = canvas.Canvas(str(path))
        for page in range(5):
            cv.drawString(72, 760, f"Bon de commande {i}, page {page + 1}")
            for line in range(45):
                cv.drawString(72, 740 - 15 * line, "Désignation, quantité, prix unitaire " * 2)
            cv.showPage()
        cv.save()
        attach(led, path, "bon de commande", AS_OF, invoice_id=ids[i], on=dt.date(2025, 1, 1))
    for i in range(20):
        path = folder / f"scan-{i}.jpg"
        Image.effect_noise((2000, 1400), 40 + i).convert("RGB").save(path, quality=80)
        attach(led, path, "bon de livraison", AS_OF, invoice_id=ids[i], on=dt.date(2025, 2, 1))
    for i in range(10):
        path = folder / f"mail-{i}.eml"
        body = "\n".join(f"Ligne {n} du message au sujet de la facture." for n in range(40))
        path.write_text(
            f"From: a@b.fr\nTo: c@d.fr\nSubject: Facture {i}\n\n{body}\n", encoding="utf-8"
        )
        attach(led, path, "e-mail", AS_OF, client_id=c, on=dt.date(2025, 3, 1))
    return led, c


def main() -> None:
    """Build the data, then time the dossier and the ZIP; print pages, seconds, peak MB."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        led, c = build(folder)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        claim = claim_file(led, c, AS_OF)
        made = build_dossier(claim, folder / "dossier.pdf")
        t1 = time.perf_counter()
        build_zip(claim, made.path, folder / "dossier.zip")
        t2 = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size = made.path.stat().st_size / 1e6
        assert len(PdfReader(made.path).pages) == made.pages
        print(
            f"dossier: {len(claim.facts)} invoices, {len(claim.pieces)} pieces, "
            f"{made.pages} pages, {size:.1f} MB"
        )
        print(
            f"  PDF {t1 - t0:.2f} s, ZIP {t2 - t1:.2f} s; peak RSS {peak:.0f} MB "
            f"(before the dossier {before:.0f} MB)"
        )
        led.close()


if __name__ == "__main__":
    main()
