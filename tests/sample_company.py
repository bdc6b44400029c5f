"""The creditor the document tests write as: every field a letter prints, a consumer mediator."""

COMPANY = {
    "name": "Atelier Exemple SARL",
    "street": "14 rue du Faubourg Saint-Antoine",
    "postal_code": "75011",
    "city": "Paris",
    "siret": "73282932000074",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP882",
    "signatory": "Claire Exemple, gérante",
    "mediator_name": "Médiation Exemple de la consommation",
    "mediator_url": "www.mediation-exemple.fr",
}
