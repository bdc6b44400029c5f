"""Typed ids, so a client id is never passed where an invoice id is expected."""

from typing import NewType

ClientId = NewType("ClientId", int)
ContactId = NewType("ContactId", int)
InvoiceId = NewType("InvoiceId", int)
PaymentId = NewType("PaymentId", int)
ActionId = NewType("ActionId", int)
PlanId = NewType("PlanId", int)
PieceId = NewType("PieceId", int)
