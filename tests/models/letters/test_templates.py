"""Tests for models.letters.templates: default letters, validation, blocks, safe field filling."""

from __future__ import annotations

import pytest

from models.errors import FieldError, InputError, NotFoundError
from models.letters import templates as tp
from models.letters.kinds import LETTER_KINDS

NBSP = "\u00a0"
VALUES = tp.SAMPLE_VALUES


def _all_text(letter: tp.RenderedLetter) -> str:
    """Everything a rendered letter prints, as one string."""
    return "\n".join((letter.title, letter.subject, *letter.paragraphs, letter.closing))


def test_fields_are_documented_and_sampled() -> None:
    assert set(tp.SAMPLE_VALUES) == set(tp.FIELDS)
    assert all(desc.strip() for desc in tp.FIELDS.values())
    assert {"client", "civilite", "total_du", "date_limite", "iban", "nb_echeances"} <= set(
        tp.FIELDS
    )


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_every_default_template_validates(kind: str) -> None:
    text = tp.load_default(kind)
    assert tp.validate(text) == []
    assert text.startswith("Titre:")
    assert tp.fields_in(text) <= set(tp.FIELDS)


@pytest.mark.parametrize("kind", LETTER_KINDS)
@pytest.mark.parametrize("b2c", [False, True])
def test_every_default_template_renders(kind: str, b2c: bool) -> None:
    letter = tp.render(tp.load_default(kind), VALUES, b2c)
    assert letter.title
    assert letter.subject
    assert letter.paragraphs[0] == "Madame, Monsieur,"
    assert "agréer, Madame, Monsieur, " in letter.closing
    text = _all_text(letter)
    assert "{" not in text
    assert "}" not in text
    assert "[b2" not in text
    assert "[/b2" not in text


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_b2c_letters_never_claim_b2b_penalties_or_indemnity(kind: str) -> None:
    # CPCE L111-8: no recovery costs for a consumer; L441-10 and D441-5 concern professionals.
    text = _all_text(tp.render(tp.load_default(kind), VALUES, b2c=True)).lower()
    for forbidden in ("40 €", f"40{NBSP}€", "l441", "d441", "pénalité", "indemnité forfaitaire"):
        assert forbidden not in text, (kind, forbidden)


def test_formal_notice_b2b() -> None:
    letter = tp.render(tp.load_default("formal_notice"), VALUES, b2c=False)
    assert "MISE EN DEMEURE" in letter.title
    text = _all_text(letter)
    assert f"40{NBSP}€ par facture" in text
    assert "D441-5" in text
    assert "L441-10" in text
    assert VALUES["taux_penalites"] in text
    assert "nous vous mettons en demeure de nous régler la somme de " + VALUES["total_du"] in text
    assert "dans un délai de 8 jours à compter de la réception de la présente" in text
    assert "injonction de payer" in text
    assert "taux légal" not in text


def test_formal_notice_b2c() -> None:
    letter = tp.render(tp.load_default("formal_notice"), VALUES, b2c=True)
    assert "MISE EN DEMEURE" in letter.title
    text = _all_text(letter)
    assert "40 €" not in text
    assert f"40{NBSP}€" not in text
    assert "L441-10" not in text
    assert "intérêts au taux légal à compter de la présente mise en demeure" in text
    assert "1231-6" in text


def test_default_texts_say_what_the_brief_requires() -> None:
    def text(kind: str, b2c: bool = False) -> str:
        return _all_text(tp.render(tp.load_default(kind), VALUES, b2c))

    assert "ne pas tenir compte" in text("preventive")
    assert "probablement d'un oubli" in text("reminder_1")
    assert "de plein droit" in text("reminder_2")
    assert "D441-5" in text("reminder_2")
    assert "dernière relance amiable" in text("reminder_3")
    assert "procédure de recouvrement judiciaire" in text("reminder_3")
    plan = text("payment_plan")
    assert "3 échéances" in plan
    assert "la totalité du solde restant dû" in plan
    assert "mise en demeure" in text("payment_plan", b2c=True)
    statement = text("penalty_statement")
    assert "ne sont pas soumises à la TVA" in statement
    assert "indemnité forfaitaire" in statement
    assert "taux légal" in text("penalty_statement", b2c=True)


def test_load_default_unknown_kind() -> None:
    with pytest.raises(NotFoundError, match="inconnu"):
        tp.load_default("lettre_piegee")
    with pytest.raises(NotFoundError):
        tp.load_default("../../etc/passwd")


def test_unknown_field_is_refused_with_its_name() -> None:
    text = "Titre: Relance\n\n{civilite}\n\nMontant : {montant_faux}.\n\nSalutations."
    errors = tp.validate(text)
    assert len(errors) == 1
    assert errors[0].field == "{montant_faux}"
    assert errors[0].row == 5
    assert "inconnu" in errors[0].message
    with pytest.raises(InputError, match="montant_faux"):
        tp.render(text, VALUES, b2c=False)


def test_unknown_field_message_lists_nothing_more_than_necessary() -> None:
    errors = tp.validate("Titre: T\n\n{total_dû} {totla_du}\n\nFin.")
    messages = " ".join(str(e) for e in errors)
    assert "{totla_du}" in messages
    assert "{total_du}" in messages  # one suggestion at most
    assert "iban" not in messages  # not the whole list of fields


def test_attribute_access_is_never_evaluated() -> None:
    text = "Titre: Test\n\nA {0.__class__} B {client.__class__} C {__import__}.\n\nFin."
    errors = tp.validate(text)
    assert [e.field for e in errors] == ["{0.__class__}", "{client.__class__}", "{__import__}"]
    with pytest.raises(InputError) as raised:
        tp.render(text, VALUES, b2c=False)
    assert "<class" not in str(raised.value)


def test_values_are_inserted_literally() -> None:
    values = {**VALUES, "client": "Dupont & Fils <SARL> {0.__class__} [b2c]x[/b2c] {{ \\1"}
    letter = tp.render("Titre: Pour {client}\n\nBonjour {client}.\n\nFin.", values, b2c=False)
    assert letter.title == "Pour " + values["client"]
    assert letter.paragraphs == ("Bonjour " + values["client"] + ".",)


def test_literal_braces() -> None:
    letter = tp.render("Titre: T\n\nCode {{x}} et {{{client}}}.\n\nFin.", VALUES, b2c=False)
    assert letter.paragraphs == ("Code {x} et {Boulangerie Martin}.",)
    assert tp.fields_in("Titre: T\n\n{{x}} {client}\n\nFin.") == {"client"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("Texte {client", "{"),
        ("Texte client} fin", "}"),
        ("Texte {Client} fin", "{Client}"),
        ("Texte {} fin", "{}"),
    ],
)
def test_unbalanced_or_malformed_braces(body: str, field: str) -> None:
    errors = tp.validate(f"Titre: T\n\n{body}\n\nFin.")
    assert [e.field for e in errors] == [field]
    assert errors[0].row == 3


def test_uppercase_field_gets_a_precise_hint() -> None:
    (error,) = tp.validate("Titre: T\n\n{Client}\n\nFin.")
    assert "{client}" in error.message


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("[b2b]jamais fermé\n\nFin.", "[b2b]"),
        ("texte[/b2c]\n\nFin.", "[/b2c]"),
        ("[b2b]a[b2c]b[/b2c][/b2b]\n\nFin.", "[b2c]"),
        ("[b2b]a[/b2c]\n\nFin.", "[/b2c]"),
    ],
)
def test_bad_blocks(body: str, field: str) -> None:
    errors = tp.validate(f"Titre: T\n\n{body}")
    assert field in [e.field for e in errors]


def test_block_cannot_cross_from_title_to_body() -> None:
    errors = tp.validate("Titre: [b2b]T\n\ntexte[/b2b]\n\nFin.")
    assert {e.field for e in errors} == {"[b2b]", "[/b2b]"}


def test_header_errors() -> None:
    (missing,) = tp.validate("Relance\n\nTexte.\n\nFin.")
    assert missing.field == "Titre"
    assert missing.row == 1
    (empty,) = tp.validate("Titre:   \n\nTexte.")
    assert "vide" in empty.message
    (no_blank,) = tp.validate("Titre: T\nTexte collé.\n\nFin.")
    assert no_blank.row == 2
    (no_body,) = tp.validate("Titre: T\nObjet: O\n")
    assert "aucun paragraphe" in no_body.message
    with pytest.raises(InputError, match="Titre"):
        tp.render("Bonjour.\n\nFin.", VALUES, b2c=False)


def test_header_variants_accepted() -> None:
    text = "\ufeff\r\nTITRE : Relance\r\nobjet :  Facture {liste_factures}\r\n\r\nA.\r\n\r\nB."
    assert tp.validate(text) == []
    letter = tp.render(text, VALUES, b2c=False)
    assert letter.title == "Relance"
    assert letter.subject == "Facture " + VALUES["liste_factures"]
    assert letter.paragraphs == ("A.",)
    assert letter.closing == "B."


def test_subject_is_optional() -> None:
    letter = tp.render("Titre: T\n\nUn.\n\nDeux.", {}, b2c=True)
    assert letter == tp.RenderedLetter("T", "", ("Un.",), "Deux.")


def test_conditional_blocks_whole_paragraphs_and_inline() -> None:
    text = (
        "Titre: Relance[b2b] (professionnel)[/b2b]\n"
        "\n"
        "Payez [b2b]avec pénalités [/b2b][b2c]sans frais [/b2c]avant le {date_limite}.\n"
        "\n"
        "[b2b]Paragraphe pro.[/b2b]\n"
        "\n"
        "[b2c]\n"
        "Paragraphe particulier,\n"
        "sur deux lignes.\n"
        "\n"
        "Second paragraphe particulier.\n"
        "[/b2c]\n"
        "\n"
        "Salutations."
    )
    assert tp.validate(text) == []
    pro = tp.render(text, VALUES, b2c=False)
    assert pro.title == "Relance (professionnel)"
    assert pro.paragraphs == (
        "Payez avec pénalités avant le 1er décembre 2026.",
        "Paragraphe pro.",
    )
    assert pro.closing == "Salutations."
    private = tp.render(text, VALUES, b2c=True)
    assert private.title == "Relance"
    assert private.paragraphs == (
        "Payez sans frais avant le 1er décembre 2026.",
        "Paragraphe particulier,\nsur deux lignes.",
        "Second paragraphe particulier.",
    )


def test_removed_block_leaves_no_stray_space() -> None:
    text = "Titre: T\n\nMontant dû[b2b] hors pénalités[/b2b].\n\nFin."
    assert tp.render(text, {}, b2c=True).paragraphs == ("Montant dû.",)


def test_fields_in_by_client_kind() -> None:
    text = tp.load_default("formal_notice")
    assert {"penalites", "indemnite", "taux_penalites"} <= tp.fields_in(text)
    assert {"penalites", "indemnite", "taux_penalites"} <= tp.fields_in(text, b2c=False)
    assert not {"penalites", "indemnite", "taux_penalites"} & tp.fields_in(text, b2c=True)


def test_missing_value_only_for_fields_kept() -> None:
    text = "Titre: T\n\n[b2b]Pénalités : {penalites}.[/b2b] Total {total_du}.\n\nFin."
    values = {"total_du": "10,00 €"}
    assert tp.render(text, values, b2c=True).paragraphs == ("Total 10,00 €.",)
    with pytest.raises(InputError, match="penalites") as raised:
        tp.render(text, values, b2c=False)
    assert raised.value.errors == [
        FieldError("{penalites}", "aucune valeur fournie pour ce champ", row=3)
    ]
    with pytest.raises(InputError, match="total_du"):
        tp.render(text, {"total_du": "  "}, b2c=True)


def test_nothing_left_for_this_client_kind() -> None:
    with pytest.raises(InputError, match="particulier"):
        tp.render("Titre: T\n\n[b2b]Seulement pro.[/b2b]", {}, b2c=True)
    with pytest.raises(InputError, match="titre"):
        tp.render("Titre: [b2b]T[/b2b]\n\nA.", {}, b2c=True)


def test_invoice_formatting_helpers() -> None:
    assert tp.format_invoice_list(["FA-1", "FA-2"]) == f"n°{NBSP}FA-1, FA-2"
    assert tp.format_invoice_list([]) == ""
    assert tp.format_invoices_phrase(["FA-1"]) == f"notre facture n°{NBSP}FA-1"
    assert tp.format_invoices_phrase(["FA-1", "FA-2", "FA-3"]) == (
        f"nos factures n°{NBSP}FA-1, FA-2 et FA-3"
    )
