"""Splitting long texts at sentence ends for engines' length limits."""

from __future__ import annotations

from locflow.mt.split import join, split


def test_short_text_is_one_piece() -> None:
    assert split("One. Two.", 100) == ["One. Two."]


def test_sentences_are_packed_within_the_limit() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(200))
    pieces = split(text, 499)
    assert all(len(p) <= 499 for p in pieces) and len(pieces) > 5
    assert all(p.endswith(".") for p in pieces)
    assert join(pieces, "es") == text


def test_chinese_sentence_ends_and_joining_without_spaces() -> None:
    text = "第一句。第二句！第三句？" * 50
    pieces = split(text, 40)
    assert all(len(p) <= 40 for p in pieces)
    assert join(pieces, "zh") == text


def test_a_sentence_longer_than_the_limit_is_cut_at_spaces_never_in_a_placeholder() -> None:
    words = " ".join(["word"] * 100) + " [X12X]" + " tail" * 3
    pieces = split(words, 50)
    assert all(len(p) <= 50 for p in pieces)
    assert join(pieces, "en") == words
    glued = "x" * 45 + "[X12X]" + "y" * 45
    pieces = split(glued, 50)
    assert all(len(p) <= 50 for p in pieces) and "".join(pieces) == glued
    assert any("[X12X]" in p for p in pieces)
