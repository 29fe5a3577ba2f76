"""Self-test of the differential's own comparisons (run by `cargo xtask corpus` before it
checks anything): each difference the corpus check relies on is reported."""

import datetime
import re
import unittest

import botocore.model

import differential as d
from test_harness import HarnessProcess  # noqa: F401 - run with this self-test
from test_patterns import StringForPattern  # noqa: F401 - run with this self-test

SERVICE = botocore.model.ServiceModel(
    {
        "metadata": {
            "apiVersion": "2020-01-01",
            "protocol": "rest-json",
            "serviceId": "Example",
            "endpointPrefix": "example",
            "signatureVersion": "v4",
        },
        "operations": {
            "GetThing": {
                "name": "GetThing",
                "http": {"method": "GET", "requestUri": "/things/{id}"},
                "input": {"shape": "GetThingInput"},
                "output": {"shape": "GetThingOutput"},
            }
        },
        "shapes": {
            "GetThingInput": {
                "type": "structure",
                "required": ["id"],
                "members": {
                    "id": {"shape": "Id", "location": "uri", "locationName": "id"},
                    "since": {"shape": "Time", "location": "querystring", "locationName": "since"},
                    "token": {
                        "shape": "Id",
                        "location": "header",
                        "locationName": "x-token",
                        "idempotencyToken": True,
                    },
                },
            },
            "GetThingOutput": {
                "type": "structure",
                "members": {"at": {"shape": "Time"}, "data": {"shape": "Data"}},
            },
            "Id": {"type": "string", "min": 3, "max": 8, "pattern": "^[a-z]+[0-9]{2}$"},
            "Time": {"type": "timestamp"},
            "Data": {"type": "blob"},
        },
    },
    service_name="example",
)
OP = SERVICE.operation_model("GetThing")


def ours(**overrides):
    request = {
        "method": "GET",
        "uri": "https://example.com/things/ab12?since=2024-01-01T00%3A00%3A00Z",
        "headers": [["x-token", "0b7e5c1a-2f9d-4c1e-8a57-3f1b2c3d4e5f"]],
        "body": None,
    }
    request.update(overrides)
    return request


def theirs(**overrides):
    request = {
        "method": "GET",
        "url": "https://example.com/things/ab12?since=2024-01-01T00%3A00%3A00Z",
        "headers": [("x-token", "9f0a1b2c-3d4e-4f50-8a1b-2c3d4e5f6a7b"), ("user-agent", "x")],
        "body": b"",
    }
    request.update(overrides)
    return request


class Comparisons(unittest.TestCase):
    def test_equal_requests_pass_and_unset_tokens_only_need_to_be_uuids(self):
        d.compare_requests(OP, ours(), theirs(), {"token"})
        with self.assertRaisesRegex(d.Mismatch, "header x-token"):
            d.compare_requests(OP, ours(), theirs(), set())
        with self.assertRaisesRegex(d.Mismatch, "header x-token"):
            d.compare_requests(OP, ours(headers=[["x-token", "not-a-uuid"]]), theirs(), {"token"})

    def test_each_part_of_a_request_is_compared(self):
        with self.assertRaisesRegex(d.Mismatch, "method"):
            d.compare_requests(OP, ours(method="POST"), theirs(), {"token"})
        with self.assertRaisesRegex(d.Mismatch, "host"):
            d.compare_requests(
                OP, ours(uri="https://x.example.com/things/ab12?since=2024-01-01T00%3A00%3A00Z"),
                theirs(), {"token"},
            )
        with self.assertRaisesRegex(d.Mismatch, "path"):
            d.compare_requests(
                OP, ours(uri="https://example.com/things/ab13?since=2024-01-01T00%3A00%3A00Z"),
                theirs(), {"token"},
            )
        with self.assertRaisesRegex(d.Mismatch, "query"):
            d.compare_requests(
                OP, ours(uri="https://example.com/things/ab12?since=2024-01-02T00%3A00%3A00Z"),
                theirs(), {"token"},
            )
        with self.assertRaisesRegex(d.Mismatch, "body"):
            d.compare_requests(OP, ours(body={"json": {}}), theirs(), {"token"})
        with self.assertRaisesRegex(d.Mismatch, r"body\.a"):
            d.compare_requests(
                OP, ours(body={"json": {"a": 1}}), theirs(body=b'{"a": 2}'), {"token"}
            )

    def test_timestamps_in_the_query_compare_as_instants(self):
        d.compare_requests(
            OP, ours(uri="https://example.com/things/ab12?since=2024-01-01T00%3A00%3A00.000Z"),
            theirs(), {"token"},
        )

    def test_percent_escapes_compare_case_insensitively(self):
        d.compare_requests(
            OP, ours(uri="https://example.com/things/a%2fb?since=2024-01-01T00%3A00%3A00Z"),
            theirs(url="https://example.com/things/a%2Fb?since=2024-01-01T00%3A00%3A00Z"),
            {"token"},
        )

    def test_values(self):
        self.assertIsNone(d.first_difference({"a": [1, 2.5]}, {"a": [1, 2.5]}, "x"))
        self.assertIn("x.a[1]", d.first_difference({"a": [1, 2.5]}, {"a": [1, 2.0]}, "x"))
        self.assertIn("ours missing", d.first_difference({"a": 1}, {}, "x"))
        self.assertIn("botocore missing", d.first_difference({}, {"a": 1}, "x"))
        self.assertIn("x", d.first_difference(True, 1, "x"))
        self.assertIsNone(d.first_difference(1700000000.123, 1700000000.12300001, "x"))
        self.assertIn("x", d.first_difference(1700000000.123, 1700000000.124, "x"))

    def test_outputs_normalise_timestamps_and_blobs(self):
        out = OP.output_shape
        at = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
        self.assertEqual(
            d.normalise_output(out, {"at": at, "data": b"\x00\xff"}),
            {"at": at.timestamp(), "data": "AP8="},
        )

    def test_generated_strings_respect_patterns_and_lengths(self):
        shape = OP.input_shape.members["id"]
        for seed in range(20):
            value = d.Gen(seed, "all", seed % 3).string(shape, "uri")
            self.assertTrue(re.search("^[a-z]+[0-9]{2}$", value), value)
            self.assertTrue(3 <= len(value) <= 8, value)

    def test_prune_keeps_the_members_both_models_have(self):
        out = OP.output_shape
        mask = {"members": {"at": {}}}
        self.assertEqual(d.prune(out, {"at": 1.5, "data": "AP8="}, mask), {"at": 1.5})
        self.assertEqual(d.prune(out, {"at": 1.5}, {"members": {}}), {})
        # No mask (a kind the walk does not descend into): the value as is.
        self.assertEqual(d.prune(out, {"at": 1.5, "data": "x"}, {}), {"at": 1.5, "data": "x"})
        inp = OP.input_shape
        enum_mask = {"members": {"id": {"enum": ["ab12"]}}}
        self.assertEqual(d.prune(inp, {"id": "zz99"}, enum_mask, fix_enums=True), {"id": "ab12"})
        self.assertEqual(d.prune(inp, {"id": "zz99"}, enum_mask), {"id": "zz99"})

    def test_a_harness_request_compares_like_a_botocore_one(self):
        official = ours(headers=[["x-token", "9f0a1b2c-3d4e-4f50-8a1b-2c3d4e5f6a7b"]])
        d.compare_requests(OP, ours(), d.as_sent(official), {"token"}, who="official")
        with self.assertRaisesRegex(d.Mismatch, "body: official sends"):
            d.compare_requests(
                OP, ours(), d.as_sent(dict(official, body={"json": {"a": 1}})), {"token"},
                who="official",
            )


if __name__ == "__main__":
    unittest.main()
