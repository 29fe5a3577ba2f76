//! SSM `DescribeMaintenanceWindowExecutionTasks` (awsJson 1.1).
//!
//! Semantics are documented in `crate::services::ssm` (`src/doc/ssm.md`).

use serde_json::{Map, Value};

use super::{
    AwsError, FieldError, Input, Operation, Protocol, decode_token, fingerprint, object, page_from,
    validation_message,
};
use crate::model::{Fixture, Service, SsmTask};
use crate::state::Shared;
use crate::timefmt::epoch_json;

pub(crate) static OPERATION: Operation = Operation {
    service: Service::Ssm,
    protocol: Protocol::Json11,
    signing_name: "ssm",
    throttle: (400, "ThrottlingException"),
    server_error: "InternalServerError",
    handler: list,
    validation: malformed,
    code_for_status,
};

/// Status values accepted by the `STATUS` filter.
const FILTER_VALUES: &[&str] = &[
    "PENDING",
    "IN_PROGRESS",
    "SUCCESS",
    "FAILED",
    "TIMED_OUT",
    "CANCELLING",
    "CANCELLED",
];

fn code_for_status(status: u16) -> &'static str {
    match status {
        400 => "DoesNotExistException",
        429 => "ThrottlingException",
        s if s >= 500 => "InternalServerError",
        _ => "ValidationException",
    }
}

fn malformed(message: String) -> AwsError {
    AwsError::new(400, "ValidationException", message)
}

pub(crate) fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn task_wire(execution_id: &str, t: &SsmTask) -> Value {
    object(vec![
        ("WindowExecutionId", Some(Value::from(execution_id))),
        (
            "TaskExecutionId",
            Some(Value::from(t.task_execution_id.clone())),
        ),
        ("Status", Some(Value::from(t.status.clone()))),
        ("StatusDetails", t.status_details.clone().map(Value::from)),
        ("StartTime", t.start_time.map(epoch_json)),
        ("EndTime", t.end_time.map(epoch_json)),
        ("TaskArn", Some(Value::from(t.task_arn.clone()))),
        ("TaskType", Some(Value::from(t.task_type.clone()))),
        ("AlarmConfiguration", t.alarm_configuration.clone()),
        ("TriggeredAlarms", t.triggered_alarms.clone()),
    ])
}

fn list(_shared: &Shared, data: &Fixture, map: &Map<String, Value>) -> Result<Value, AwsError> {
    let mut input = Input::new(map);
    let id = input.string("WindowExecutionId");
    match &id {
        None if matches!(map.get("WindowExecutionId"), None | Some(Value::Null)) => {
            input.push(FieldError::constraint("WindowExecutionId", None, "REQUIRED_FIELD_MISSING", "Member must not be null"))
        }
        Some(v) if v.chars().count() != 36 => input.push(FieldError::constraint(
            "WindowExecutionId",
            Some(v.clone()),
            "INVALID_VALUE",
            if v.chars().count() < 36 {
                "Member must have length greater than or equal to 36"
            } else {
                "Member must have length less than or equal to 36"
            },
        )),
        Some(v) if !is_uuid(v) => input.push(FieldError::constraint(
            "WindowExecutionId",
            Some(v.clone()),
            "INVALID_STRING_FORMAT",
            "Member must satisfy regular expression pattern: ^[0-9a-fA-F]{8}\\-[0-9a-fA-F]{4}\\-[0-9a-fA-F]{4}\\-[0-9a-fA-F]{4}\\-[0-9a-fA-F]{12}$",
        )),
        _ => {}
    }
    let mut filters: Vec<Vec<String>> = Vec::new();
    if let Some(list) = input.array("Filters") {
        if list.len() > 5 {
            input.push(FieldError::constraint(
                "Filters",
                None,
                "TOO_MANY_VALUES",
                "Member must have length less than or equal to 5",
            ));
        }
        for (i, f) in list.iter().enumerate() {
            let path = format!("Filters.{}", i + 1);
            let Value::Object(m) = f else {
                input.push(FieldError::constraint(
                    &path,
                    None,
                    "INVALID_VALUE",
                    "Member must be an object",
                ));
                continue;
            };
            let mut fi = Input {
                map: m,
                prefix: path.clone(),
                errors: Vec::new(),
            };
            match fi.string("Key") {
                Some(k) if k == "STATUS" => {}
                Some(k) => fi.push(FieldError::constraint(
                    &format!("{path}.Key"),
                    Some(k),
                    "INVALID_VALUE",
                    "Member must be a supported filter key: [STATUS]",
                )),
                None if matches!(m.get("Key"), None | Some(Value::Null)) => {
                    fi.push(FieldError::constraint(
                        &format!("{path}.Key"),
                        None,
                        "REQUIRED_FIELD_MISSING",
                        "Member must not be null",
                    ))
                }
                None => {}
            }
            let mut values = Vec::new();
            match fi.array("Values") {
                Some(vs) if vs.is_empty() => fi.push(FieldError::constraint(
                    &format!("{path}.Values"),
                    Some("[]".into()),
                    "NOT_ENOUGH_VALUES",
                    "Member must have length greater than or equal to 1",
                )),
                Some(vs) => {
                    for v in vs {
                        match v.as_str() {
                            Some(s) if FILTER_VALUES.contains(&s) => values.push(s.to_string()),
                            _ => fi.push(FieldError::constraint(
                                &format!("{path}.Values"),
                                Some(
                                    v.as_str()
                                        .map(str::to_string)
                                        .unwrap_or_else(|| v.to_string()),
                                ),
                                "INVALID_ENUM_VALUE",
                                format!(
                                    "Member must satisfy enum value set: [{}]",
                                    FILTER_VALUES.join(", ")
                                ),
                            )),
                        }
                    }
                }
                None if matches!(m.get("Values"), None | Some(Value::Null)) => {
                    fi.push(FieldError::constraint(
                        &format!("{path}.Values"),
                        None,
                        "REQUIRED_FIELD_MISSING",
                        "Member must not be null",
                    ))
                }
                None => {}
            }
            input.errors.extend(fi.errors);
            filters.push(values);
        }
    }
    let max = input.ranged("MaxResults", 10, 100).unwrap_or(10) as usize;
    let token = input.string("NextToken").filter(|t| !t.is_empty());
    if !input.errors.is_empty() {
        return Err(AwsError::new(
            400,
            "ValidationException",
            validation_message(&input.errors),
        ));
    }
    let id = id.unwrap_or_default();
    let Some(exec) = data
        .ssm
        .iter()
        .find(|e| e.window_execution_id.eq_ignore_ascii_case(&id))
    else {
        return Err(AwsError::new(
            400,
            "DoesNotExistException",
            format!("Maintenance window execution {id} does not exist"),
        ));
    };
    let filter_key: Vec<String> = filters.iter().map(|v| v.join(",")).collect();
    let mut parts: Vec<&str> = vec![&exec.window_execution_id];
    parts.extend(filter_key.iter().map(String::as_str));
    let fp = fingerprint(&parts);
    // The cursor is the position in the execution's task list (filtered or not) where the
    // next page starts, so tasks that change status meanwhile do not shift it.
    let start = match &token {
        None => 0,
        Some(t) => decode_token(t, "ssm", fp)
            .and_then(|c| c.parse::<usize>().ok())
            .ok_or_else(|| {
                AwsError::new(400, "InvalidNextToken", "The specified token isn't valid.")
            })?,
    };
    let (items, next) = page_from(
        exec.tasks.iter().enumerate().skip(start),
        |(_, t)| filters.iter().all(|values| values.contains(&t.status)),
        |(i, _)| (i + 1).to_string(),
        max,
        "ssm",
        fp,
    );
    let items: Vec<_> = items.into_iter().map(|(_, t)| t).collect();
    Ok(object(vec![
        (
            "WindowExecutionTaskIdentities",
            Some(Value::Array(
                items
                    .iter()
                    .map(|t| task_wire(&exec.window_execution_id, t))
                    .collect(),
            )),
        ),
        ("NextToken", next.map(Value::from)),
    ]))
}
