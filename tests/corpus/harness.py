"""The harness process of a generated crate, as both corpus oracles talk to it.

`cargo xtask corpus` builds, per crate, a harness executable (`xtask/src/corpus/harness.rs`
for the Smithy crates, `xtask/src/corpus/openapi.rs` for the OpenAPI ones) that reads one
JSON message per line on stdin and answers each with one JSON line on stdout.
"""

import json
import subprocess


class Harness:
    """A running harness. `stopped` is the exception raised when it no longer answers (each
    oracle passes its own `Mismatch`: a crash is reported against the operation)."""

    def __init__(self, exe, stopped=RuntimeError):
        self.stopped = stopped
        self.proc = subprocess.Popen(
            [exe], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )

    def call(self, message):
        """Sends `message`, returns the decoded answer (which may be an `error` answer)."""
        try:
            self.proc.stdin.write(json.dumps(message) + "\n")
            self.proc.stdin.flush()
            answer = self.proc.stdout.readline()
        except (BrokenPipeError, OSError) as e:
            raise self.stopped(f"the harness stopped: {e}") from e
        if not answer:
            raise self.stopped(f"the harness stopped without answering (status {self.proc.poll()})")
        return json.loads(answer)

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a harness that will not stop is killed
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
