"""Tests of `harness.Harness`, the harness process both corpus oracles talk to (run with each
oracle's self-test, which imports the test case, and on their own)."""

import shutil
import unittest

from harness import Harness


class Stopped(Exception):
    pass


@unittest.skipUnless(shutil.which("cat") and shutil.which("true"), "needs cat and true")
class HarnessProcess(unittest.TestCase):
    def test_a_message_and_its_answer_are_json_lines(self):
        h = Harness(shutil.which("cat"), Stopped)  # answers each line with itself
        try:
            self.assertEqual(h.call({"op": "GetThing", "request": {"id": "é"}}), {"op": "GetThing", "request": {"id": "é"}})
            self.assertEqual(h.call({"error": "refused"}), {"error": "refused"})
        finally:
            h.close()
        self.assertEqual(h.proc.returncode, 0)

    def test_a_stopped_harness_raises_the_given_exception(self):
        h = Harness(shutil.which("true"), Stopped)  # exits at once
        h.proc.wait(timeout=10)
        with self.assertRaisesRegex(Stopped, "the harness stopped"):
            h.call({"op": "GetThing"})
        h.close()


if __name__ == "__main__":
    unittest.main()
