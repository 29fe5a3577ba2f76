"""Wire differential of the generated crates against botocore (run by `cargo xtask corpus`).

Usage: python differential.py PLAN.json

PLAN lists the models the corpus command compiled: model file, harness executable, sdkId,
endpoint prefix, API version, protocol and the operations to check. For each operation this
script

1. finds botocore's model of the service (same serviceId and API version),
2. generates request parameters from botocore's input shape (deterministic per operation):
   only the required members; every member (several variants: other enum values, other union
   members, list sizes); strings with characters that need escaping where the model allows
   them. Values respect the model's constraints (enum values, lengths, ranges, patterns);
3. serializes them with botocore's serializer for the protocol (json / rest-json) and with
   the harness (the generated crate), and compares the HTTP requests: method, host, path,
   query (a multiset of decoded pairs), the headers that matter (content-type, x-amz-target,
   every header the input binds), the body (as JSON, or as bytes);
4. generates responses from the output shape (status, header-bound members as headers, the
   body with the wire names), parses them with botocore's parser and with the harness, and
   compares the values (timestamps as epoch seconds, blobs as base64).

It prints one JSON line per operation on stdout:
{"file", "op", "ok", "requests", "responses", "error"}; progress goes to stderr.
"""

import base64
import copy
import datetime
import difflib
import email.utils
import hashlib
import json
import math
import random
import re
import sys
import urllib.parse
import uuid

import botocore.awsrequest
import botocore.loaders
import botocore.model
import botocore.parsers
import botocore.serialize

from harness import Harness as HarnessProcess
from patterns import string_for_pattern

ENDPOINT = "https://example.com"
# Nesting depth up to which optional members are filled (deeper: required members only).
MAX_DEPTH = 4
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
BOTO_PROTOCOL = {
    "awsJson1_0": "json",
    "awsJson1_1": "json",
    "restJson1": "rest-json",
}


class Mismatch(Exception):
    """A difference between botocore and the generated crate (or a harness error)."""


# ---------------------------------------------------------------------------------------------
# botocore's model of a service


def find_service(loader, entry):
    """botocore's ServiceModel for the plan entry: same serviceId and API version."""
    version = entry["version"]
    sdk_id = entry["sdk_id"]
    available = loader.list_available_services("service-2")
    first = []
    for name in (
        entry["label"],
        sdk_id.lower().replace(" ", "-"),
        sdk_id.lower().replace(" ", ""),
        entry["endpoint_prefix"],
    ):
        if name and name in available and name not in first:
            first.append(name)
    rest = sorted(
        (n for n in available if n not in first),
        key=lambda n: -difflib.SequenceMatcher(None, n, entry["label"]).ratio(),
    )
    for name in first + rest:
        try:
            if version not in loader.list_api_versions(name, "service-2"):
                continue
            data = loader.load_service_model(name, "service-2", version)
        except Exception:  # noqa: BLE001 - a service botocore cannot load is not ours
            continue
        meta = data.get("metadata", {})
        if meta.get("serviceId") == sdk_id and meta.get("apiVersion") == version:
            return botocore.model.ServiceModel(data, service_name=name)
    raise Mismatch(
        f"botocore {botocore_version()} has no service with serviceId {sdk_id!r} "
        f"and API version {version}"
    )


def botocore_version():
    import botocore

    return botocore.__version__


# ---------------------------------------------------------------------------------------------
# Values from shapes


class Gen:
    """Values for botocore shapes, deterministic from a seed.

    variant: 0 = first choices; other numbers rotate enum values and union members.
    mode: "required" (required members only), "all" (every member up to MAX_DEPTH),
          "tricky" (as "all", unconstrained strings with characters that need escaping),
          "empty" (as "all", lists and maps as short as the model allows),
          "future" (responses: enum values and extra keys this client has never seen).
    fraction: timestamps get milliseconds (responses; botocore writes request timestamps
          in whole seconds).
    """

    def __init__(self, seed, mode, variant, fraction=False):
        self.rng = random.Random(seed)
        self.mode = mode
        self.variant = variant
        self.counter = 0
        self.fraction = fraction

    def structure(self, shape, depth=0, top=False):
        if shape.is_document_type:
            return {"name": "doc", "values": [1, 2.5, True, None, "x"], "nested": {"k": "v"}}
        out = {}
        members = shape.members
        required = set(shape.required_members)
        if shape.is_tagged_union:
            names = list(members)
            if not names:
                return out
            name = names[(self.variant + depth) % len(names)]
            out[name] = self.value(members[name], depth + 1, member_name=name)
            return out
        for name, m in members.items():
            if m.metadata.get("idempotencyToken") and self.mode == "required":
                continue  # left for the client to fill
            fill = name in required or (self.mode != "required" and depth < MAX_DEPTH)
            if fill:
                loc = m.serialization.get("location") if top else None
                out[name] = self.value(m, depth + 1, location=loc, member_name=name)
        return out

    def value(self, shape, depth, location=None, member_name=""):
        t = shape.type_name
        self.counter += 1
        meta = shape.metadata
        if t == "structure":
            return self.structure(shape, depth)
        if t == "list":
            lo, hi = meta.get("min", 0), meta.get("max", 3)
            n = max(lo, min(hi, 1 + (self.variant + depth) % 2))
            if self.mode == "empty":
                n = lo
            if location in ("header", "querystring") and shape.member.type_name == "string":
                n = max(lo, min(hi, 2))
            return [self.value(shape.member, depth + 1, location) for _ in range(n)]
        if t == "map":
            lo, hi = meta.get("min", 0), meta.get("max", 3)
            n = lo if self.mode == "empty" else max(lo, min(hi, 2))
            out = {}
            for i in range(n * 3):
                if len(out) >= n:
                    break
                k = self.value(shape.key, depth + 1, "mapkey")
                out[k] = self.value(shape.value, depth + 1, location)
            return out
        if t == "string":
            if shape.enum:
                if self.mode == "future":
                    return "FUTURE_VALUE_" + str(self.counter)
                return shape.enum[(self.variant + self.counter) % len(shape.enum)]
            if member_name and shape.metadata.get("idempotencyToken"):
                return str(uuid.UUID(int=self.rng.getrandbits(128)))
            return self.string(shape, location)
        if t in ("integer", "long", "short", "byte"):
            lo = meta.get("min", -(10**9) if t != "byte" else -100)
            hi = meta.get("max", 10**9 if t != "byte" else 100)
            lo = max(lo, 0) if hi >= 0 else lo
            hi = min(hi, lo + 99)
            return self.rng.randint(int(lo), int(hi))
        if t in ("float", "double"):
            lo = meta.get("min", 0)
            hi = meta.get("max", 1000)
            base = self.rng.randint(int(math.ceil(lo)), max(int(math.ceil(lo)), int(math.floor(hi)) - 1))
            v = base + 0.5
            return v if v <= hi else float(base)
        if t == "boolean":
            return (self.variant + self.counter) % 2 == 0
        if t == "timestamp":
            secs = 1_700_000_000 + self.rng.randint(0, 50_000_000)
            micros = self.rng.randint(1, 999) * 1000 if self.fraction else 0
            return datetime.datetime.fromtimestamp(secs, tz=datetime.timezone.utc).replace(
                microsecond=micros
            )
        if t == "blob":
            lo, hi = meta.get("min", 0), meta.get("max", 64)
            data = bytes([0, 1, 2, 250, 255]) + b"corpus blob \xe2\x9c\x93"
            n = max(lo, min(hi, len(data)))
            return (data * (n // len(data) + 1))[:n]
        raise Mismatch(f"no value generator for botocore type {t}")

    def string(self, shape, location):
        meta = shape.metadata
        lo, hi = meta.get("min", 0), meta.get("max", None)
        pattern = meta.get("pattern")
        candidates = []
        if pattern:
            for _ in range(20):
                s = string_for_pattern(pattern, self.rng)
                if s is not None:
                    candidates.append(s)
            candidates += [
                "example",
                "abc123",
                "0123456789",
                "arn:aws:iam::123456789012:role/example",
                str(uuid.UUID(int=self.rng.getrandbits(128))),
                "123456789012",
            ]
        else:
            if self.mode == "tricky" and location != "mapkey":
                candidates.append("a b/c&d=e+f%g?h#\u00e9\u2713")
            candidates.append(f"value-{self.counter}")
            candidates.append("v")
        for s in candidates:
            s2 = fit_length(s, lo, hi)
            if s2 is None:
                continue
            if pattern and not ecma_search(pattern, s2):
                continue
            return s2
        raise Mismatch(f"cannot generate a string for pattern {pattern!r} length {lo}..{hi}")


def fit_length(s, lo, hi):
    if hi is not None and len(s) > hi:
        s = s[:hi]
    while len(s) < lo:
        s += s[-1] if s else "a"
    return s if (hi is None or len(s) <= hi) and len(s) >= lo else None


def ecma_search(pattern, s):
    try:
        return re.search(pattern, s) is not None
    except re.error:
        return True


# ---------------------------------------------------------------------------------------------
# JSON for the harness (the conventions of xtask/src/corpus/harness.rs)


def to_harness(v):
    if isinstance(v, datetime.datetime):
        return v.timestamp()
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(v).decode()
    if isinstance(v, dict):
        return {k: to_harness(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_harness(x) for x in v]
    return v


class Harness(HarnessProcess):
    """The harness, with `error` answers raised as mismatches."""

    def __init__(self, exe):
        super().__init__(exe, Mismatch)

    def ask(self, message):
        answer = self.call(message)
        if "error" in answer:
            raise Mismatch(answer["error"])
        return answer


# ---------------------------------------------------------------------------------------------
# Requests


def botocore_request(service_model, op_model, protocol, params):
    serializer = botocore.serialize.create_serializer(protocol, include_validation=True)
    request_dict = serializer.serialize_to_request(params, op_model)
    botocore.awsrequest.prepare_request_dict(request_dict, endpoint_url=ENDPOINT)
    prepared = botocore.awsrequest.create_request_object(request_dict).prepare()
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode()
    headers = [(k.lower(), v if isinstance(v, str) else v.decode()) for k, v in prepared.headers.items()]
    return {"method": prepared.method, "url": prepared.url, "headers": headers, "body": body}


def normalise_path(path):
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), path)


def parse_timestamp_text(text):
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        pass
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return text


def compare_requests(op_model, ours, theirs, unset_tokens, who="botocore"):
    """Raises Mismatch at the first difference."""
    inp = op_model.input_shape
    bound_headers, prefixes, ts_headers, ts_query = {}, [], set(), set()
    token_places = {"header": set(), "query": set(), "body": set()}
    if inp is not None:
        for name, m in inp.members.items():
            loc = m.serialization.get("location")
            wire = m.serialization.get("name", name)
            if loc == "header":
                bound_headers[wire.lower()] = m
                if m.type_name == "timestamp":
                    ts_headers.add(wire.lower())
            elif loc == "headers":
                prefixes.append(wire.lower())
            elif loc == "querystring" and m.type_name == "timestamp":
                ts_query.add(wire)
            if name in unset_tokens:
                place = {"header": "header", "querystring": "query"}.get(loc, "body")
                token_places[place].add(wire.lower() if place == "header" else wire)

    if ours["method"] != theirs["method"]:
        raise Mismatch(f"method: {who} {theirs['method']}, ours {ours['method']}")
    bu = urllib.parse.urlsplit(theirs["url"])
    ou = urllib.parse.urlsplit(ours["uri"])
    if bu.netloc != ou.netloc:
        raise Mismatch(f"host: {who} {bu.netloc!r}, ours {ou.netloc!r}")
    if normalise_path(bu.path or "/") != normalise_path(ou.path or "/"):
        raise Mismatch(f"path: {who} {bu.path!r}, ours {ou.path!r}")

    def query(q):
        pairs = urllib.parse.parse_qsl(q, keep_blank_values=True)
        out = []
        for k, v in pairs:
            if k in token_places["query"] and UUID_RE.match(v):
                v = "<uuid>"
            elif k in ts_query:
                v = parse_timestamp_text(v)
            out.append((k, str(v)))
        return sorted(out)

    bq, oq = query(bu.query), query(ou.query)
    if bq != oq:
        raise Mismatch(f"query: {who} {bq}, ours {oq}")

    def headers(hs):
        out = {}
        for k, v in hs:
            k = k.lower()
            if k in ("content-type", "x-amz-target") or k in bound_headers or any(
                k.startswith(p) for p in prefixes
            ):
                if k in token_places["header"] and UUID_RE.match(v):
                    v = "<uuid>"
                elif k in ts_headers:
                    v = parse_timestamp_text(v)
                out.setdefault(k, []).append(str(v))
        return out

    bh, oh = headers(theirs["headers"]), headers(ours["headers"])
    if bh != oh:
        keys = sorted(set(bh) | set(oh))
        first = next(k for k in keys if bh.get(k) != oh.get(k))
        raise Mismatch(f"header {first}: {who} {bh.get(first)}, ours {oh.get(first)}")

    body = theirs["body"]
    ob = ours["body"]
    if not body:
        if ob is not None:
            raise Mismatch(f"body: {who} sends none, ours {json.dumps(ob)[:200]}")
        return
    if ob is None:
        raise Mismatch(f"body: {who} sends {body[:200]!r}, ours none")
    try:
        bj = json.loads(body)
    except ValueError:
        bj = None
    if bj is not None and "json" in ob:
        oj = ob["json"]
        for place in token_places["body"]:
            for j in (bj, oj):
                if isinstance(j, dict) and isinstance(j.get(place), str) and UUID_RE.match(j[place]):
                    j[place] = "<uuid>"
        diff = first_difference(bj, oj, "body", who)
        if diff:
            raise Mismatch(diff)
        return
    ours_bytes = (
        base64.b64decode(ob["base64"]) if "base64" in ob else json.dumps(ob["json"]).encode()
    )
    if ours_bytes != body:
        raise Mismatch(f"body bytes: {who} {body[:120]!r}, ours {ours_bytes[:120]!r}")


def first_difference(theirs, ours, path, who="botocore"):
    """The first difference between two JSON-like values, as text, or None."""
    if isinstance(theirs, bool) or isinstance(ours, bool):
        if theirs is ours or theirs == ours and type(theirs) is type(ours):
            return None
        return f"{path}: {who} {theirs!r}, ours {ours!r}"
    if isinstance(theirs, (int, float)) and isinstance(ours, (int, float)):
        # Exact up to float formatting; timestamps to well under a millisecond.
        if math.isclose(theirs, ours, rel_tol=1e-15, abs_tol=1e-4):
            return None
        return f"{path}: {who} {theirs!r}, ours {ours!r}"
    if isinstance(theirs, dict) and isinstance(ours, dict):
        for k in list(theirs) + [k for k in ours if k not in theirs]:
            if k not in ours:
                return f"{path}.{k}: {who} {short(theirs[k])}, ours missing"
            if k not in theirs:
                return f"{path}.{k}: {who} missing, ours {short(ours[k])}"
            d = first_difference(theirs[k], ours[k], f"{path}.{k}", who)
            if d:
                return d
        return None
    if isinstance(theirs, list) and isinstance(ours, list):
        if len(theirs) != len(ours):
            return f"{path}: {who} {len(theirs)} items, ours {len(ours)}"
        for i, (a, b) in enumerate(zip(theirs, ours)):
            d = first_difference(a, b, f"{path}[{i}]", who)
            if d:
                return d
        return None
    if theirs != ours:
        return f"{path}: {who} {short(theirs)}, ours {short(ours)}"
    return None


def short(v):
    text = json.dumps(v, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


# ---------------------------------------------------------------------------------------------
# Responses


def response_wire(service_model, op_model, protocol, params):
    """Status, headers and body of a response carrying `params` (output member values),
    written with botocore's own serializer for the protocol (the output shape serialized as
    if it were an input: same wire names, header bindings and payload rules)."""
    out = op_model.output_shape
    status = op_model.http.get("responseCode", 200)
    if out is None:
        return status, {}, b""
    params = dict(params)
    for name, m in out.members.items():
        if m.serialization.get("location") == "statusCode":
            params.pop(name, None)
    fake = botocore.model.OperationModel(
        {
            "name": op_model.name,
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": out.name},
        },
        service_model,
        name=op_model.name,
    )
    serializer = botocore.serialize.create_serializer(protocol, include_validation=False)
    # Services send epoch seconds with milliseconds; botocore's request side truncates them.
    serializer._timestamp_unixtimestamp = lambda dt: round(dt.timestamp(), 3)
    request_dict = serializer.serialize_to_request(params, fake)
    headers = {
        k: v
        for k, v in request_dict["headers"].items()
        if k.lower() not in ("x-amz-target", "content-length")
    }
    body = request_dict["body"] or b""
    if isinstance(body, str):
        body = body.encode()
    return status, headers, body


def normalise_output(shape, v):
    """botocore's parsed value in the harness conventions (timestamps as epoch seconds,
    blobs as base64)."""
    if v is None or shape is None:
        return v
    t = shape.type_name
    if t == "structure":
        if shape.is_document_type:
            return v
        if "SDK_UNKNOWN_MEMBER" in v:
            return {"SDK_UNKNOWN_MEMBER": None}
        return {
            k: normalise_output(shape.members[k], x)
            for k, x in v.items()
            if k in shape.members and x is not None
        }
    if t == "list":
        return [normalise_output(shape.member, x) for x in v]
    if t == "map":
        return {k: normalise_output(shape.value, x) for k, x in v.items()}
    if t == "timestamp":
        return v.timestamp() if isinstance(v, datetime.datetime) else v
    if t == "blob":
        return base64.b64encode(v).decode() if isinstance(v, (bytes, bytearray)) else v
    return v


def normalise_ours(shape, v):
    """The harness's value with big numbers as numbers (botocore has no big-number type)."""
    if v is None or shape is None:
        return v
    t = shape.type_name
    if t == "structure" and not shape.is_document_type and isinstance(v, dict):
        return {k: normalise_ours(shape.members.get(k), x) for k, x in v.items()}
    if t == "list" and isinstance(v, list):
        return [normalise_ours(shape.member, x) for x in v]
    if t == "map" and isinstance(v, dict):
        return {k: normalise_ours(shape.value, x) for k, x in v.items()}
    if t in ("integer", "long", "float", "double") and isinstance(v, str):
        try:
            return int(v)
        except ValueError:
            return float(v)
    return v


def null_members(body):
    """The body with every top-level member `null` (services do send that)."""
    try:
        j = json.loads(body)
    except ValueError:
        return body
    if isinstance(j, dict):
        return json.dumps({k: None for k in j}).encode()
    return body


def add_unknown_keys(body):
    """A response body with a member this client has never heard of."""
    try:
        j = json.loads(body)
    except ValueError:
        return body
    if isinstance(j, dict):
        j["FutureMemberNobodyModeled"] = {"nested": [1, 2, 3]}
        return json.dumps(j).encode()
    return body


# ---------------------------------------------------------------------------------------------


def seed_of(*parts):
    return int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:8], "big")


def union_width(shape, seen=None):
    """The largest number of members of a union reachable from `shape`."""
    seen = set() if seen is None else seen
    if shape is None or shape.name in seen:
        return 0
    seen.add(shape.name)
    t = shape.type_name
    if t == "structure":
        own = len(shape.members) if shape.is_tagged_union else 0
        return max([own] + [union_width(m, seen) for m in shape.members.values()])
    if t == "list":
        return union_width(shape.member, seen)
    if t == "map":
        return union_width(shape.value, seen)
    return 0


def check_operation(service_model, entry, op_name, harness):
    protocol = BOTO_PROTOCOL.get(entry["protocol"])
    if protocol is None:
        raise Mismatch(f"no botocore protocol for {entry['protocol']}")
    if op_name not in service_model.operation_names:
        raise Mismatch(
            f"botocore {botocore_version()}'s {service_model.service_name} "
            f"{service_model.api_version} has no operation {op_name}"
        )
    op_model = service_model.operation_model(op_name)
    inp = op_model.input_shape
    variants = max(5, min(8, union_width(inp)))
    cases = [("required", 0)] + [("all", v) for v in range(variants)]
    cases += [("empty", 0), ("tricky", 0)]
    requests = 0
    for mode, variant in cases:
        where = f"request case {mode}#{variant}"
        gen = Gen(seed_of(entry["file"], op_name, mode, str(variant)), mode, variant)
        params = gen.structure(inp, top=True) if inp is not None else {}
        unset_tokens = set()
        boto_params = copy.deepcopy(params)
        for name in op_model.idempotent_members:
            if name not in boto_params:
                # What botocore's client does before serializing (handlers.generate_idempotent_uuid).
                boto_params[name] = str(uuid.uuid4())
                unset_tokens.add(name)
        try:
            theirs = botocore_request(service_model, op_model, protocol, boto_params)
        except Exception as e:  # noqa: BLE001
            if mode == "tricky":
                continue  # botocore refuses these characters here: nothing to compare
            raise Mismatch(f"{where}: botocore refused the generated input: {e}") from e
        try:
            ours = harness.ask({"op": op_name, "request": to_harness(params)})["request"]
            compare_requests(op_model, ours, theirs, unset_tokens)
        except Mismatch as e:
            raise Mismatch(f"{where}: {e} (input {short(to_harness(params))})") from e
        requests += 1

    responses = 0
    out = op_model.output_shape
    rcases = [("required", 0)] + [("all", v) for v in range(max(3, min(8, union_width(out))))]
    rcases += [("future", 0), ("nulls", 0)]
    parser = botocore.parsers.create_parser(protocol)
    for mode, variant in rcases:
        where = f"response case {mode}#{variant}"
        gen_mode = "all" if mode == "nulls" else mode
        gen = Gen(
            seed_of(entry["file"], op_name, "out", mode, str(variant)),
            gen_mode,
            variant,
            fraction=True,
        )
        values = gen.structure(out, top=True) if out is not None else {}
        status, headers, body = response_wire(service_model, op_model, protocol, values)
        if mode == "future":
            body = add_unknown_keys(body)
        elif mode == "nulls":
            body = null_members(body)
        parsed = parser.parse(
            {
                "status_code": status,
                "headers": botocore.awsrequest.HeadersDict(headers),
                "body": body,
            },
            out,
        )
        parsed.pop("ResponseMetadata", None)
        theirs = normalise_output(out, parsed)
        try:
            answer = harness.ask(
                {
                    "op": op_name,
                    "response": {
                        "status": status,
                        "headers": headers,
                        "body_base64": base64.b64encode(body).decode(),
                    },
                }
            )
            ours = normalise_ours(out, answer["output"])
            diff = first_difference(theirs, ours, "output")
            if diff:
                raise Mismatch(diff)
        except Mismatch as e:
            raise Mismatch(f"{where}: {e} (body {body[:160]!r})") from e
        responses += 1
    return requests, responses

# ---------------------------------------------------------------------------------------------
# Our crate of the same operation against the crate of the official model


def prune(shape, value, mask, fix_enums=False):
    """`value` (botocore-style, or harness JSON) reduced to the members `mask` keeps (the
    members both models have; mask format in xtask/src/corpus/ours.rs). With `fix_enums`,
    an enum value the other model lacks becomes one both have."""
    if value is None or shape is None or not mask:
        return value
    t = shape.type_name
    if t == "structure" and not shape.is_document_type and isinstance(value, dict):
        keep = mask.get("members", {})
        return {
            k: prune(shape.members.get(k), v, keep[k], fix_enums)
            for k, v in value.items()
            if k in keep
        }
    if t == "list" and isinstance(value, list):
        return [prune(shape.member, x, mask.get("item"), fix_enums) for x in value]
    if t == "map" and isinstance(value, dict):
        return {k: prune(shape.value, x, mask.get("value"), fix_enums) for k, x in value.items()}
    shared = mask.get("enum")
    if fix_enums and shared and value not in shared:
        return shared[0]
    return value


def as_sent(answer):
    """A harness's request in the shape `botocore_request` returns."""
    body = answer.get("body")
    if body is None:
        data = b""
    elif "base64" in body:
        data = base64.b64decode(body["base64"])
    else:
        data = json.dumps(body["json"]).encode()
    return {
        "method": answer["method"],
        "url": answer["uri"],
        "headers": [tuple(h) for h in answer["headers"]],
        "body": data,
    }


def ask_both(official, ours, message):
    """Both harnesses' answers, or None when both refuse the message (same verdict)."""
    answers = []
    for harness in (official, ours):
        try:
            answers.append((harness.ask(message), None))
        except Mismatch as e:
            answers.append((None, str(e)))
    (a, ea), (b, eb) = answers
    if ea and eb:
        return None
    if ea or eb:
        raise Mismatch(f"official {ea or 'accepts'}, ours {eb or 'accepts'}")
    return a, b


def check_against_ours(service_model, entry, op_name, official, ours, masks):
    """Same inputs to the crate of the official model and to ours: same requests; same
    responses to both: same outputs (over the members both models have)."""
    op_model = service_model.operation_model(op_name)
    inp, out = op_model.input_shape, op_model.output_shape
    cases = [("required", 0)] + [("all", v) for v in range(max(5, min(8, union_width(inp))))]
    cases += [("empty", 0), ("tricky", 0)]
    requests = 0
    for mode, variant in cases:
        where = f"request case {mode}#{variant}"
        gen = Gen(seed_of(entry["file"], op_name, "ours", mode, str(variant)), mode, variant)
        params = gen.structure(inp, top=True) if inp is not None else {}
        params = prune(inp, params, masks["input"], fix_enums=True)
        unset = {n for n in op_model.idempotent_members if n not in params}
        message = {"op": op_name, "request": to_harness(params)}
        try:
            both = ask_both(official, ours, message)
            if both is None:
                continue
            compare_requests(
                op_model, both[1]["request"], as_sent(both[0]["request"]), unset, who="official"
            )
        except Mismatch as e:
            raise Mismatch(f"{where}: {e} (input {short(message['request'])})") from e
        requests += 1
    responses = 0
    rcases = [("required", 0)] + [("all", v) for v in range(max(3, min(8, union_width(out))))]
    rcases += [("future", 0), ("nulls", 0)]
    for mode, variant in rcases:
        where = f"response case {mode}#{variant}"
        gen = Gen(
            seed_of(entry["file"], op_name, "ours-out", mode, str(variant)),
            "all" if mode == "nulls" else mode,
            variant,
            fraction=True,
        )
        values = gen.structure(out, top=True) if out is not None else {}
        status, headers, body = response_wire(service_model, op_model, BOTO_PROTOCOL[entry["protocol"]], values)
        if mode == "future":
            body = add_unknown_keys(body)
        elif mode == "nulls":
            body = null_members(body)
        message = {
            "op": op_name,
            "response": {
                "status": status,
                "headers": headers,
                "body_base64": base64.b64encode(body).decode(),
            },
        }
        try:
            both = ask_both(official, ours, message)
            if both is None:
                continue
            a, b = (prune(out, normalise_ours(out, x["output"]), masks["output"]) for x in both)
            diff = first_difference(a, b, "output", who="official")
            if diff:
                raise Mismatch(diff)
        except Mismatch as e:
            raise Mismatch(f"{where}: {e} (body {body[:160]!r})") from e
        responses += 1
    return requests, responses


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    loader = botocore.loaders.Loader()
    for entry in plan:
        print(f"corpus: {entry['label']}: botocore model ...", file=sys.stderr)
        try:
            service_model = find_service(loader, entry)
            failure = None
        except Mismatch as e:
            service_model, failure = None, str(e)
        harness = Harness(entry["harness"]) if service_model is not None else None
        for op in entry["operations"]:
            result = {"file": entry["file"], "op": op, "ok": False, "requests": 0, "responses": 0}
            if failure:
                result["error"] = failure
            else:
                try:
                    result["requests"], result["responses"] = check_operation(
                        service_model, entry, op, harness
                    )
                    result["ok"] = True
                except Mismatch as e:
                    result["error"] = str(e)
                except Exception as e:  # noqa: BLE001 - reported, never hidden
                    result["error"] = f"differential script error: {type(e).__name__}: {e}"
                if not result["ok"] and harness.proc.poll() is not None:
                    harness = Harness(entry["harness"])  # a crash fails one operation only
                plan_ours = entry.get("ours", {}).get(op)
                if plan_ours:
                    result["ours"] = compare_with_ours(service_model, entry, op, harness, plan_ours)
                    if harness.proc.poll() is not None:
                        harness = Harness(entry["harness"])
            print(json.dumps(result), flush=True)
        if harness is not None:
            harness.close()


def compare_with_ours(service_model, entry, op, official, plan):
    """The `ours` part of an operation's result line."""
    result = {"ok": False, "requests": 0, "responses": 0}
    ours = Harness(plan["harness"])
    try:
        result["requests"], result["responses"] = check_against_ours(
            service_model, entry, op, official, ours, plan
        )
        result["ok"] = True
    except Mismatch as e:
        result["error"] = str(e)
    except Exception as e:  # noqa: BLE001 - reported, never hidden
        result["error"] = f"differential script error: {type(e).__name__}: {e}"
    finally:
        ours.close()
    return result


if __name__ == "__main__":
    main()
