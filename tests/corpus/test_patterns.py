"""Tests of `patterns.string_for_pattern`, the string generator both corpus oracles use.

`cargo xtask corpus` runs them with each oracle's self-test (`test_differential` and
`test_openapi_check` import the test case), and on their own:
`python -m unittest test_patterns` in this directory."""

import random
import re
import sys
import unittest

from patterns import string_for_pattern


def samples(pattern, seeds=range(25)):
    return [string_for_pattern(pattern, random.Random(seed)) for seed in seeds]


class StringForPattern(unittest.TestCase):
    def assert_all_match(self, pattern, seeds=range(25)):
        values = samples(pattern, seeds)
        for value in values:
            self.assertIsNotNone(value, pattern)
            self.assertTrue(re.search(pattern, value), (pattern, value))
        return values

    def test_spec_like_patterns(self):
        for pattern in [
            r"^[0-9a-f]{8}-[0-9a-f]{4}$",
            r"^(arn:aws:[a-z]+:)?[A-Za-z0-9_/-]{1,20}$",
            r"^[a-zA-Z0-9](-*[a-zA-Z0-9])*$",
            r"^[\w.+-]+@[\w-]+\.[a-z]{2,}$",
            r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$",
            r"^(?:sg|vpc)-[0-9a-f]{8,17}$",
            r"[a-z]",  # unanchored: searched, not matched whole
        ]:
            self.assert_all_match(pattern)

    def test_lookahead_is_honoured(self):
        pattern = r"^(?![0-9]+$)[a-z0-9][a-z0-9-]*[a-z0-9]$"
        for text in self.assert_all_match(pattern):
            self.assertIsNone(re.fullmatch(r"[0-9]+", text), text)

    def test_class_escapes_and_their_negations(self):
        # Outside and inside a set; negated escapes must not produce the characters they
        # exclude (`_` is a word character, ` ` a space).
        for pattern in [
            r"^\d+$", r"^\D+$", r"^\w+$", r"^\W+$", r"^\s$", r"^\S+$",
            r"^[\d]+$", r"^[\D]+$", r"^[\W]+$", r"^[\S]+$", r"^[^\W]+$", r"^[^\d\s]+$",
        ]:
            self.assert_all_match(pattern)

    def test_negated_sets_avoid_their_characters(self):
        for text in self.assert_all_match(r"^[^a-z0-9]+$"):
            self.assertFalse(any(c.isalnum() and c.islower() or c.isdigit() for c in text), text)

    def test_repeats_are_capped_and_not_empty_when_they_may_be(self):
        for text in self.assert_all_match(r"^[a-z]*$"):
            self.assertTrue(1 <= len(text) <= 3, text)
        for text in self.assert_all_match(r"^[a-z]{2,}$"):
            self.assertTrue(2 <= len(text) <= 5, text)
        self.assertEqual(set(samples(r"^x{5}$")), {"xxxxx"})
        self.assertEqual(set(samples(r"^a{0}b$")), {"b"})
        for text in self.assert_all_match(r"^[0-9]{1,1000}$"):
            self.assertTrue(1 <= len(text) <= 4, text)

    def test_branches_are_all_reached(self):
        self.assertEqual(set(samples(r"^(red|green|blue)$", range(60))), {"red", "green", "blue"})

    def test_backreferences_repeat_the_group(self):
        for text in self.assert_all_match(r"^(ab|cd)-\1$"):
            self.assertIn(text, ("ab-ab", "cd-cd"))

    @unittest.skipIf(sys.version_info < (3, 11), "atomic groups need Python 3.11")
    def test_atomic_groups(self):
        self.assert_all_match(r"^(?>ab|c)d$")

    def test_deterministic_for_a_seed(self):
        pattern = r"^[A-Za-z0-9._-]{3,12}$"
        self.assertEqual(samples(pattern), samples(pattern))
        self.assertGreater(len(set(samples(pattern))), 1)

    def test_none_when_no_string_can_be_made(self):
        self.assertIsNone(string_for_pattern(r"(?P<x>a)(?P=x)\1[", random.Random(0)))  # unreadable
        self.assertIsNone(string_for_pattern(r"[", random.Random(0)))
        self.assertIsNone(string_for_pattern(r"^(?=x)y$", random.Random(0)))  # unsatisfiable


if __name__ == "__main__":
    unittest.main()
