//! Macie2 `ListClassificationJobs` (restJson1, `POST /jobs/list`).
//!
//! Semantics are documented in `crate::services::macie2` (`src/doc/macie2.md`).

use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::cmp::Ordering;

use super::{
    AwsError, FieldError, Input, Operation, Protocol, decode_token, fingerprint, object, page_from,
    validation_message,
};
use crate::model::{Fixture, Macie2Job, Service};
use crate::state::Shared;
use crate::timefmt::{iso_millis, parse_iso};

pub(crate) static OPERATION: Operation = Operation {
    service: Service::Macie2,
    protocol: Protocol::RestJson,
    signing_name: "macie2",
    throttle: (429, "ThrottlingException"),
    server_error: "InternalServerException",
    handler: list,
    validation: malformed,
    code_for_status,
};

const COMPARATORS: &[&str] = &[
    "EQ",
    "GT",
    "GTE",
    "LT",
    "LTE",
    "NE",
    "CONTAINS",
    "STARTS_WITH",
];
const KEYS: &[&str] = &["jobType", "jobStatus", "createdAt", "name"];
const SORT_KEYS: &[&str] = &["createdAt", "jobStatus", "name", "jobType"];

fn code_for_status(status: u16) -> &'static str {
    match status {
        400 => "ValidationException",
        402 => "ServiceQuotaExceededException",
        403 => "AccessDeniedException",
        404 => "ResourceNotFoundException",
        409 => "ConflictException",
        429 => "ThrottlingException",
        s if s >= 500 => "InternalServerException",
        _ => "ValidationException",
    }
}

fn malformed(message: String) -> AwsError {
    AwsError::new(400, "ValidationException", message)
}

struct Term {
    comparator: String,
    key: String,
    values: Vec<String>,
    times: Vec<time::OffsetDateTime>,
}

fn parse_terms(input: &mut Input<'_>, name: &str) -> Vec<Term> {
    let Some(list) = input.array(name) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let path = format!("{}.{name}.{}", input.prefix, i + 1);
        let Value::Object(m) = item else {
            input.push(FieldError::constraint(
                &path,
                None,
                "INVALID_VALUE",
                "Member must be an object",
            ));
            continue;
        };
        let mut t = Input {
            map: m,
            prefix: path.clone(),
            errors: Vec::new(),
        };
        let comparator = t.enum_value("comparator", COMPARATORS);
        let key = t.enum_value("key", KEYS);
        if key.is_none() && matches!(m.get("key"), None | Some(Value::Null)) {
            t.push(FieldError::constraint(
                &format!("{path}.key"),
                None,
                "REQUIRED_FIELD_MISSING",
                "Member must not be null",
            ));
        }
        let mut values = Vec::new();
        match t.array("values") {
            None if t.errors.iter().any(|e| e.field.ends_with("values")) => {}
            None => t.push(FieldError::constraint(
                &format!("{path}.values"),
                None,
                "REQUIRED_FIELD_MISSING",
                "Member must not be null",
            )),
            Some(vs) if vs.is_empty() => t.push(FieldError::constraint(
                &format!("{path}.values"),
                Some("[]".into()),
                "NOT_ENOUGH_VALUES",
                "Member must have at least 1 value",
            )),
            Some(vs) => {
                for v in vs {
                    match v {
                        Value::String(s) => values.push(s.clone()),
                        other => t.push(FieldError::constraint(
                            &format!("{path}.values"),
                            Some(other.to_string()),
                            "INVALID_VALUE",
                            "Member must be a list of strings",
                        )),
                    }
                }
            }
        }
        let comparator = comparator.unwrap_or_else(|| "EQ".into());
        let mut times = Vec::new();
        if key.as_deref() == Some("createdAt")
            && !matches!(comparator.as_str(), "CONTAINS" | "STARTS_WITH")
        {
            for v in &values {
                match parse_iso(v) {
                    Some(ts) => times.push(ts),
                    None => t.push(FieldError::constraint(
                        &format!("{path}.values"),
                        Some(v.clone()),
                        "INVALID_STRING_FORMAT",
                        "Member must be an ISO 8601 timestamp for key createdAt",
                    )),
                }
            }
        }
        input.errors.extend(t.errors);
        if let Some(key) = key {
            out.push(Term {
                comparator,
                key,
                values,
                times,
            });
        }
    }
    out
}

fn attr<'a>(job: &'a Macie2Job, key: &str) -> Cow<'a, str> {
    match key {
        "jobType" => Cow::Borrowed(&job.job_type),
        "jobStatus" => Cow::Borrowed(&job.job_status),
        "name" => Cow::Borrowed(&job.name),
        _ => Cow::Owned(job.created_at.map(iso_millis).unwrap_or_default()),
    }
}

/// A job's value for a sort key: creation time (nanoseconds) or text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum SortVal<'a> {
    Time(Option<i128>),
    Text(&'a str),
}

fn sort_val<'a>(job: &'a Macie2Job, key: &str) -> SortVal<'a> {
    match key {
        "createdAt" => SortVal::Time(job.created_at.map(|t| t.unix_timestamp_nanos())),
        "jobType" => SortVal::Text(&job.job_type),
        "jobStatus" => SortVal::Text(&job.job_status),
        _ => SortVal::Text(&job.name),
    }
}

/// The list order: the sort key's value in the asked direction, then the job id.
fn order(a: (SortVal<'_>, &str), b: (SortVal<'_>, &str), descending: bool) -> Ordering {
    let ord = a.0.cmp(&b.0);
    let ord = if descending { ord.reverse() } else { ord };
    ord.then_with(|| a.1.cmp(b.1))
}

/// The cursor after a job: its sort value and id as JSON text.
fn cursor(job: &Macie2Job, key: &str) -> String {
    match sort_val(job, key) {
        SortVal::Time(t) => json!(["t", t.map(|t| t.to_string()), job.job_id]),
        SortVal::Text(s) => json!(["s", s, job.job_id]),
    }
    .to_string()
}

/// A decoded cursor: kind (`t` or `s`), value, job id.
type Cursor = (String, Option<String>, String);

fn bound(c: &Cursor) -> Option<(SortVal<'_>, &str)> {
    let v = match (c.0.as_str(), &c.1) {
        ("t", None) => SortVal::Time(None),
        ("t", Some(n)) => SortVal::Time(Some(n.parse().ok()?)),
        ("s", Some(s)) => SortVal::Text(s),
        _ => return None,
    };
    Some((v, &c.2))
}

/// The positions of all jobs in the order of `key` and direction.
fn sorted_index(data: &Fixture, key: &str, descending: bool) -> Vec<u32> {
    let jobs = &data.macie2;
    let mut idx: Vec<u32> = (0..jobs.len() as u32).collect();
    idx.sort_by(|a, b| {
        let (a, b) = (&jobs[*a as usize], &jobs[*b as usize]);
        order(
            (sort_val(a, key), &a.job_id),
            (sort_val(b, key), &b.job_id),
            descending,
        )
    });
    idx
}

fn satisfies(ord: Ordering, comparator: &str) -> bool {
    match comparator {
        "EQ" => ord == Ordering::Equal,
        "NE" => ord != Ordering::Equal,
        "GT" => ord == Ordering::Greater,
        "GTE" => ord != Ordering::Less,
        "LT" => ord == Ordering::Less,
        "LTE" => ord != Ordering::Greater,
        _ => false,
    }
}

fn matches(job: &Macie2Job, t: &Term) -> bool {
    let text = || attr(job, &t.key);
    match t.comparator.as_str() {
        "CONTAINS" => {
            let text = text();
            t.values.iter().any(|v| text.contains(v.as_str()))
        }
        "STARTS_WITH" => {
            let text = text();
            t.values.iter().any(|v| text.starts_with(v.as_str()))
        }
        cmp if t.key == "createdAt" => {
            let Some(created) = job.created_at else {
                return false;
            };
            if cmp == "NE" {
                t.times.iter().all(|v| created != *v)
            } else {
                t.times.iter().any(|v| satisfies(created.cmp(v), cmp))
            }
        }
        "NE" => {
            let text = text();
            t.values.iter().all(|v| text.as_ref() != v.as_str())
        }
        cmp => {
            let text = text();
            t.values
                .iter()
                .any(|v| satisfies(text.as_ref().cmp(v.as_str()), cmp))
        }
    }
}

/// Wire form of a job.
pub(crate) fn summary(j: &Macie2Job) -> Value {
    let paused = if j.job_status == "USER_PAUSED" {
        j.user_paused_details
            .as_ref()
            .map(|d| serde_json::to_value(d).unwrap_or(Value::Null))
    } else {
        None
    };
    object(vec![
        ("bucketCriteria", j.bucket_criteria.clone()),
        ("bucketDefinitions", j.bucket_definitions.clone()),
        (
            "createdAt",
            j.created_at.map(|t| Value::from(iso_millis(t))),
        ),
        ("jobId", Some(Value::from(j.job_id.clone()))),
        ("jobStatus", Some(Value::from(j.job_status.clone()))),
        ("jobType", Some(Value::from(j.job_type.clone()))),
        (
            "lastRunErrorStatus",
            j.last_run_error_status
                .as_ref()
                .map(|s| json!({"code": s.code})),
        ),
        ("name", Some(Value::from(j.name.clone()))),
        ("userPausedDetails", paused),
    ])
}

fn list(shared: &Shared, data: &Fixture, map: &Map<String, Value>) -> Result<Value, AwsError> {
    let mut input = Input::new(map);
    let (mut includes, mut excludes) = (Vec::new(), Vec::new());
    if let Some(fc) = input.object("filterCriteria") {
        let mut f = Input {
            map: fc,
            prefix: "filterCriteria".into(),
            errors: Vec::new(),
        };
        includes = parse_terms(&mut f, "includes");
        excludes = parse_terms(&mut f, "excludes");
        input.errors.extend(f.errors);
    }
    let (mut sort_key, mut ascending, mut sorted) = ("createdAt".to_string(), false, false);
    if let Some(sc) = input.object("sortCriteria") {
        let mut s = Input {
            map: sc,
            prefix: "sortCriteria".into(),
            errors: Vec::new(),
        };
        sort_key = s
            .enum_value("attributeName", SORT_KEYS)
            .unwrap_or_else(|| "createdAt".into());
        ascending = s
            .enum_value("orderBy", &["ASC", "DESC"])
            .is_none_or(|o| o == "ASC");
        sorted = true;
        input.errors.extend(s.errors);
    }
    let max = input.ranged("maxResults", 1, 200).unwrap_or(100) as usize;
    let token = input.string("nextToken").filter(|t| !t.is_empty());
    if !input.errors.is_empty() {
        return Err(AwsError::new(
            400,
            "ValidationException",
            validation_message(&input.errors),
        ));
    }
    // The token is bound to the filter and sort, not to maxResults.
    let mut canon = map.clone();
    canon.remove("maxResults");
    canon.remove("nextToken");
    let canon = Value::Object(canon).to_string();
    let fp = fingerprint(&[&canon]);
    let after: Option<Cursor> = match &token {
        None => None,
        Some(t) => Some(
            decode_token(t, "macie2", fp)
                .and_then(|c| serde_json::from_str::<Cursor>(&c).ok())
                .filter(|c| bound(c).is_some())
                .ok_or_else(|| {
                    AwsError::new(
                        400,
                        "ValidationException",
                        "The nextToken is invalid or does not belong to this query.",
                    )
                })?,
        ),
    };
    // Without sortCriteria the newest come first.
    let descending = !(ascending && sorted);
    let name = format!("{sort_key}\0{}", if descending { "D" } else { "A" });
    let index = shared.index(data, Service::Macie2, &name, |d| {
        sorted_index(d, &sort_key, descending)
    });
    let jobs = &data.macie2;
    let start = match after.as_ref().and_then(bound) {
        None => 0,
        Some(b) => index.partition_point(|i| {
            let j = &jobs[*i as usize];
            order((sort_val(j, &sort_key), &j.job_id), b, descending) != Ordering::Greater
        }),
    };
    let (items, next) = page_from(
        index[start..].iter().map(|i| &jobs[*i as usize]),
        |j| includes.iter().all(|t| matches(j, t)) && !excludes.iter().any(|t| matches(j, t)),
        |j| cursor(j, &sort_key),
        max,
        "macie2",
        fp,
    );
    Ok(object(vec![
        (
            "items",
            Some(Value::Array(items.iter().map(|j| summary(j)).collect())),
        ),
        ("nextToken", next.map(Value::from)),
    ]))
}
