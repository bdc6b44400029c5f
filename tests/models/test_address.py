"""Window-envelope address lines (La Poste NF Z 10-011)."""

from hypothesis import given
from hypothesis import strategies as st

from models.address import MAX_CHARS, MAX_LINES, postal_lines, strip_accents


def test_full_french_address_in_the_standard_order():
    lines = postal_lines(
        "Boulangerie Martin",
        "Mme Claire Martin",
        "Bât. B, Résidence les Tilleuls",
        "12, rue de la République",
        "B.P. 45",
        "45000",
        "Orléans",
    )
    assert lines == (
        "Boulangerie Martin",
        "Mme Claire Martin",
        "Bât. B, Résidence les Tilleuls",  # lines 1-3 keep their punctuation
        "12 rue de la République",  # no punctuation from line 4 on
        "BP 45",
        "45000 ORLEANS",
    )


def test_town_in_capitals_without_accents_keeps_hyphens():
    assert (
        postal_lines(
            "Garage des Deux Ponts", "", "", "3 place Jean Jaurès", "", "42000", "Saint-Étienne"
        )[-1]
        == "42000 SAINT-ETIENNE"
    )
    assert (
        postal_lines(
            "SCI Les Tilleuls",
            "",
            "",
            "8 chemin du Moulin",
            "",
            "91250",
            "Saint-Germain-lès-Corbeil",
        )[-1]
        == "91250 SAINT-GERMAIN-LES-CORBEIL"
    )


def test_apostrophes_become_spaces_from_line_4_on():
    lines = postal_lines(
        "Mairie", "", "", "1, place de l'Hôtel-de-Ville", "", "94240", "L'Haÿ-les-Roses"
    )
    assert lines == ("Mairie", "1 place de l Hôtel-de-Ville", "94240 L HAY-LES-ROSES")


def test_empty_lines_are_skipped_and_spaces_collapsed():
    lines = postal_lines(
        "  Imprimerie   Rousseau ", "", "  ", "5 rue\tVictor Hugo", "", "69002", "Lyon"
    )
    assert lines == ("Imprimerie Rousseau", "5 rue Victor Hugo", "69002 LYON")


def test_cedex_and_spaced_postal_code():
    lines = postal_lines("Cabinet Lefèvre", "", "", "", "CS 70012", "75 011", "Paris Cedex 11")
    assert lines == ("Cabinet Lefèvre", "CS 70012", "75011 PARIS CEDEX 11")


def test_abroad_adds_the_country_in_capitals():
    lines = postal_lines(
        "Dupont & Fils <SARL>",
        "Service comptabilité",
        "",
        "Rue Neuve 12",
        "",
        "1000",
        "Bruxelles",
        "Belgique",
    )
    assert lines == (
        "Dupont & Fils <SARL>",
        "Service comptabilité",
        "Rue Neuve 12",
        "1000 BRUXELLES",
        "BELGIQUE",
    )


def test_france_as_country_is_not_printed():
    lines = postal_lines(
        "Hôtel du Lac", "", "", "2 quai Napoléon III", "", "74000", "Annecy", "France"
    )
    assert lines[-1] == "74000 ANNECY"


def test_seven_lines_drop_the_building_first():
    lines = postal_lines(
        "Hôtel du Lac d'Annecy",
        "M. Paul Girard, directeur",
        "Bâtiment A",
        "2 quai Napoléon",
        "Sévrier",
        "74320",
        "Sévrier",
        "Suisse",
    )
    assert lines == (
        "Hôtel du Lac d'Annecy",
        "M. Paul Girard, directeur",
        "2 quai Napoléon",
        "Sévrier",
        "74320 SEVRIER",
        "SUISSE",
    )


def test_long_name_wraps_at_a_word_boundary_never_cut():
    name = "Société Coopérative Ouvrière de Production des Artisans du Bâtiment"
    lines = postal_lines(name, "", "", "3 av. Foch", "", "13100", "Aix-en-Provence")
    assert all(len(line) <= MAX_CHARS for line in lines)
    assert f"{lines[0]} {lines[1]}" == name  # the whole name, on two lines
    assert lines[2:] == ("3 av Foch", "13100 AIX-EN-PROVENCE")


def test_long_address_keeps_name_street_and_town_whole():
    lines = postal_lines(
        "Société Coopérative Ouvrière de Production des Menuisiers et Charpentiers du Val",
        "À l'attention du service de la comptabilité fournisseurs",
        "Zone d'activités intercommunale des Grands Champs",
        "1247 avenue du Maréchal de Lattre de Tassigny prolongée",
        "",
        "45160",
        "Saint-Hilaire-Saint-Mesmin-sur-Loiret",
    )
    assert len(lines) == 6
    assert " ".join(lines[:3]) == (
        "Société Coopérative Ouvrière de Production des Menuisiers et Charpentiers du Val"
    )
    assert " ".join(lines[3:5]) == "1247 av du Maréchal de Lattre de Tassigny prolongée"
    assert lines[5] == "45160 ST-HILAIRE-ST-MESMIN-SUR-LOIRET"


def test_long_word_without_space_is_split_hard():
    name = "X" * 50
    assert postal_lines(name, "", "", "", "", "75001", "Paris")[:2] == ("X" * MAX_CHARS, "X" * 12)


def test_a_line_of_dashes_never_prints_empty():
    assert postal_lines("-" * 50, "", "", ",;", "", "75001", "Paris") == ("75001 PARIS",)


def test_too_long_street_uses_la_poste_abbreviations():
    lines = postal_lines(
        "SCOP Artisans",
        "",
        "",
        "148, boulevard du Faubourg Saint-Antoine prolongé",
        "",
        "75011",
        "Paris",
    )
    assert lines[1] == "148 bd du Fg Saint-Antoine prolongé"
    # A street that fits keeps its words.
    assert postal_lines("A", "", "", "12 avenue Foch", "", "75016", "Paris")[1] == "12 avenue Foch"


def test_strip_accents_handles_ligatures():
    assert strip_accents("Œuvre Cœur Ærø Noël") == "OEuvre Coeur AEro Noel"


printable = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)


@given(st.lists(printable, min_size=8, max_size=8))
def test_any_input_fits_six_lines_of_38_characters(fields):
    lines = postal_lines(*fields)
    assert len(lines) <= MAX_LINES
    assert all(0 < len(line) <= MAX_CHARS for line in lines)
    assert all(line == line.strip() for line in lines)
