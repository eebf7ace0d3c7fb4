"""The chart library: SVG without script, one image with a label, and the table of its values."""

import re

from oncolien.web import charts


def test_bars_give_an_svg_image_and_the_table_of_the_same_values():
    chart = charts.bars(
        "Besoins par soin", ["Diététique", "Activité physique"], {"Patients": [12, 3.5]}
    )
    assert chart.svg.startswith('<svg role="img" aria-label="Graphique : Besoins par soin.')
    assert "<script" not in chart.svg and "Generated with pygal" not in chart.svg
    assert chart.header == ["", "Patients"]
    assert chart.rows == [["Diététique", "12"], ["Activité physique", "3,5"]]
    # Both bars are drawn.
    assert len(re.findall(r'class="rect reactive tooltip-trigger"', chart.svg)) == 2


def test_a_radar_says_which_axes_are_unrated():
    chart = charts.radar("Radar", ["Délai", "Coûts"], {"Pratique": [3, None]}, maximum=4)
    assert chart.rows == [["Délai", "3 sur 4"], ["Coûts", "non évalué"]]


def test_the_same_figures_give_the_same_svg_and_other_figures_another():
    one = charts.line("Score", ["01/12", "02/12"], {"Score": [2, 4]}, maximum=10)
    two = charts.line("Score", ["01/12", "02/12"], {"Score": [2, 4]}, maximum=10)
    other = charts.line("Score", ["01/12", "02/12"], {"Score": [2, 5]}, maximum=10)
    assert one.svg == two.svg != other.svg


def test_bars_of_nothing_but_zeros_say_there_is_no_data_and_keep_the_table():
    chart = charts.bars("Actes", ["Bilan", "Suivi"], {"Prescrits": [0, 0], "Réalisés": [0, None]})
    assert "Aucune donnée" in chart.svg
    assert chart.rows == [["Bilan", "0", "0"], ["Suivi", "0", "—"]]
