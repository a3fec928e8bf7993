"""bench/sequences_oeis.py: without the oeissequences package it says how to install it, in one line."""

from __future__ import annotations

import json
import sys
import threading
from types import SimpleNamespace

from helpers import load_bench_script


def test_missing_package_gives_one_line_and_exit_2(monkeypatch, capsys):
    bench = load_bench_script("sequences_oeis")
    monkeypatch.setitem(sys.modules, "oeis_sequences", None)  # import raises ImportError
    assert bench.main(["--sample", "1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("bench/sequences_oeis.py needs the oeissequences package (for this benchmark only, "
                            "not a mathteam dependency): pip install oeissequences\n")


def test_terms_are_read_from_a_term_function_or_a_generator():
    bench = load_bench_script("sequences_oeis")

    def squares_from_1(n):
        if n < 1:
            raise ValueError("offset 1")
        return n * n

    def naturals():
        value = 0
        while True:
            yield value
            value += 1

    assert bench.first_terms("term", squares_from_1, 4) == (1, [1, 4, 9, 16])
    assert bench.first_terms("gen", naturals, 3) == (0, [0, 1, 2])


def test_a_data_section_shows_the_terms_whose_text_fits():
    bench = load_bench_script("sequences_oeis")
    assert bench.data_section_length([1, 22, 333], characters=4) == 2  # "1,22" fits, "1,22,333" does not
    assert bench.data_section_length([1, 22, 333], characters=8) == 3
    assert bench.data_section_length([0, 1] * 100) == 130  # 0/1 values: two characters a term
    assert bench.data_section_length([10**300]) == 0


def test_the_data_section_protocol_computes_longer_lists_and_keeps_the_held_out_terms_after_them(tmp_path):
    bench = load_bench_script("sequences_oeis")
    args = SimpleNamespace(given=24, held_out=16, data_section=260, data_seconds=30.0)

    def parity(n):
        return n % 2

    shown, terms = bench.data_section_terms("A000035", "term", parity, [n % 2 for n in range(40)], args, tmp_path)
    assert shown == 130  # "0,1,0,1,..." holds 130 terms in 260 characters
    assert terms == [n % 2 for n in range(146)]
    assert json.loads((tmp_path / "A000035.json").read_text())["terms"][:146] == terms  # cached

    def powers(n):
        return 10**n

    # Long terms: the section holds fewer than --given, so the protocol shows --given, as by default.
    shown, terms = bench.data_section_terms("A011557", "term", powers, [10**n for n in range(40)], args, tmp_path)
    assert (shown, len(terms)) == (24, 40)


def test_the_data_section_protocol_falls_back_to_given_terms_when_the_longer_list_is_too_slow(tmp_path):
    bench = load_bench_script("sequences_oeis")
    args = SimpleNamespace(given=24, held_out=16, data_section=260, data_seconds=0.5)
    release = threading.Event()

    def stuck_after_40(n):
        if n >= 40:
            release.wait(60)  # the child is killed when data_seconds run out
        return 1

    assert bench.data_section_terms("A000012", "term", stuck_after_40, [1] * 40, args, tmp_path) is None
