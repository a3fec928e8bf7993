"""bench/sequences_oeis.py: without the oeissequences package it says how to install it, in one line."""

from __future__ import annotations

import sys

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
