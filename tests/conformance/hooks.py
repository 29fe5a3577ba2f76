"""Custom schemathesis checks, loaded by tests/conformance/run.sh.

Both services behave in a few documented ways that schemathesis's built-in
checks read as failures. Each check below runs (or replaces) a built-in one and lets through
exactly that behaviour, nothing more. The spaceone_* checks act on SpaceONE operations
only (paths under /identity/), cloud_rewind_* on the others; schemathesis.toml turns off the
built-in check each one replaces in that project.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from openapi_schema_validator import OAS30Validator
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)

# 500s the gateway returns for client input (the spec's 500 description): ERROR_UNKNOWN when
# protobuf's JSON parser rejects the body, ERROR_DB_QUERY when the database layer rejects the
# query (unknown filter operator, bad regex).
INPUT_SERVER_ERRORS = {"ERROR_UNKNOWN", "ERROR_DB_QUERY"}

# 400s of the query language whose rules OpenAPI 3.0 cannot state without oneOf/anyOf (which
# the generator does not take): one of each alias pair (`key`/`k`, `operator`/`o`, ...) is
# required, the value's type depends on the operator (a list for `in`, a date for
# `datetime_*`, ...), stages need their members, and `stat` needs `aggregate` or `distinct`.
OPERATOR_VALUE_CODES = {"ERROR_OPERATOR_LIST_VALUE_TYPE", "ERROR_OPERATOR_VALUE_TYPE"}


def _is_spaceone(case: Any) -> bool:
    return case.operation.path.startswith("/identity/")


def _error_detail(response: Any) -> dict | None:
    try:
        body = response.json()
    except Exception:
        return None
    detail = body.get("detail") if isinstance(body, dict) else None
    if not isinstance(detail, dict) or not isinstance(detail.get("code"), str):
        return None
    return detail


@schemathesis.check
def spaceone_server_error(ctx, response, case):
    """No 5xx except a documented input-caused 500 with the documented error body.

    A schema-valid body passes the parser's field, type and enum checks, so for it the only
    parser error left is two members of one oneof (`key` and `k`, ...), which the spec cannot
    forbid without `not`."""
    if not _is_spaceone(case) or response.status_code < 500:
        return None
    detail = _error_detail(response)
    if response.status_code == 500 and detail and detail["code"] in INPUT_SERVER_ERRORS:
        positive = case.meta is not None and case.meta.generation.mode.is_positive
        oneof = "oneof fields" in str(detail.get("message", ""))
        if not (positive and detail["code"] == "ERROR_UNKNOWN" and not oneof):
            return None
        raise AssertionError(
            "A schema-valid request was refused by the parser (500 ERROR_UNKNOWN) for a "
            f"reason other than a oneof clash: {response.text[:300]!r}"
        )
    raise AssertionError(
        f"Server error {response.status_code}: only a 500 with code "
        f"{' or '.join(sorted(INPUT_SERVER_ERRORS))} (rejected input) is expected, "
        f"got {response.text[:300]!r}"
    )


@schemathesis.check
def spaceone_positive_data_acceptance(ctx, response, case):
    """`positive_data_acceptance`, forgiving the 400s of query-language rules."""
    if not _is_spaceone(case):
        return None
    try:
        return positive_data_acceptance(ctx, response, case)
    except AssertionError:
        if _query_language_rule(response, case):
            return None
        raise


@schemathesis.check
def cloud_rewind_positive_data_acceptance(ctx, response, case):
    """`positive_data_acceptance`, forgiving a 412 about the resource's state.

    Cloud Rewind documents 412 both for input it refuses (`fieldErrors` names the parameter)
    and for a precondition on the protection (its cloud assembly is disabled, no field to
    blame). The second depends on the data, like 404 and 409, not on the request's shape."""
    if _is_spaceone(case):
        return None
    try:
        return positive_data_acceptance(ctx, response, case)
    except AssertionError:
        if response.status_code == 412:
            try:
                body = response.json()
            except Exception:
                body = None
            if isinstance(body, dict) and not body.get("fieldErrors"):
                return None
        raise


def _query_language_rule(response: Any, case: Any) -> bool:
    """A 400 about the contents of `query` (or stat's missing `aggregate`/`distinct`)."""
    detail = _error_detail(response)
    if response.status_code != 400 or detail is None:
        return False
    if detail["code"] in OPERATOR_VALUE_CODES:
        return True
    message = str(detail.get("message", ""))
    if "(key = query." in message:
        return True
    return case.operation.path.endswith("/stat") and "(key = aggregate)" in message


@schemathesis.check
def spaceone_negative_data_rejection(ctx, response, case):
    """`negative_data_rejection`, forgiving what protobuf's JSON parser accepts on purpose."""
    if not _is_spaceone(case):
        return None
    try:
        return negative_data_rejection(ctx, response, case)
    except AssertionError:
        if _valid_after_parse_dict(case):
            return None
        raise


def _request_schema(case: Any) -> dict | None:
    raw = case.operation.schema.raw_schema
    operation = raw["paths"][case.operation.path][case.operation.method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    media = content.get("application/json")
    if media is None or "schema" not in media:
        return None
    # Local `#/components/...` references resolve against this root.
    return {**media["schema"], "components": raw.get("components", {})}


def _drop_null_members(value: Any) -> Any:
    """`null` as an object member means "unset" to the parser (not inside lists)."""
    if isinstance(value, dict):
        return {k: _drop_null_members(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_null_members(v) if isinstance(v, (dict, list)) else v for v in value]
    return value


def _integral(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, str):
        try:
            return float(value.strip()).is_integer()
        except ValueError:
            return False
    return False


def _enum_number(instance: Any, names: Any) -> bool:
    return (
        isinstance(instance, int)
        and not isinstance(instance, bool)
        and isinstance(names, list)
        and 0 <= instance < len(names)
    )


def _forgiven(error: Any) -> bool:
    """An error the parser does not make: an integer given as a string or an integral float,
    or an enum given by number (both the type and the enum keyword complain about it)."""
    if error.validator == "type" and error.validator_value == "integer":
        return _integral(error.instance)
    if error.validator == "type" and error.validator_value == "string":
        return _enum_number(error.instance, error.schema.get("enum"))
    if error.validator == "enum":
        return _enum_number(error.instance, error.validator_value)
    return False


def _valid_after_parse_dict(case: Any) -> bool:
    """Whether the body is schema-valid once read the way protobuf's ParseDict reads it."""
    body = getattr(case, "body", None)
    if not isinstance(body, dict):
        return False
    schema = _request_schema(case)
    if schema is None:
        return False
    body = _drop_null_members(body)
    query = body.get("query")
    if case.operation.path.endswith("/stat") and isinstance(query, dict) and query.get("distinct"):
        # With `distinct` the service returns distinct values instead of running the
        # pipeline (as the spec says), so it never looks at `aggregate`.
        body = {**body, "query": {k: v for k, v in query.items() if k != "aggregate"}}
    errors = list(OAS30Validator(schema).iter_errors(body))
    return all(_forgiven(e) for e in errors)
