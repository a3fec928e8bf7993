"""Duality in Lean: `A → B` from the mirror-image theorem `A' → B'` at the opposite magma."""

from __future__ import annotations

import pytest

from mathteam.domains.magma.laws import etp_law
from mathteam.domains.magma.lean_duality import duality_theorem


def test_dual_claim_is_applied_at_the_opposite_magma_with_renamed_instances():
    # Equation13 (x = y ◇ (x ◇ x)) read in the opposite magma is Equation24 (x = (x ◇ x) ◇ y);
    # Equation10 (x = x ◇ (y ◇ x)) read there is Equation25 (x = (x ◇ y) ◇ x).
    text = duality_theorem("Equation24", etp_law(24), "Equation25", etp_law(25),
                           "Equation13", etp_law(13), "Equation10", etp_law(10))
    assert text == (
        "theorem Equation24_implies_Equation25 (G : Type) [Magma G] (h : Equation24 G) : Equation25 G :=\n"
        "  have hdual := @Equation13_implies_Equation10 G ⟨fun p q => Magma.op q p⟩ (fun x y => h x y)\n"
        "  fun x y => hdual x y\n")


def test_variables_are_renamed_where_the_mirror_reorders_them():
    # Equation42 (x ◇ y = x ◇ z) read in the opposite magma is y ◇ x = z ◇ x: Equation45
    # (x ◇ y = z ◇ y) once x and y trade places.
    text = duality_theorem("Equation39", etp_law(39), "Equation45", etp_law(45),
                           "Equation38", etp_law(38), "Equation42", etp_law(42))
    assert text.endswith("(fun x y => h x y)\n  fun x y z => hdual y x z\n")


def test_a_pair_that_is_not_the_mirror_image_is_refused():
    with pytest.raises(ValueError, match="not the mirror image"):
        duality_theorem("Equation24", etp_law(24), "Equation25", etp_law(25),
                        "Equation13", etp_law(13), "Equation16", etp_law(16))
