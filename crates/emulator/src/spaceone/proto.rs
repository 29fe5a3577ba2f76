//! A tiny schema-driven check of request JSON against the protobuf messages, behaving like
//! `google.protobuf.json_format.ParseDict` (which the real REST gateway uses): proto field names
//! and lowerCamel JSON names are both accepted, unknown fields and wrong types are rejected,
//! enums may be names or numbers, JSON `null` leaves a field unset. The output uses proto
//! (snake_case) names and enum names.

use serde_json::{Map, Value};

/// A field's type.
#[derive(Clone, Copy)]
pub(crate) enum K {
    Str,
    Bool,
    U32,
    I32,
    Enum(&'static str, &'static [&'static str]),
    Msg(&'static Message),
    RepMsg(&'static Message),
    RepStr,
    /// `google.protobuf.Value`: anything, `null` included.
    Any,
    /// `google.protobuf.Struct`.
    Struct,
    /// `google.protobuf.ListValue`.
    List,
}

/// A message type: full name and fields (proto name, kind).
pub(crate) struct Message {
    pub name: &'static str,
    pub fields: &'static [(&'static str, K)],
}

const STATUS_ENUM: K = K::Enum(
    "spaceone.api.identity.v2.JobsQuery.JobStatus",
    &[
        "NONE",
        "PENDING",
        "IN_PROGRESS",
        "FAILURE",
        "SUCCESS",
        "CANCELED",
    ],
);

pub(crate) static FILTER: Message = Message {
    name: "spaceone.api.core.v2.Filter",
    fields: &[
        ("key", K::Str),
        ("k", K::Str),
        ("value", K::Any),
        ("v", K::Any),
        ("operator", K::Str),
        ("o", K::Str),
    ],
};
static SORT: Message = Message {
    name: "spaceone.api.core.v2.Sort",
    fields: &[("key", K::Str), ("desc", K::Bool)],
};
static PAGE: Message = Message {
    name: "spaceone.api.core.v2.Page",
    fields: &[("start", K::U32), ("limit", K::U32)],
};
static UNWIND: Message = Message {
    name: "spaceone.api.core.v2.Unwind",
    fields: &[("path", K::Str), ("filter", K::RepMsg(&FILTER))],
};
static QUERY: Message = Message {
    name: "spaceone.api.core.v2.Query",
    fields: &[
        ("filter", K::RepMsg(&FILTER)),
        ("filter_or", K::RepMsg(&FILTER)),
        ("sort", K::RepMsg(&SORT)),
        ("page", K::Msg(&PAGE)),
        ("minimal", K::Bool),
        ("count_only", K::Bool),
        ("only", K::RepStr),
        ("keyword", K::Str),
        ("unwind", K::Msg(&UNWIND)),
        ("lookup", K::List),
        ("add_fields", K::Struct),
    ],
};
static GROUP_KEY: Message = Message {
    name: "spaceone.api.core.v2.AggregateGroupKey",
    fields: &[
        ("key", K::Str),
        ("k", K::Str),
        ("name", K::Str),
        ("n", K::Str),
        ("date_format", K::Str),
    ],
};
static SUB_FIELD: Message = Message {
    name: "spaceone.api.core.v2.AggregateGroupSubField",
    fields: &[
        ("key", K::Str),
        ("k", K::Str),
        ("name", K::Str),
        ("n", K::Str),
    ],
};
static GROUP_FIELD: Message = Message {
    name: "spaceone.api.core.v2.AggregateGroupField",
    fields: &[
        ("key", K::Str),
        ("k", K::Str),
        ("name", K::Str),
        ("n", K::Str),
        ("operator", K::Str),
        ("o", K::Str),
        ("fields", K::RepMsg(&SUB_FIELD)),
        ("conditions", K::RepMsg(&FILTER)),
    ],
};
static GROUP: Message = Message {
    name: "spaceone.api.core.v2.AggregateGroup",
    fields: &[
        ("keys", K::RepMsg(&GROUP_KEY)),
        ("fields", K::RepMsg(&GROUP_FIELD)),
    ],
};
static COUNT: Message = Message {
    name: "spaceone.api.core.v2.AggregateCount",
    fields: &[("name", K::Str)],
};
static PROJECT_FIELD: Message = Message {
    name: "spaceone.api.core.v2.AggregateProjectField",
    fields: &[
        ("key", K::Str),
        ("k", K::Str),
        ("name", K::Str),
        ("n", K::Str),
        ("operator", K::Str),
        ("o", K::Str),
        ("fields", K::RepMsg(&SUB_FIELD)),
    ],
};
static PROJECT: Message = Message {
    name: "spaceone.api.core.v2.AggregateProject",
    fields: &[
        ("fields", K::RepMsg(&PROJECT_FIELD)),
        ("exclude_keys", K::Bool),
    ],
};
static AGGREGATE: Message = Message {
    name: "spaceone.api.core.v2.StatisticsAggregate",
    fields: &[
        ("unwind", K::Msg(&UNWIND)),
        ("group", K::Msg(&GROUP)),
        ("count", K::Msg(&COUNT)),
        ("sort", K::List),
        ("project", K::Msg(&PROJECT)),
        ("limit", K::I32),
        ("skip", K::I32),
    ],
};
static STAT_QUERY: Message = Message {
    name: "spaceone.api.core.v2.StatisticsQuery",
    fields: &[
        ("filter", K::RepMsg(&FILTER)),
        ("filter_or", K::RepMsg(&FILTER)),
        ("aggregate", K::RepMsg(&AGGREGATE)),
        ("page", K::Msg(&PAGE)),
        ("distinct", K::Str),
        ("keyword", K::Str),
    ],
};

/// `JobRequest` (get, delete).
pub(crate) static JOB_REQUEST: Message = Message {
    name: "spaceone.api.identity.v2.JobRequest",
    fields: &[("job_id", K::Str)],
};
/// `JobsQuery` (list).
pub(crate) static JOBS_QUERY: Message = Message {
    name: "spaceone.api.identity.v2.JobsQuery",
    fields: &[
        ("query", K::Msg(&QUERY)),
        ("job_id", K::Str),
        ("status", STATUS_ENUM),
        ("workspace_id", K::Str),
        ("trusted_account_id", K::Str),
        ("plugin_id", K::Str),
    ],
};
/// `JobStatQuery` (stat).
pub(crate) static JOB_STAT_QUERY: Message = Message {
    name: "spaceone.api.identity.v2.JobStatQuery",
    fields: &[("query", K::Msg(&STAT_QUERY))],
};

/// The oneof groups of a message: `ParseDict` refuses a body that sets two members of one.
/// (The `key`/`k`-style alias pairs of the query messages are checked where they are read,
/// see `query::alias`.)
fn oneofs(msg: &'static Message) -> &'static [(&'static str, &'static [&'static str])] {
    if std::ptr::eq(msg, &AGGREGATE) {
        &[(
            "aggregate_alias",
            &[
                "unwind", "group", "count", "sort", "project", "limit", "skip",
            ],
        )]
    } else {
        &[]
    }
}

fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in name.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn short(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// Checks `value` against `msg`; the error is the parser's message.
pub(crate) fn parse(value: &Value, msg: &'static Message) -> Result<Map<String, Value>, String> {
    let Value::Object(map) = value else {
        return Err(format!(
            "Message type \"{}\" has no field named \"{}\" at \"{}\": the request must be a JSON object",
            msg.name,
            value,
            short(msg.name)
        ));
    };
    parse_map(map, msg, short(msg.name))
}

fn parse_map(
    map: &Map<String, Value>,
    msg: &'static Message,
    path: &str,
) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    for (k, v) in map {
        let Some((name, kind)) = msg.fields.iter().find(|(n, _)| *n == k || camel(n) == *k) else {
            let available: Vec<String> = msg.fields.iter().map(|(n, _)| camel(n)).collect();
            return Err(format!(
                "Message type \"{}\" has no field named \"{k}\" at \"{path}\".\n Available Fields(except extensions): \"{:?}\"",
                msg.name, available
            ));
        };
        if out.contains_key(*name) {
            return Err(format!(
                "Message type \"{}\" should not have multiple \"{name}\" fields at \"{path}\".",
                msg.name
            ));
        }
        if v.is_null() && !matches!(kind, K::Any) {
            continue;
        }
        let field_path = format!("{path}.{name}");
        let parsed = parse_field(v, *kind, name, &field_path)?;
        out.insert(name.to_string(), parsed);
    }
    for (group, members) in oneofs(msg) {
        if members.iter().filter(|m| out.contains_key(**m)).count() > 1 {
            return Err(format!(
                "Message type \"{}\" should not have multiple \"{group}\" oneof fields at \"{path}\".",
                msg.name
            ));
        }
    }
    Ok(out)
}

fn parse_field(v: &Value, kind: K, name: &str, path: &str) -> Result<Value, String> {
    let fail = |why: &str| Err(format!("Failed to parse {name} field: {why}."));
    match kind {
        K::Str => match v {
            Value::String(_) => Ok(v.clone()),
            _ => fail(&format!("expected string or bytes-like object, got {v}")),
        },
        K::Bool => match v {
            Value::Bool(_) => Ok(v.clone()),
            _ => fail(&format!("Expected true or false without quotes, got {v}")),
        },
        K::U32 | K::I32 => {
            let n: Option<f64> = match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            let Some(n) = n else { return fail(&format!("Couldn't parse integer: {v}")) };
            if n.fract() != 0.0 || !n.is_finite() {
                return fail(&format!("Couldn't parse integer: {v}"));
            }
            let (lo, hi) = if matches!(kind, K::U32) { (0.0, u32::MAX as f64) } else { (i32::MIN as f64, i32::MAX as f64) };
            if n < lo || n > hi {
                return fail(&format!("Value out of range: {v}"));
            }
            Ok(Value::from(n as i64))
        }
        K::Enum(type_name, names) => match v {
            Value::String(s) if names.contains(&s.as_str()) => Ok(v.clone()),
            Value::Number(n) if n.as_u64().is_some_and(|i| (i as usize) < names.len()) => {
                Ok(Value::from(names[n.as_u64().unwrap_or(0) as usize]))
            }
            _ => fail(&format!("Invalid enum value {} for enum type {type_name}", v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))),
        },
        K::Msg(m) => match v {
            Value::Object(map) => Ok(Value::Object(parse_map(map, m, path)?)),
            _ => fail(&format!("Message type \"{}\" expects an object, got {v}", m.name)),
        },
        K::RepMsg(m) => match v {
            Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    Value::Object(map) => parse_map(map, m, path).map(Value::Object),
                    _ => Err(format!("Failed to parse {name} field: Message type \"{}\" expects an object, got {item}.", m.name)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            _ => fail(&format!("repeated field {name} must be in [] which is {v}")),
        },
        K::RepStr => match v {
            Value::Array(items) if items.iter().all(Value::is_string) => Ok(v.clone()),
            _ => fail(&format!("repeated field {name} must be a list of strings, got {v}")),
        },
        K::Any => Ok(v.clone()),
        K::Struct => match v {
            Value::Object(_) => Ok(v.clone()),
            _ => fail(&format!("Struct must be in a dict which is {v}")),
        },
        K::List => match v {
            Value::Array(_) => Ok(v.clone()),
            _ => fail(&format!("ListValue must be in [] which is {v}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_both_spellings_and_normalizes() {
        let m = parse(&json!({"jobId": "job-1", "status": 4, "query": {"countOnly": true, "page": {"start": "2"}}}), &JOBS_QUERY).unwrap();
        assert_eq!(m["job_id"], "job-1");
        assert_eq!(m["status"], "SUCCESS");
        assert_eq!(m["query"]["count_only"], true);
        assert_eq!(m["query"]["page"]["start"], 2);
    }

    #[test]
    fn rejects_what_parse_dict_rejects() {
        assert!(parse(&json!({"foo": 1}), &JOBS_QUERY).is_err());
        assert!(parse(&json!({"status": "DONE"}), &JOBS_QUERY).is_err());
        assert!(parse(&json!({"job_id": 5}), &JOB_REQUEST).is_err());
        assert!(parse(&json!({"query": {"page": {"limit": -1}}}), &JOBS_QUERY).is_err());
        assert!(parse(&json!({"query": {"filter": {"k": "a"}}}), &JOBS_QUERY).is_err());
        assert!(parse(&json!([1]), &JOBS_QUERY).is_err());
        assert!(parse(&json!({"job_id": "a", "jobId": "b"}), &JOB_REQUEST).is_err());
        assert!(
            parse(&json!({"job_id": null}), &JOB_REQUEST)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn one_operation_per_aggregate_stage() {
        let stat = |stage: Value| parse(&json!({"query": {"aggregate": [stage]}}), &JOB_STAT_QUERY);
        let err = stat(json!({"group": {}, "count": {}})).unwrap_err();
        assert!(
            err.contains("multiple \"aggregate_alias\" oneof fields"),
            "{err}"
        );
        assert!(stat(json!({"limit": 0, "skip": 1})).is_err());
        // One member, even a zero one, is fine; `null` leaves a member unset.
        assert!(stat(json!({"limit": 0})).is_ok());
        assert!(stat(json!({"group": {}, "count": null})).is_ok());
    }
}
