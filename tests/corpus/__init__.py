"""Labelled detection corpus: a generator of realistic marked and unmarked items and its scorer."""
