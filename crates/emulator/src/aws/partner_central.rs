//! Partner Central Selling `ListResourceSnapshotJobs` (awsJson 1.0).
//!
//! Semantics are documented in `crate::services::partner_central` (`src/doc/partner_central.md`).

use serde_json::{Map, Value, json};

use super::{
    AwsError, FieldError, Input, Operation, Protocol, decode_token, fingerprint, object, page,
    validation_message,
};
use crate::model::{Fixture, PARTNER_CENTRAL_STATUSES, PartnerCentralJob, Service};

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

fn list(data: &Fixture, map: &Map<String, Value>) -> Result<Value, AwsError> {
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
    let offset = match &token {
        None => 0,
        Some(t) => decode_token(t, "pcs", fp).ok_or_else(|| {
            validation(&[FieldError::constraint(
                "NextToken",
                None,
                "INVALID_VALUE",
                "Member must be a token returned by a previous call with the same parameters",
            )])
        })?,
    };
    if let Some(e) = &engagement
        && !data
            .partner_central
            .iter()
            .any(|j| &j.engagement_id == e && j.catalog == catalog)
    {
        return Err(AwsError::new(
            404,
            "ResourceNotFoundException",
            format!("Engagement {e} was not found in catalog {catalog}"),
        ));
    }
    let mut jobs: Vec<&PartnerCentralJob> = data
        .partner_central
        .iter()
        .filter(|j| j.catalog == catalog)
        .filter(|j| engagement.as_ref().is_none_or(|e| &j.engagement_id == e))
        .filter(|j| status.as_ref().is_none_or(|s| &j.status == s))
        .collect();
    jobs.sort_by(|a, b| {
        let ord = a.created_date.cmp(&b.created_date);
        let ord = if descending { ord.reverse() } else { ord };
        ord.then_with(|| a.id.cmp(&b.id))
    });
    let (items, next) = page(&jobs, offset, max, "pcs", fp);
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
