"""Strings that match a regular expression, for the corpus oracles.

Both oracles (`differential.py`, the botocore differential, and `openapi_check.py`, the
OpenAPI wire check) need example values for string members constrained by a `pattern`
(Smithy and OpenAPI both use ECMAScript-flavoured regexes, which Python reads well enough for
the patterns real specs carry). `string_for_pattern` walks the parse tree of Python's own
regex parser and builds one string from it, then checks the string against the compiled
pattern: it either returns a string that matches, or None.
"""

import re

try:
    import re._parser as sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse  # type: ignore

# How many times a walk is retried when its string does not match (lookaheads, anchors in
# the middle, classes the walk only approximates).
ATTEMPTS = 30
# Unbounded or wide repeats run at most this many times past their minimum.
REPEAT_SLACK = 3
# A character range contributes at most this many characters from its start.
RANGE_SPAN = 60

# Characters each class escape stands for (a few representatives, not the whole class).
# The negated classes must not share a character with the class they negate.
CATEGORY_CHARS = {
    "DIGIT": "0123456789",
    "NOT_DIGIT": "abcXYZ-_!",
    "WORD": "abcxyzABC019_",
    "NOT_WORD": "-!.~ ",
    "SPACE": " ",
    "NOT_SPACE": "abcXYZ019-_",
    "LINEBREAK": "\n",
    "NOT_LINEBREAK": "abcXYZ019 ",
}
# What a negated set (`[^...]`) picks from, minus the characters the set names.
NEGATED_POOL = "abcdefxyzABC0123456789-_.~"
# What `.` stands for.
ANY_CHARS = "abcXYZ019"


def category_chars(category):
    """The representatives of a class escape (`\\d`, `\\W`...), from its parser constant."""
    name = str(category).upper()
    for prefix in ("CATEGORY_", "LOC_", "UNI_"):
        name = name.replace(prefix, "")
    return CATEGORY_CHARS.get(name, "a")


def string_for_pattern(pattern, rng):
    """A string matching `pattern` (searched, as `re.search` does), drawn with `rng`, or None
    when the pattern does not parse or the walk cannot produce a matching string."""
    try:
        parsed = sre_parse.parse(pattern)
        compiled = re.compile(pattern)
    except Exception:  # noqa: BLE001 - a pattern Python cannot read
        return None

    def chars_of_in(items):
        chars, negate = [], False
        for op, av in items:
            name = str(op)
            if name == "NEGATE":
                negate = True
            elif name == "LITERAL":
                chars.append(chr(av))
            elif name == "RANGE":
                lo, hi = av
                chars.extend(chr(c) for c in range(lo, min(hi, lo + RANGE_SPAN) + 1))
            elif name == "CATEGORY":
                chars.extend(category_chars(av))
        if negate:
            return [c for c in NEGATED_POOL if c not in chars] or ["~"]
        return chars or ["a"]

    def emit(seq, out, groups):
        for op, av in seq:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(av))
            elif name == "NOT_LITERAL":
                out.append("a" if chr(av) != "a" else "b")
            elif name == "ANY":
                out.append(rng.choice(ANY_CHARS))
            elif name == "IN":
                out.append(rng.choice(chars_of_in(av)))
            elif name == "CATEGORY":
                out.append(rng.choice(category_chars(av)))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                lo, hi, sub = av
                top = lo + REPEAT_SLACK if hi is sre_parse.MAXREPEAT else min(hi, lo + REPEAT_SLACK)
                # At least once when the repeat allows it: an empty match (an empty URI
                # label, an empty header) is the value other rules most often refuse.
                least = max(lo, min(1, top))
                for _ in range(rng.randint(least, max(least, top))):
                    emit(sub, out, groups)
            elif name == "SUBPATTERN":
                group, body = av[0], av[-1]
                start = len(out)
                emit(body, out, groups)
                if group is not None:
                    groups[group] = "".join(out[start:])
            elif name == "ATOMIC_GROUP":
                emit(av, out, groups)
            elif name == "BRANCH":
                emit(rng.choice(av[1]), out, groups)
            elif name == "GROUPREF":
                # A group not (yet) matched matches nothing in Python; the check below
                # decides whether the string is still good.
                out.append(groups.get(av, ""))
            elif name in ("AT", "ASSERT", "ASSERT_NOT"):
                continue
            else:
                raise ValueError(name)

    for _ in range(ATTEMPTS):
        out = []
        try:
            emit(parsed, out, {})
        except (ValueError, TypeError, RecursionError):
            return None
        text = "".join(out)
        if compiled.search(text):
            return text
    return None
