//! Partner Central Selling `ListResourceSnapshotJobs` (awsJson 1.0).
//!
//! Semantics are documented in `crate::services::partner_central` (`src/doc/partner_central.md`).

use serde_json::{Map, Value, json};
use std::cmp::Ordering;

use super::{
    AwsError, FieldError, Input, Operation, Protocol, decode_token, fingerprint, object, page_from,
    validation_message,
};
use crate::model::{Fixture, PARTNER_CENTRAL_STATUSES, PartnerCentralJob, Service};
use crate::state::Shared;

pub(crate) static OPERATION: Operation = Operation {
    service: Service::PartnerCentral,
    protocol: Protocol::Json10,
    signing_name: "partnercentral-selling",
    throttle: (429, "ThrottlingException"),
    server_error: "InternalServerException",
    handler: list,
    validation: malformed,
    code_for_status,
};

fn code_for_status(status: u16) -> &'static str {
    match status {
        400 => "ValidationException",
        403 => "AccessDeniedException",
        404 => "ResourceNotFoundException",
        429 => "ThrottlingException",
        s if s >= 500 => "InternalServerException",
        _ => "ValidationException",
    }
}

fn validation(errors: &[FieldError]) -> AwsError {
    let mut e = AwsError::new(400, "ValidationException", validation_message(errors));
    e.extra
        .insert("Reason".into(), Value::from("REQUEST_VALIDATION_FAILED"));
    e.extra.insert(
        "ErrorList".into(),
        Value::Array(
            errors
                .iter()
                .map(|f| json!({"FieldName": f.field, "Message": f.sentence(), "Code": f.code}))
                .collect(),
        ),
    );
    e
}

fn malformed(message: String) -> AwsError {
    let mut e = AwsError::new(400, "ValidationException", message.clone());
    e.extra
        .insert("Reason".into(), Value::from("REQUEST_VALIDATION_FAILED"));
    e.extra.insert(
        "ErrorList".into(),
        json!([{"Message": message, "Code": "INVALID_VALUE"}]),
    );
    e
}

fn is_catalog(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn is_engagement(s: &str) -> bool {
    s.len() == 18
        && s.starts_with("eng-")
        && s[4..]
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// A job's place in the list order: creation time (nanoseconds) and id.
type Key<'a> = (Option<i128>, &'a str);

fn key(j: &PartnerCentralJob) -> Key<'_> {
    (j.created_date.map(|t| t.unix_timestamp_nanos()), &j.id)
}

/// The list order: creation time in the asked direction, then id.
fn order(a: Key<'_>, b: Key<'_>, descending: bool) -> Ordering {
    let ord = a.0.cmp(&b.0);
    let ord = if descending { ord.reverse() } else { ord };
    ord.then_with(|| a.1.cmp(b.1))
}

/// The cursor after a job: its key as JSON text (`["<nanos>" or null, "<id>"]`).
fn cursor(j: &PartnerCentralJob) -> String {
    let (t, id) = key(j);
    json!([t.map(|t| t.to_string()), id]).to_string()
}

fn parse_cursor(c: &str) -> Option<(Option<i128>, String)> {
    let (t, id): (Option<String>, String) = serde_json::from_str(c).ok()?;
    let t = match t {
        Some(t) => Some(t.parse().ok()?),
        None => None,
    };
    Some((t, id))
}

/// The positions of the jobs of one catalog (and engagement, when given), in list order.
fn sorted(data: &Fixture, catalog: &str, engagement: Option<&str>, descending: bool) -> Vec<u32> {
    let mut idx: Vec<u32> = data
        .partner_central
        .iter()
        .enumerate()
        .filter(|(_, j)| j.catalog == catalog)
        .filter(|(_, j)| engagement.is_none_or(|e| j.engagement_id == e))
        .map(|(i, _)| i as u32)
        .collect();
    let jobs = &data.partner_central;
    idx.sort_by(|a, b| order(key(&jobs[*a as usize]), key(&jobs[*b as usize]), descending));
    idx
}

fn list(shared: &Shared, data: &Fixture, map: &Map<String, Value>) -> Result<Value, AwsError> {
    let mut input = Input::new(map);
    let catalog = input.string("Catalog");
    match &catalog {
        None if matches!(map.get("Catalog"), None | Some(Value::Null)) => {
            input.push(FieldError::constraint(
                "Catalog",
                None,
                "REQUIRED_FIELD_MISSING",
                "Member must not be null",
            ))
        }
        Some(c) if !is_catalog(c) => input.push(FieldError::constraint(
            "Catalog",
            Some(c.clone()),
            "INVALID_STRING_FORMAT",
            "Member must satisfy regular expression pattern: ^[a-zA-Z]+$",
        )),
        _ => {}
    }
    let engagement = input.string("EngagementIdentifier");
    if let Some(e) = &engagement
        && !is_engagement(e)
    {
        input.push(FieldError::constraint(
            "EngagementIdentifier",
            Some(e.clone()),
            "INVALID_STRING_FORMAT",
            "Member must satisfy regular expression pattern: ^eng-[0-9a-z]{14}$",
        ));
    }
    let status = input.enum_value("Status", PARTNER_CENTRAL_STATUSES);
    let max = input.ranged("MaxResults", 1, 1000).unwrap_or(50) as usize;
    let token = input.string("NextToken").filter(|t| !t.is_empty());
    let mut descending = true;
    if let Some(sort) = input.object("Sort") {
        let mut s = Input {
            map: sort,
            prefix: "Sort".into(),
            errors: Vec::new(),
        };
        s.enum_value("SortBy", &["CreatedDate"]);
        if let Some(order) = s.enum_value("SortOrder", &["ASCENDING", "DESCENDING"]) {
            descending = order == "DESCENDING";
        }
        input.errors.extend(s.errors);
    }
    if !input.errors.is_empty() {
        return Err(validation(&input.errors));
    }
    let catalog = catalog.unwrap_or_default();
    let fp = fingerprint(&[
        &catalog,
        engagement.as_deref().unwrap_or(""),
        status.as_deref().unwrap_or(""),
        if descending { "D" } else { "A" },
    ]);
    let bad_token = || {
        validation(&[FieldError::constraint(
            "NextToken",
            None,
            "INVALID_VALUE",
            "Member must be a token returned by a previous call with the same parameters",
        )])
    };
    let after = match &token {
        None => None,
        Some(t) => Some(
            decode_token(t, "pcs", fp)
                .and_then(|c| parse_cursor(&c))
                .ok_or_else(bad_token)?,
        ),
    };
    let name = format!(
        "{catalog}\0{}\0{}",
        engagement.as_deref().unwrap_or(""),
        if descending { "D" } else { "A" }
    );
    let index = shared.index(data, Service::PartnerCentral, &name, |d| {
        sorted(d, &catalog, engagement.as_deref(), descending)
    });
    if let Some(e) = &engagement
        && index.is_empty()
    {
        return Err(AwsError::new(
            404,
            "ResourceNotFoundException",
            format!("Engagement {e} was not found in catalog {catalog}"),
        ));
    }
    let jobs = &data.partner_central;
    let start = match &after {
        None => 0,
        Some((t, id)) => index.partition_point(|i| {
            order(key(&jobs[*i as usize]), (*t, id), descending) != Ordering::Greater
        }),
    };
    let (items, next) = page_from(
        index[start..].iter().map(|i| &jobs[*i as usize]),
        |j| status.as_ref().is_none_or(|s| &j.status == s),
        |j| cursor(j),
        max,
        "pcs",
        fp,
    );
    Ok(object(vec![
        (
            "ResourceSnapshotJobSummaries",
            Some(Value::Array(
                items
                    .iter()
                    .map(|j| json!({"Id": j.id, "Arn": j.arn, "EngagementId": j.engagement_id, "Status": j.status}))
                    .collect(),
            )),
        ),
        ("NextToken", next.map(Value::from)),
    ]))
}
