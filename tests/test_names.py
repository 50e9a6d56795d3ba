"""io.names: one rule for unique names, and file-safe stems of user names."""
from __future__ import annotations

from renette_widgets.io.names import safe_name, unique_name


def test_unique_name_from_a_collection_or_a_predicate():
    assert unique_name("net", set()) == "net"
    assert unique_name("net", {"net", "net_2"}) == "net_3"
    assert unique_name("net", lambda n: n in ("net",)) == "net_2"


def test_safe_name_is_file_safe_and_unique_ignoring_case():
    taken: set[str] = set()
    assert safe_name("../../etc/passwd", taken) == "etc_passwd"
    assert safe_name("Data set (1).csv", taken) == "Data_set_1_.csv"
    assert safe_name("data_set_1_.CSV", taken) == "data_set_1_.CSV_2"
    assert safe_name("..", taken) == "input"
    assert len(safe_name("x" * 300)) == 80
