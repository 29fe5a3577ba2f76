"""Wire check of the generated OpenAPI clients (run by `cargo xtask corpus`).

Usage: python openapi_check.py PLAN.json

PLAN lists the OpenAPI specs whose crates compiled: the spec file, the harness executable and,
per operation, what only the generated client knows (which input member stands for which
parameter or body property, which output variant or modeled error stands for which response
key). Everything else comes from the spec itself. For each operation this script

1. generates inputs from the spec's parameters and request body schema (deterministic, seeded
   by spec and operation): required members only, every member, and mixes with other
   choices (enum values, `oneOf` branches, `null` where the spec allows it, optional members
   absent or present). Values follow the schema (types, formats, enums, lengths, ranges,
   patterns, `allOf`/`oneOf`/`anyOf`, `additionalProperties`, `readOnly`);
2. has the harness build the request with the generated client and validates it with
   openapi-core (path, method, parameters, body, content type), then compares what
   openapi-core decoded from the wire with the values that were generated;
3. generates a response for each documented response key (a concrete status, headers, a
   body from the schema), checks it with openapi-core as well (a check of this generator),
   has the harness decode it, and compares: a success must come back as the output (the
   right variant when the output is chosen by status) with the same value, an error status
   as the modeled error for that key with the same body, an undocumented error status as
   `Unhandled`.

Values are compared as the spec allows: numbers by value (`float` to single precision),
date-times as instants, UUIDs and IP addresses in canonical form, `byte` as the decoded bytes,
`null` and absent alike.

It prints one JSON line per operation on stdout: {"file", "op", "ok", "requests",
"requests_valid", "responses", "responses_parsed", "error"}; progress goes to stderr.
"""

import base64
import copy
import datetime
import hashlib
import ipaddress
import json
import random
import re
import sys
import urllib.parse
import uuid

from harness import Harness
from patterns import string_for_pattern

ENDPOINT = "https://example.com"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Nesting depth up to which optional properties are filled (deeper: required ones only).
MAX_DEPTH = 4
# Request variants per operation: required members only, every member, then mixes.
REQUEST_MODES = ("required", "all", "mixed", "mixed", "all")
# Characters a plain string may carry to exercise escaping (never `/` in a path segment:
# a decoded `/` cannot be told from a separator by any server-side validator).
AWKWARD = " %&=+?#,;:é✓\"'"


class Mismatch(Exception):
    """A difference between the spec and the generated client (or a harness error)."""


class CheckerError(Exception):
    """This script could not do its part (a schema it cannot generate values for...)."""


# ---------------------------------------------------------------------------------------------
# The spec


class Spec:
    """An OpenAPI document with `$ref` resolution (local references)."""

    def __init__(self, doc):
        self.doc = doc

    def resolve(self, node, seen=None):
        """`node` with `$ref`s followed (a reference cycle is a CheckerError)."""
        seen = set() if seen is None else seen
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen or not isinstance(ref, str) or not ref.startswith("#/"):
                raise CheckerError(f"cannot follow $ref {ref!r}")
            seen.add(ref)
            target = self.doc
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    raise CheckerError(f"dangling $ref {ref!r}")
                target = target[part]
            node = target
        return node

    def schema(self, node):
        """The schema with `$ref` followed and `allOf` merged (properties, required, and the
        first value of every other keyword); `nullable` of the outer schema is kept."""
        node = self.resolve(node)
        if not isinstance(node, dict):
            return {}
        if "allOf" not in node:
            return node
        merged = {k: v for k, v in node.items() if k != "allOf"}
        props = dict(merged.get("properties", {}))
        required = list(merged.get("required", []))
        for part in node["allOf"]:
            part = self.schema(part)
            for k, v in part.items():
                if k == "properties":
                    for name, p in v.items():
                        props.setdefault(name, p)
                elif k == "required":
                    required.extend(r for r in v if r not in required)
                elif k == "nullable":
                    merged["nullable"] = merged.get("nullable", False) or v
                elif k not in merged:
                    merged[k] = v
        if props:
            merged["properties"] = props
        if required:
            merged["required"] = required
        return merged

    def operation(self, name, method, path):
        """(path item, operation) of the client's operation: the one with `name` as its
        operationId, else the one at `method` and `path`, else the one whose path ends
        `path` (the client's path carries the server's base path in front)."""
        method = method.lower()
        found = []
        for template, item in (self.doc.get("paths") or {}).items():
            item = self.resolve(item)
            if not isinstance(item, dict) or method not in item:
                continue
            op = self.resolve(item[method])
            if isinstance(op, dict) and op.get("operationId") == name:
                return item, op
            if path == template or path.endswith(template):
                found.append((len(template), template, item, op))
        if not found:
            raise CheckerError(f"the spec has no operation {name!r} ({method.upper()} {path})")
        _, _, item, op = max(found, key=lambda f: f[0])
        return item, op

    def server_base(self):
        """The path of the first server URL (variables at their defaults), without a
        trailing `/`: the client may send it in front of every path."""
        servers = self.doc.get("servers") or []
        if not servers or not isinstance(servers[0], dict):
            return ""
        url = servers[0].get("url", "")
        for name, var in (servers[0].get("variables") or {}).items():
            url = url.replace("{" + name + "}", str((var or {}).get("default", "")))
        return urllib.parse.urlsplit(url).path.rstrip("/")

    def parameters(self, item, op):
        """Path-level and operation-level parameters, the operation's winning, keyed by
        (in, name)."""
        out = {}
        for p in list(item.get("parameters", [])) + list(op.get("parameters", [])):
            p = self.resolve(p)
            out[(p["in"], p["name"])] = p
        return out


# ---------------------------------------------------------------------------------------------
# Values from schemas


INT_RANGES = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
}


def may_be_null(spec, schema):
    """`nullable: true` next to a `type`. (A `nullable` wrapper around a `$ref`, `allOf`,
    `oneOf` or `anyOf` also allows `null` by the spec, but openapi-core's schema validator
    refuses `null` there, so the generator does not send it.)"""
    node = spec.resolve(schema)
    if not isinstance(node, dict) or not node.get("nullable"):
        return False
    return "type" in node and not any(k in node for k in ("allOf", "oneOf", "anyOf"))


class Generator:
    """Values for schemas of one spec. `direction` is "request" (no readOnly properties) or
    "response" (no writeOnly ones); `mode` is "required", "all" or "mixed"."""

    def __init__(self, spec, rng, direction, mode, awkward=True, min_length=0):
        self.spec = spec
        self.rng = rng
        self.direction = direction
        self.mode = mode
        self.awkward = awkward
        # Parameters: an empty value is refused unless `allowEmptyValue` says otherwise.
        self.min_length = min_length

    def value(self, schema, depth=0, allow_null=True):
        s = self.spec.schema(schema)
        rng = self.rng
        if allow_null and may_be_null(self.spec, schema) and self.mode != "all" and rng.random() < 0.3:
            return None
        if "enum" in s:
            options = [v for v in s["enum"] if v is not None] or [None]
            return copy.deepcopy(rng.choice(options))
        for key in ("oneOf", "anyOf"):
            if key in s:
                branches = s[key]
                order = list(range(len(branches)))
                rng.shuffle(order)
                last = None
                for i in order:
                    branch = self.spec.schema(branches[i])
                    if branch.get("type") == "null" or branch.get("enum") == [None]:
                        continue
                    try:
                        v = self.value(branches[i], depth, allow_null=False)
                    except CheckerError as e:
                        last = e
                        continue
                    # A `oneOf` value must match exactly one branch.
                    if key == "oneOf" and self.matches(s[key], v) != 1:
                        continue
                    return v
                raise last or CheckerError(f"no {key} branch gives a value")
        kind = s.get("type")
        if kind is None:
            if "properties" in s or "additionalProperties" in s:
                kind = "object"
            elif "items" in s:
                kind = "array"
            else:
                return rng.choice(["any", 1, True, {"k": "v"}])
        if kind == "string":
            return self.string(s)
        if kind == "integer":
            return self.integer(s)
        if kind == "number":
            return self.number(s)
        if kind == "boolean":
            return rng.random() < 0.5
        if kind == "array":
            lo = s.get("minItems", 0)
            hi = min(s.get("maxItems", lo + 3), lo + 3)
            if depth >= MAX_DEPTH:
                hi = lo
            n = rng.randint(lo, max(lo, hi))
            out = []
            for _ in range(n * 3):
                if len(out) == n:
                    break
                v = self.value(s.get("items", {}), depth + 1)
                if s.get("uniqueItems") and v in out:
                    continue
                out.append(v)
            return out
        if kind == "object":
            return self.object(s, depth)
        raise CheckerError(f"unknown schema type {kind!r}")

    def include(self, required, depth):
        if required:
            return True
        if self.mode == "required" or depth >= MAX_DEPTH:
            return False
        if self.mode == "all":
            return True
        return self.rng.random() < 0.5

    def object(self, s, depth):
        out = {}
        required = set(s.get("required", []))
        for name, prop in s.get("properties", {}).items():
            p = self.spec.schema(prop)
            if self.direction == "request" and p.get("readOnly") and name not in required:
                continue
            if self.direction == "response" and p.get("writeOnly") and name not in required:
                continue
            if self.include(name in required, depth):
                out[name] = self.value(prop, depth + 1)
        extra = s.get("additionalProperties")
        if extra not in (None, False) and self.include(False, depth):
            schema = {} if extra is True else extra
            for i in range(self.rng.randint(1, 2)):
                key = f"extra-{i}-{self.rng.randint(0, 999)}"
                if key not in out:
                    out[key] = self.value(schema, depth + 1)
        # minProperties / maxProperties: drop optional members, or add the missing ones.
        optional = [k for k in out if k not in required]
        self.rng.shuffle(optional)
        while len(out) > s.get("maxProperties", len(out)) and optional:
            del out[optional.pop()]
        for name, prop in s.get("properties", {}).items():
            if len(out) >= s.get("minProperties", 0):
                break
            if name not in out:
                out[name] = self.value(prop, depth + 1)
        return out

    def string(self, s):
        rng = self.rng
        fmt = s.get("format")
        if fmt == "date-time":
            t = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
            t += datetime.timedelta(seconds=rng.randint(0, 10**8), microseconds=rng.choice([0, 500000, 123000]))
            if rng.random() < 0.3:
                offset = datetime.timezone(datetime.timedelta(hours=rng.choice([-5, 2])))
                return t.astimezone(offset).isoformat()
            return t.isoformat().replace("+00:00", "Z")
        if fmt == "date":
            return (datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 3000))).isoformat()
        if fmt == "uuid":
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if fmt == "byte":
            # ASCII content: openapi-core hands `byte` values back decoded as UTF-8 text.
            return base64.b64encode(bytes(rng.randint(32, 126) for _ in range(rng.randint(0, 9)))).decode()
        if fmt == "binary":
            return "".join(rng.choice("abc\x00\xff") for _ in range(rng.randint(1, 6)))
        if fmt in ("ip", "ipv4", "ipv6"):
            v6 = fmt == "ipv6" or (fmt == "ip" and rng.random() < 0.5)
            if v6:
                return str(ipaddress.IPv6Address(rng.getrandbits(128)))
            return str(ipaddress.IPv4Address(rng.getrandbits(32)))
        lo = max(s.get("minLength", 0), self.min_length)
        hi = s.get("maxLength", 10**9)
        if "pattern" in s:
            for _ in range(10):
                text = string_for_pattern(s["pattern"], rng)
                if text is not None and lo <= len(text) <= hi:
                    return text
            raise CheckerError(f"cannot generate a string for pattern {s['pattern']!r}")
        n = rng.randint(lo, max(lo, min(hi, lo + 12)))
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_"
        chars = [rng.choice(alphabet) for _ in range(n)]
        if self.awkward and n > 0 and rng.random() < 0.5:
            chars[rng.randrange(n)] = rng.choice(AWKWARD)
        return "".join(chars)

    def integer(self, s):
        lo, hi = INT_RANGES.get(s.get("format"), (-(2**31), 2**31 - 1))
        lo, hi = bounds(s, lo, hi, 1)
        # Mostly small values; sometimes the extremes of the range.
        choices = [max(lo, min(hi, self.rng.randint(-1000, 100000)))]
        if self.rng.random() < 0.3:
            choices = [lo, hi]
        v = self.rng.choice(choices)
        m = s.get("multipleOf")
        if m:
            v = (v // m) * m
            if v < lo:
                v += m
        return int(v)

    def number(self, s):
        lo, hi = bounds(s, -1e6, 1e6, 0.001)
        v = self.rng.uniform(lo, hi)
        if self.rng.random() < 0.5:
            v = round(v, 2)
        if s.get("format") == "float":
            v = round(v, 3)
        return v

    def matches(self, branches, value):
        """How many of `branches` accept `value` (for `oneOf`)."""
        return sum(1 for b in branches if not schema_errors(self.spec, b, value))


def bounds(s, lo, hi, step):
    if "minimum" in s:
        lo = max(lo, s["minimum"] + (step if s.get("exclusiveMinimum") is True else 0))
    if "maximum" in s:
        hi = min(hi, s["maximum"] - (step if s.get("exclusiveMaximum") is True else 0))
    return lo, hi


def schema_errors(spec, schema, value):
    """Errors of `value` against `schema` (openapi-schema-validator, OpenAPI 3.0 dialect);
    local `$ref`s resolve against the spec."""
    from openapi_schema_validator import OAS30Validator

    root = {"allOf": [schema]} if isinstance(schema, dict) else {}
    if "components" in spec.doc:
        root["components"] = spec.doc["components"]
    validator = OAS30Validator(root, format_checker=OAS30Validator.FORMAT_CHECKER)
    return [e.message for e in validator.iter_errors(value)]


# ---------------------------------------------------------------------------------------------
# Comparison


def canonical(schema_fmt, value):
    """A leaf value in a form where equal wire values are equal Python values."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return ("instant", value.astimezone(datetime.timezone.utc))
    if isinstance(value, datetime.date):
        return ("date", value.isoformat())
    if isinstance(value, uuid.UUID):
        return ("uuid", str(value))
    if isinstance(value, (bytes, bytearray)):
        return ("bytes", bytes(value))
    if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return ("ip", value)
    if isinstance(value, str):
        if schema_fmt == "date-time":
            try:
                return canonical(None, datetime.datetime.fromisoformat(value.replace("Z", "+00:00")))
            except ValueError:
                return value
        if schema_fmt == "uuid":
            try:
                return ("uuid", str(uuid.UUID(value)))
            except ValueError:
                return value
        if schema_fmt == "byte":
            try:
                return ("bytes", base64.b64decode(value, validate=True))
            except ValueError:
                return value
        if schema_fmt in ("ip", "ipv4", "ipv6"):
            try:
                return ("ip", ipaddress.ip_address(value))
            except ValueError:
                return value
        if schema_fmt == "date":
            return ("date", value)
        return value
    return value


def compare(spec, schema, sent, got, path="$"):
    """The first difference between two values of `schema`, or None."""
    s = spec.schema(schema) if schema is not None else {}
    if sent is None and got is None:
        return None
    for key in ("oneOf", "anyOf"):
        if key in s:
            first = None
            for branch in s[key]:
                d = compare(spec, branch, sent, got, path)
                if d is None:
                    return None
                first = first or d
            return first
    if isinstance(sent, dict) and isinstance(got, dict):
        props = s.get("properties", {})
        extra = s.get("additionalProperties")
        for k in sorted(set(sent) | set(got)):
            a, b = sent.get(k), got.get(k)
            if a is None and b is None:
                continue
            if a is None and k in props and "default" in spec.schema(props[k]) and b == spec.schema(props[k])["default"]:
                # Left out, and read back as the schema's default (openapi-core fills it in).
                continue
            if k in props:
                sub = props[k]
            elif isinstance(extra, dict):
                sub = extra
            else:
                sub = None
            d = compare(spec, sub, a, b, f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(sent, list) and isinstance(got, list):
        if len(sent) != len(got):
            return f"{path}: {len(sent)} items sent, {len(got)} decoded"
        for i, (a, b) in enumerate(zip(sent, got)):
            d = compare(spec, s.get("items"), a, b, f"{path}[{i}]")
            if d:
                return d
        return None
    fmt = s.get("format")
    if fmt == "byte" and isinstance(sent, str) and isinstance(got, str):
        # openapi-core decodes `byte` to text; the harness keeps base64.
        try:
            raw = base64.b64decode(sent, validate=True)
            if got == raw.decode("utf-8"):
                return None
        except ValueError:
            pass
    a, b = canonical(fmt, sent), canonical(fmt, got)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        if a == b:
            return None
        if fmt == "float" or isinstance(a, float) or isinstance(b, float):
            tol = 1e-6 if fmt == "float" else 1e-12
            if abs(a - b) <= tol * max(1.0, abs(a), abs(b)):
                return None
        return f"{path}: sent {sent!r}, decoded {got!r}"
    if a == b:
        return None
    return f"{path}: sent {short(sent)}, decoded {short(got)}"


def short(v, limit=120):
    text = json.dumps(v, default=str, ensure_ascii=False) if not isinstance(v, str) else repr(v)
    return text if len(text) <= limit else text[:limit] + "..."


# ---------------------------------------------------------------------------------------------
# The harness


# ---------------------------------------------------------------------------------------------
# One operation


def openapi_app(spec):
    """openapi-core over the spec, with the harness endpoint as the only server (the spec
    itself is not validated: corpus documents are taken as they are)."""
    from openapi_core import Config, OpenAPI

    doc = copy.deepcopy(spec.doc)
    # The harness sends to ENDPOINT, with the server's base path in front of the paths or not
    # (a configured endpoint URL replaces the whole server URL).
    base = spec.server_base()
    doc["servers"] = [{"url": ENDPOINT + base}] + ([{"url": ENDPOINT}] if base else [])
    config = Config(
        spec_validator_cls=None,
        extra_format_validators=EXTRA_FORMATS,
        extra_format_unmarshallers={name: (lambda v: v) for name in EXTRA_FORMATS},
    )
    return OpenAPI.from_dict(doc, config=config)


def _in_range(lo, hi):
    return lambda v: isinstance(v, bool) or not isinstance(v, int) or lo <= v <= hi


def _is_ip(v):
    try:
        ipaddress.ip_address(v)
    except ValueError:
        return False
    return True


# Formats openapi-core does not know (dropshot's unsigned integers, `ip`): without a validator
# it refuses every parameter that uses them.
EXTRA_FORMATS = {name: _in_range(lo, hi) for name, (lo, hi) in INT_RANGES.items() if name not in ("int32", "int64")}
EXTRA_FORMATS["ip"] = lambda v: not isinstance(v, str) or _is_ip(v)


def media_base(media):
    """`type/subtype` of a media type, lowercased, without parameters."""
    return (media or "").split(";")[0].strip().lower()


def declared_media(content_type, declared):
    """The declared media type a request's Content-Type stands for. Media types match by
    type and subtype; a parameter the spec adds (`application/json; charset=utf-8`: JSON has
    no charset parameter at all, RFC 8259) need not be repeated by the client, though
    openapi-core looks the content up by the exact header."""
    if content_type in declared:
        return content_type
    same = [d for d in declared if media_base(d) == media_base(content_type)]
    return same[0] if len(same) == 1 else content_type


def core_request(req, declared=()):
    """The harness's request as openapi-core sees a server request (werkzeug); a
    Content-Type is read as the declared media type it matches (`declared_media`)."""
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
    from werkzeug.test import EnvironBuilder

    uri = urllib.parse.urlsplit(req["uri"])
    headers = [
        (k, declared_media(v, declared) if k.lower() == "content-type" else v) for k, v in req["headers"]
    ]
    body = base64.b64decode(req.get("body_base64") or "")
    env = EnvironBuilder(
        method=req["method"],
        base_url=f"{uri.scheme}://{uri.netloc}",
        path=uri.path,
        query_string=uri.query,
        headers=headers,
        data=body,
    )
    return WerkzeugOpenAPIRequest(env.get_request()), body


def core_response(status, headers, body, content_type):
    from openapi_core.testing import MockResponse

    return MockResponse(body, status_code=status, headers=headers, content_type=content_type)


def explain(e):
    """The innermost useful message of an openapi-core error."""
    parts = [str(e)]
    for attr in ("schema_errors", "errors"):
        for sub in getattr(e, attr, None) or []:
            parts.append(getattr(sub, "message", None) or str(sub))
            break
    cause = e.__cause__
    while cause is not None:
        parts.append(str(cause))
        for sub in getattr(cause, "schema_errors", None) or []:
            parts.append(getattr(sub, "message", None) or str(sub))
            break
        cause = cause.__cause__
    return ": ".join(p for p in parts if p)


def pick_media(content):
    """The media type to exercise: JSON first, then the others in spec order."""
    if not content:
        return None
    for mt in content:
        if mt.split(";")[0].strip() == "application/json":
            return mt
    return next(iter(content))


def body_bytes(media, value):
    base = (media or "").split(";")[0].strip()
    if base == "application/json" or base.endswith("+json"):
        return json.dumps(value).encode()
    if base == "application/x-www-form-urlencoded":
        return urllib.parse.urlencode(value or {}, doseq=True).encode()
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value).encode()


class Operation:
    def __init__(self, spec, app, entry, plan):
        self.spec = spec
        self.app = app
        self.entry = entry
        self.plan = plan
        self.item, self.op = spec.operation(plan["name"], plan["method"], plan["path"])
        self.params = spec.parameters(self.item, self.op)
        self.members = plan["members"]
        body = spec.resolve(self.op.get("requestBody")) or {}
        self.body_required = bool(body.get("required"))
        content = body.get("content") or {}
        self.body_content = list(content)
        payload = next((m for m in self.members if m["location"] == "payload"), None)
        media = None
        if payload and payload.get("media_type") and payload["media_type"] in content:
            media = payload["media_type"]
        self.body_media = media or pick_media(content)
        self.body_schema = (content.get(self.body_media) or {}).get("schema") if self.body_media else None
        seed = hashlib.sha256(f"{entry['file']} {plan['name']}".encode()).digest()
        self.seed = int.from_bytes(seed[:8], "big")
        self.last_request = None

    # -- requests --

    def generate_input(self, mode, index):
        """(harness input keyed by member name, parameters by (in, name), body or absent)."""
        rng = random.Random(self.seed + index)
        gen = Generator(self.spec, rng, "request", mode)
        params = {}
        for (where, name), p in self.params.items():
            if where == "cookie":
                raise CheckerError(f"cookie parameter {name!r}")
            required = p.get("required", False) or where == "path"
            if not gen.include(required, 0):
                continue
            schema = p.get("schema")
            if schema is None:
                content = p.get("content") or {}
                schema = (content.get(pick_media(content)) or {}).get("schema", {})
            # A path segment never carries `/`; a header never carries non-ASCII.
            pgen = Generator(
                self.spec,
                rng,
                "request",
                mode,
                awkward=(where == "query"),
                min_length=0 if p.get("allowEmptyValue") else 1,
            )
            value = pgen.value(schema, 1, allow_null=False)
            params[(where, name)] = value
        body = Absent
        if self.body_schema is not None and gen.include(self.body_required, 0):
            body = gen.value(self.body_schema, 0)
            if self.body_media and self.body_media.split(";")[0] == "application/octet-stream":
                body = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 16)))
        return self.to_members(params, body), params, body

    def to_members(self, params, body):
        where_of = {"path": "path", "query": "query", "header": "header"}
        out = {}
        for (where, name), value in params.items():
            m = next(
                (m for m in self.members if m["location"] == where_of[where] and m["name"].lower() == name.lower()),
                None,
            )
            if m is None:
                raise Mismatch(f"the client has no member for {where} parameter {name!r}")
            out[m["member"]] = value
        if body is Absent:
            return out
        payload = next((m for m in self.members if m["location"] == "payload"), None)
        if payload is not None:
            out[payload["member"]] = base64.b64encode(body).decode() if isinstance(body, bytes) else body
            return out
        if not isinstance(body, dict):
            raise Mismatch("the request body is not an object, and the client has no payload member")
        for key, value in body.items():
            m = next((m for m in self.members if m["location"] == "body" and m["name"] == key), None)
            if m is None:
                raise Mismatch(f"the client has no member for body property {key!r}")
            out[m["member"]] = value
        return out

    def check_request(self, harness, mode, index):
        """Sends one generated input through the harness; returns the request."""
        line, params, body = self.generate_input(mode, index)
        if body is not Absent and not isinstance(body, bytes):
            errors = schema_errors(self.spec, self.body_schema, body)
            if errors:
                raise CheckerError(f"generated request body is not valid for its schema: {errors[0]}")
        answer = harness.call({"op": self.plan["name"], "request": line})
        if "error" in answer:
            raise Mismatch(f"request {index} ({mode}): {answer['error']} (input {short(line, 300)})")
        req = answer["request"]
        if req["method"].upper() != self.plan["method"].upper():
            raise Mismatch(f"request {index}: method {req['method']}, the spec says {self.plan['method'].upper()}")
        core, raw = core_request(req, self.body_content)
        result = self.app.unmarshal_request(core)
        if result.errors:
            raise Mismatch(
                f"request {index} ({mode}) is not valid for the spec: {explain(result.errors[0])} "
                f"({req['method']} {req['uri']}, body {short(raw.decode('utf-8', 'replace'), 200)})"
            )
        # What openapi-core decoded from the wire is what was generated.
        decoded = result.parameters
        for (where, name), value in params.items():
            store = {"path": decoded.path, "query": decoded.query, "header": decoded.header}[where]
            got = lookup(store, name, where == "header")
            if got is Absent:
                raise Mismatch(f"request {index}: {where} parameter {name!r} was not sent")
            d = compare(self.spec, self.params[(where, name)].get("schema"), value, got, f"{where} {name}")
            if d and where == "query" and self.alternatives(self.params[(where, name)]):
                # openapi-core decodes a `oneOf`/`anyOf` parameter as one value; read the
                # repeated key (form style) from the wire instead.
                sent = [form_text(x) for x in value] if isinstance(value, list) else [form_text(value)]
                if sent == [v for k, v in req["query"] if k == name]:
                    d = None
            if d:
                raise Mismatch(f"request {index}: {d}")
        for (where, name), p in self.params.items():
            if (where, name) not in params and where in ("query", "header"):
                got = lookup({"query": decoded.query, "header": decoded.header}[where], name, where == "header")
                if got is not Absent and got is not None and not has_default(self.spec, p):
                    raise Mismatch(f"request {index}: {where} parameter {name!r} sent but not set")
        self.check_no_credentials(req, index)
        documented = {n for (w, n) in self.params if w == "query"} | api_key_names(self.spec, "query")
        for k, _ in req["query"]:
            if k not in documented:
                raise Mismatch(f"request {index}: undocumented query parameter {k!r}")
        if body is not Absent:
            d = compare(self.spec, self.body_schema, body, result.body, "body")
            if d:
                raise Mismatch(f"request {index}: {d}")
        elif raw and self.body_schema is not None:
            raise Mismatch(f"request {index}: a body was sent though none was set")
        self.last_request = core
        return req

    def alternatives(self, param):
        schema = self.spec.schema(param.get("schema") or {})
        return "oneOf" in schema or "anyOf" in schema

    def check_no_credentials(self, req, index):
        """An operation without a security requirement (its own `security`, else the
        document's) sends no credentials: no `Authorization`, no API key header or query
        parameter (unless the operation declares that parameter itself)."""
        if self.op.get("security", self.spec.doc.get("security")):
            return
        declared = {(w, n.lower()) for (w, n) in self.params}
        headers = {"authorization"} | {n.lower() for n in api_key_names(self.spec, "header")}
        for k, _ in req["headers"]:
            if k.lower() in headers and ("header", k.lower()) not in declared:
                raise Mismatch(f"request {index}: header {k!r} sent, but the operation has no security requirement")
        query = {n.lower() for n in api_key_names(self.spec, "query")}
        for k, _ in req["query"]:
            if k.lower() in query and ("query", k.lower()) not in declared:
                raise Mismatch(f"request {index}: API key {k!r} sent, but the operation has no security requirement")

    # -- responses --

    def response_cases(self):
        """(key, status) for each documented response key, plus an undocumented error
        status when no key covers it."""
        responses = self.op.get("responses", {})
        keys = [str(k) for k in responses]
        exact = {int(k) for k in keys if k.isdigit()}
        cases = []
        for k in keys:
            if k.isdigit():
                cases.append((k, int(k)))
            elif re.fullmatch(r"[1-5][xX][xX]", k):
                base = int(k[0]) * 100
                status = next((s for s in (base, base + 1, base + 18, base + 22, base + 99) if s not in exact), None)
                if status is not None:
                    cases.append((k, status))
            elif k == "default":
                out = self.plan["output"]
                as_output = out["kind"] == "by-status" and any(v["status"] == "default" for v in out["variants"])
                as_error = any(e["status"] == "default" for e in self.plan["errors"])
                if as_output:
                    pool = (299, 203, 250, 200)
                elif as_error or any(200 <= s < 300 for s in exact):
                    pool = (599, 418, 503, 500)
                else:
                    pool = (200, 299)
                status = next((s for s in pool if s not in exact and f"{s // 100}XX" not in keys), None)
                if status is not None:
                    cases.append((k, status))
        covered = lambda s: s in exact or f"{s // 100}XX" in [k.upper() for k in keys] or "default" in keys  # noqa: E731
        if not covered(418):
            cases.append((None, 418))
        return cases

    def expectation(self, key, status):
        """("output", variant or None) or ("error", variant) for a response key."""
        for e in self.plan["errors"]:
            if key is not None and e["status"] is not None and e["status"].upper() == key.upper():
                return "error", e["variant"]
        out = self.plan["output"]
        if out["kind"] == "by-status":
            for v in out["variants"]:
                if key is not None and v["status"].upper() == key.upper():
                    return "output", v["variant"]
        success = 200 <= status < 300 or self.plan.get("success_status") == status
        if success:
            return "output", None
        return "error", "Unhandled"

    def check_response(self, harness, key, status, index):
        rng = random.Random(self.seed + 1000 + index)
        mode = ("all", "required", "mixed")[index % 3]
        gen = Generator(self.spec, rng, "response", mode)
        response = self.spec.resolve(self.op["responses"].get(key, {})) if key is not None else {}
        content = response.get("content") or {}
        media = pick_media(content)
        schema = (content.get(media) or {}).get("schema") if media else None
        value = Absent
        if schema is not None:
            value = gen.value(schema, 0)
        elif key is None:
            value = {"message": "undocumented"}
            media = "application/json"
        headers = {}
        for name, h in (response.get("headers") or {}).items():
            h = self.spec.resolve(h)
            if h.get("required") or mode != "required":
                hv = Generator(self.spec, rng, "response", mode, awkward=False).value(h.get("schema", {}), 1, allow_null=False)
                headers[name] = hv if isinstance(hv, str) else json.dumps(hv)
        base = (media or "").split(";")[0].strip()
        if base == "*/*":
            media = "application/json"
        if value is Absent:
            raw = b""
        elif base == "application/octet-stream" or (schema and self.spec.schema(schema).get("format") == "binary"):
            value = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 16)))
            raw = value
        else:
            raw = body_bytes(media, value)
        if media and raw:
            headers["content-type"] = media
        if key is not None and self.last_request is not None:
            result = self.app.unmarshal_response(self.last_request, core_response(status, headers, raw, media or "application/json"))
            if result.errors:
                raise CheckerError(f"generated {status} response is not valid for the spec: {explain(result.errors[0])}")
        answer = harness.call(
            {
                "op": self.plan["name"],
                "response": {"status": status, "headers": headers, "body_base64": base64.b64encode(raw).decode()},
            }
        )
        where = f"response {status} ({key or 'undocumented'})"
        if "error" in answer and isinstance(answer["error"], str):
            raise Mismatch(f"{where}: {answer['error']} (body {short(raw.decode('utf-8', 'replace'), 200)})")
        got = answer["output"]
        want_kind, want_variant = self.expectation(key, status)
        if want_kind not in got:
            raise Mismatch(f"{where}: decoded as {'an error' if 'error' in got else 'an output'}, expected {want_kind} {want_variant or ''}".rstrip())
        decoded = got[want_kind]
        if want_variant is not None and decoded.get("variant") != want_variant:
            raise Mismatch(f"{where}: decoded as {want_kind} {decoded.get('variant')!r}, expected {want_variant!r}")
        if value is Absent or want_variant == "Unhandled":
            return
        body = decoded.get("body")
        if want_kind == "output" and self.plan["output"]["kind"] == "empty":
            # An output without members: the body must carry nothing (null or {}).
            if value not in (None, {}):
                raise Mismatch(f"{where}: the client's output has no members, the body has {short(value)}")
            return
        if isinstance(body, str) and not isinstance(value, bytes):
            # The client kept the body as raw bytes (an output of `*/*` or undeclared type).
            try:
                if base64.b64decode(body, validate=True) == raw:
                    return
            except ValueError:
                pass
        if isinstance(value, bytes):
            if body is None or base64.b64decode(body) != value:
                raise Mismatch(f"{where}: body bytes differ: decoded {short(body)}")
            return
        if want_kind == "error" and isinstance(value, dict) and isinstance(body, dict):
            # The client fills an error's unset message-like member from what the runtime
            # read off the response (the error metadata): not a difference.
            meta = decoded.get("message")
            body = {k: v for k, v in body.items() if k in value or v is None or v != meta}
        d = compare(self.spec, schema, value, body, "body")
        if d:
            raise Mismatch(f"{where}: {d}")


def form_text(value):
    """A scalar as form style writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Absent:
    def __repr__(self):
        return "<absent>"


Absent = _Absent()


def lookup(store, name, case_insensitive):
    if store is None:
        return Absent
    if name in store:
        return store[name]
    if case_insensitive:
        for k in store:
            if k.lower() == name.lower():
                return store[k]
    return Absent


def has_default(spec, param):
    return "default" in spec.schema(param.get("schema") or {})


def api_key_names(spec, where):
    schemes = (spec.doc.get("components") or {}).get("securitySchemes") or {}
    return {s.get("name") for s in schemes.values() if isinstance(s, dict) and s.get("type") == "apiKey" and s.get("in") == where}


def check_operation(spec, app, entry, plan, harness):
    result = {
        "file": entry["file"],
        "op": plan["name"],
        "ok": False,
        "requests": 0,
        "requests_valid": False,
        "responses": 0,
        "responses_parsed": False,
        "error": "",
    }
    try:
        op = Operation(spec, app, entry, plan)
        if plan.get("upgrade"):
            # Only the handshake request can be checked; the answer is a connection.
            modes = REQUEST_MODES[:2]
        else:
            modes = REQUEST_MODES
        for i, mode in enumerate(modes):
            op.check_request(harness, mode, i)
            result["requests"] += 1
        result["requests_valid"] = True
        cases = op.response_cases()
        if plan.get("upgrade"):
            # The switch (101) hands back a connection, not a value: only errors are decoded.
            cases = [(k, s) for k, s in cases if s >= 400]
        for i, (key, status) in enumerate(cases):
            op.check_response(harness, key, status, i)
            result["responses"] += 1
        result["responses_parsed"] = True
        result["ok"] = True
    except Mismatch as e:
        result["error"] = str(e)
    except CheckerError as e:
        result["error"] = f"checker: {e}"
    except Exception as e:  # noqa: BLE001 - one operation must not stop the others
        result["error"] = f"checker: {type(e).__name__}: {e}"
    return result


def load_document(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        return json.loads(text)
    except ValueError:
        import yaml

        return yaml.safe_load(text)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    for entry in plan:
        spec = Spec(load_document(entry["spec"]))
        try:
            app = openapi_app(spec)
        except Exception as e:  # noqa: BLE001
            for op in entry["operations"]:
                print(json.dumps({"file": entry["file"], "op": op["name"], "ok": False, "error": f"checker: openapi-core cannot read the spec: {e}"}), flush=True)
            continue
        harness = Harness(entry["harness"], Mismatch)
        try:
            for op in entry["operations"]:
                r = check_operation(spec, app, entry, op, harness)
                print(json.dumps(r), flush=True)
                print(f"{'ok  ' if r['ok'] else 'FAIL'} {entry['label']} {op['name']}", file=sys.stderr)
        finally:
            harness.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
