"""After the formal notice: evidence (pièces), the court routes, the dossier's data."""
