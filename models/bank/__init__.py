"""Bank statements in: CAMT.053, OFX and bank CSV readers, and matching credits to invoices."""
