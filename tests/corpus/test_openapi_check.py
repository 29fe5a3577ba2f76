"""Self-test of the OpenAPI checker (run by `cargo xtask corpus` before it checks anything,
and by pytest): generated values follow their schemas, and each difference the check relies
on is reported."""

import base64
import random
import unittest

import openapi_check as c
from test_harness import HarnessProcess  # noqa: F401 - run with this self-test
from test_patterns import StringForPattern  # noqa: F401 - run with this self-test

DOC = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "put": {
                "operationId": "put_thing",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "uint32"}},
                    {"name": "x-trace", "in": "header", "schema": {"type": "string"}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    },
                    "4XX": {
                        "description": "client error",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                },
            },
        }
    },
    "components": {
        "schemas": {
            "Name": {"type": "string", "pattern": "^(?![0-9]+$)[a-z][a-z0-9-]*[a-z0-9]$", "maxLength": 63},
            "Thing": {
                "type": "object",
                "required": ["name", "kind", "size"],
                "properties": {
                    "name": {"$ref": "#/components/schemas/Name"},
                    "id": {"type": "string", "format": "uuid", "readOnly": True},
                    "kind": {"type": "string", "enum": ["a", "b-c"]},
                    "size": {"type": "integer", "format": "uint8", "minimum": 1},
                    "ratio": {"type": "number", "format": "float", "maximum": 1, "minimum": 0},
                    "at": {"type": "string", "format": "date-time"},
                    "day": {"type": "string", "format": "date"},
                    "addr": {"type": "string", "format": "ip"},
                    "data": {"type": "string", "format": "byte"},
                    "note": {"type": "string", "nullable": True, "minLength": 2, "maxLength": 4},
                    "parent": {"nullable": True, "allOf": [{"$ref": "#/components/schemas/Thing"}]},
                    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3, "uniqueItems": True},
                    "labels": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "shape": {"$ref": "#/components/schemas/Shape"},
                },
            },
            "Shape": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["type", "radius"],
                        "properties": {"type": {"type": "string", "enum": ["circle"]}, "radius": {"type": "number"}},
                    },
                    {
                        "type": "object",
                        "required": ["type", "side"],
                        "properties": {"type": {"type": "string", "enum": ["square"]}, "side": {"type": "integer"}},
                    },
                    {"type": "string", "enum": ["dot"]},
                ]
            },
            "Error": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
        }
    },
}
SPEC = c.Spec(DOC)
THING = {"$ref": "#/components/schemas/Thing"}


class Generation(unittest.TestCase):
    def test_values_follow_their_schemas(self):
        for mode in ("required", "all", "mixed"):
            for direction in ("request", "response"):
                for seed in range(25):
                    gen = c.Generator(SPEC, random.Random(seed), direction, mode)
                    v = gen.value(THING)
                    self.assertEqual(c.schema_errors(SPEC, THING, v), [], (mode, direction, seed, v))

    def test_modes_decide_optional_members(self):
        v = c.Generator(SPEC, random.Random(3), "request", "required").value(THING)
        self.assertEqual(set(v), {"name", "kind", "size"})
        v = c.Generator(SPEC, random.Random(3), "response", "all").value(THING)
        self.assertTrue({"id", "ratio", "at", "day", "addr", "data", "tags", "labels", "shape"} <= set(v), v)

    def test_read_only_members_stay_out_of_requests(self):
        for seed in range(10):
            v = c.Generator(SPEC, random.Random(seed), "request", "all").value(THING)
            self.assertNotIn("id", v)

    def test_generation_is_deterministic(self):
        a = c.Generator(SPEC, random.Random(7), "request", "mixed").value(THING)
        b = c.Generator(SPEC, random.Random(7), "request", "mixed").value(THING)
        self.assertEqual(a, b)

    def test_one_of_values_match_exactly_one_branch(self):
        shape = {"$ref": "#/components/schemas/Shape"}
        seen = set()
        for seed in range(30):
            v = c.Generator(SPEC, random.Random(seed), "response", "all").value(shape)
            seen.add(v if isinstance(v, str) else v["type"])
            self.assertEqual(c.schema_errors(SPEC, shape, v), [], v)
        self.assertEqual(seen, {"circle", "square", "dot"})

    def test_nullable_wrappers_never_give_null(self):
        # openapi-core refuses null for a nullable allOf wrapper: the generator must not send it.
        parent = DOC["components"]["schemas"]["Thing"]["properties"]["parent"]
        self.assertFalse(c.may_be_null(SPEC, parent))
        self.assertTrue(c.may_be_null(SPEC, {"type": "string", "nullable": True}))


class Comparison(unittest.TestCase):
    def diff(self, sent, got, schema=THING):
        return c.compare(SPEC, schema, sent, got)

    def test_equal_values(self):
        base = {"name": "ab", "kind": "a", "size": 3}
        self.assertIsNone(self.diff(base, dict(base)))
        # Numbers by value, date-times as instants, null and absent alike.
        self.assertIsNone(self.diff({**base, "ratio": 0.5}, {**base, "ratio": 0.5000000001}))
        self.assertIsNone(self.diff({**base, "size": 3}, {**base, "size": 3.0}))
        self.assertIsNone(
            self.diff({**base, "at": "2024-01-01T02:00:00+02:00"}, {**base, "at": "2024-01-01T00:00:00Z"})
        )
        self.assertIsNone(self.diff({**base, "note": None}, base))
        # A member left out may come back as its schema default.
        with_default = {"type": "object", "properties": {"n": {"type": "integer", "default": 3}}}
        self.assertIsNone(c.compare(SPEC, with_default, {}, {"n": 3}))
        self.assertIsNotNone(c.compare(SPEC, with_default, {}, {"n": 4}))
        self.assertIsNone(self.diff({**base, "addr": "::1"}, {**base, "addr": "0:0::0:1"}))
        self.assertIsNone(self.diff({**base, "data": base64.b64encode(b"\x00\x01").decode()}, {**base, "data": "AAE="}))
        self.assertIsNone(self.diff({**base, "shape": {"type": "square", "side": 2}}, {**base, "shape": {"type": "square", "side": 2}}))

    def test_differences(self):
        base = {"name": "ab", "kind": "a", "size": 3}
        self.assertIn("$.kind", self.diff(base, {**base, "kind": "b-c"}))
        self.assertIn("$.size", self.diff(base, {**base, "size": 4}))
        self.assertIn("$.at", self.diff({**base, "at": "2024-01-01T00:00:00Z"}, {**base, "at": "2024-01-01T00:00:01Z"}))
        self.assertIn("$.extra", self.diff(base, {**base, "extra": 1}))
        self.assertIn("$.name", self.diff(base, {"kind": "a", "size": 3}))
        self.assertIn("2 items sent, 1 decoded", self.diff({**base, "tags": ["a", "b"]}, {**base, "tags": ["a"]}))
        self.assertIn("$.labels.x", self.diff({**base, "labels": {"x": 1}}, {**base, "labels": {"x": 2}}))
        self.assertIn("$.ratio", self.diff({**base, "ratio": 0.5}, {**base, "ratio": 0.6}))
        self.assertIsNotNone(self.diff({**base, "data": "AAE="}, {**base, "data": "AAI="}))
        self.assertIsNotNone(self.diff({**base, "shape": "dot"}, {**base, "shape": {"type": "circle", "radius": 1}}))

    def test_decoded_python_values(self):
        # openapi-core hands back datetime, UUID and bytes objects for formatted strings.
        import datetime
        import uuid

        u = "5c1b7a52-6f0e-4a57-9a4a-0c2f3d9c7c01"
        self.assertIsNone(c.compare(SPEC, {"type": "string", "format": "uuid"}, u, uuid.UUID(u)))
        t = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
        self.assertIsNone(c.compare(SPEC, {"type": "string", "format": "date-time"}, "2024-01-01T00:00:00Z", t))
        self.assertIsNotNone(c.compare(SPEC, {"type": "string", "format": "date-time"}, "2024-01-01T00:00:01Z", t))
        self.assertIsNone(c.compare(SPEC, {"type": "string", "format": "byte"}, "AAE=", b"\x00\x01"))
        self.assertIsNone(c.compare(SPEC, {"type": "string", "format": "byte"}, "JA==", "$"))
        self.assertIsNotNone(c.compare(SPEC, {"type": "string", "format": "byte"}, "JA==", "%"))


PLAN = {
    "name": "put_thing",
    "method": "PUT",
    "path": "/things/{id}",
    "success_status": None,
    "upgrade": False,
    "members": [
        {"member": "id", "name": "id", "location": "path", "media_type": None},
        {"member": "limit", "name": "limit", "location": "query", "media_type": None},
        {"member": "x-trace", "name": "x-trace", "location": "header", "media_type": None},
        {"member": "body", "name": "body", "location": "payload", "media_type": "application/json"},
    ],
    "output": {"kind": "type"},
    "errors": [{"variant": "ClientError", "status": "4XX"}],
}


class Media(unittest.TestCase):
    def test_media_types_match_by_type_and_subtype(self):
        declared = ["application/json; charset=utf-8", "text/plain"]
        self.assertEqual(c.declared_media("application/json", declared), declared[0])
        self.assertEqual(c.declared_media("Application/JSON", declared), declared[0])
        self.assertEqual(c.declared_media("text/plain", declared), "text/plain")
        self.assertEqual(c.declared_media("application/xml", declared), "application/xml")
        # Ambiguous: left as sent.
        two = ["application/json; a=1", "application/json; a=2"]
        self.assertEqual(c.declared_media("application/json", two), "application/json")


class Lookup(unittest.TestCase):
    def test_operations_by_id_then_by_path(self):
        doc = {
            "servers": [{"url": "https://{h}/api/v1/", "variables": {"h": {"default": "x.example.com"}}}],
            "paths": {
                "/a": {"get": {"operationId": "get_a"}, "post": {}},
                "/b/{id}": {"put": {}},
            },
        }
        spec = c.Spec(doc)
        self.assertEqual(spec.server_base(), "/api/v1")
        self.assertEqual(spec.operation("get_a", "GET", "/elsewhere")[1], {"operationId": "get_a"})
        self.assertEqual(spec.operation("post_a", "POST", "/a")[1], {})
        self.assertIs(spec.operation("put_b_id", "PUT", "/api/v1/b/{id}")[0], doc["paths"]["/b/{id}"])
        with self.assertRaises(c.CheckerError):
            spec.operation("nothing", "DELETE", "/a")
        self.assertEqual(c.Spec({"servers": [{"url": "/"}]}).server_base(), "")


class Mapping(unittest.TestCase):
    def op(self, plan=PLAN):
        return c.Operation(SPEC, None, {"file": "t.json"}, plan)

    def test_inputs_are_keyed_by_member(self):
        line, params, body = self.op().generate_input("all", 0)
        self.assertEqual(set(line), {"id", "limit", "x-trace", "body"})
        self.assertEqual(line["body"], body)
        self.assertEqual(line["id"], params[("path", "id")])
        line, params, body = self.op().generate_input("required", 0)
        self.assertEqual(set(line), {"id", "body"})

    def test_flattened_body_members(self):
        plan = dict(PLAN)
        plan["members"] = PLAN["members"][:3] + [
            {"member": n, "name": n, "location": "body", "media_type": None} for n in ("name", "kind", "size")
        ]
        line, _, _ = self.op(plan).generate_input("required", 1)
        self.assertTrue({"name", "kind", "size"} <= set(line))
        with self.assertRaisesRegex(c.Mismatch, "no member for body property 'ratio'"):
            self.op(plan).generate_input("all", 1)

    def test_a_parameter_without_member_is_a_mismatch(self):
        plan = dict(PLAN)
        plan["members"] = [m for m in PLAN["members"] if m["member"] != "limit"]
        with self.assertRaisesRegex(c.Mismatch, "no member for query parameter 'limit'"):
            self.op(plan).generate_input("all", 0)

    def test_credentials_only_where_the_spec_asks_for_them(self):
        req = {"headers": [["authorization", "Bearer t"]], "query": []}
        with self.assertRaisesRegex(c.Mismatch, "no security requirement"):
            self.op().check_no_credentials(req, 0)
        secured = c.Spec({**DOC, "security": [{"key": []}]})
        op = c.Operation(secured, None, {"file": "t.json"}, PLAN)
        op.check_no_credentials(req, 0)
        keyed = c.Spec(
            {**DOC, "components": {**DOC["components"], "securitySchemes": {"key": {"type": "apiKey", "in": "query", "name": "k"}}}}
        )
        op = c.Operation(keyed, None, {"file": "t.json"}, PLAN)
        with self.assertRaisesRegex(c.Mismatch, "API key 'k' sent"):
            op.check_no_credentials({"headers": [], "query": [["k", "secret"]]}, 0)
        op.check_no_credentials({"headers": [["x-trace", "1"]], "query": [["limit", "1"]]}, 0)

    def test_response_cases_and_expectations(self):
        op = self.op()
        cases = op.response_cases()
        self.assertEqual(cases[0], ("200", 200))
        self.assertEqual(cases[1][0], "4XX")
        self.assertTrue(400 <= cases[1][1] < 500)
        # 418 is covered by 4XX: no undocumented case.
        self.assertEqual(len(cases), 2)
        self.assertEqual(op.expectation("4XX", 400), ("error", "ClientError"))
        self.assertEqual(op.expectation("200", 200), ("output", None))
        self.assertEqual(op.expectation(None, 503), ("error", "Unhandled"))


if __name__ == "__main__":
    unittest.main()
