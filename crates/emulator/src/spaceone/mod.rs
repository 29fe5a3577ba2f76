//! SpaceONE identity v2 `Job`: `POST /identity/v2/job/{delete,get,list,stat}` and the REST
//!
//! Semantics are documented in `crate::services::spaceone` (`src/doc/spaceone.md`).

pub(crate) mod proto;
pub(crate) mod query;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::Response;
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use crate::faults::Fault;
use crate::http::{BodyError, drop_connection, fault_prelude, json_response, read_body};
use crate::model::Fixture;
use crate::model::{Service, SpaceOneJob};
use crate::state::Shared;
use crate::timefmt::iso_millis;
use query::{Cond, Doc, SortKey, cond, sort_keys};

/// A SpaceONE error: HTTP status, `ERROR_*` code and message.
#[derive(Debug, Clone)]
pub(crate) struct SpError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl SpError {
    pub(crate) fn new(status: u16, code: &str, message: impl Into<String>) -> SpError {
        SpError {
            status,
            code: code.into(),
            message: message.into(),
        }
    }
    pub(crate) fn unknown(message: impl Into<String>) -> SpError {
        SpError::new(500, "ERROR_UNKNOWN", message)
    }
    pub(crate) fn required(key: &str) -> SpError {
        SpError::new(
            400,
            "ERROR_REQUIRED_PARAMETER",
            format!("Required parameter. (key = {key})"),
        )
    }
    pub(crate) fn invalid(key: &str, reason: &str) -> SpError {
        SpError::new(
            400,
            "ERROR_INVALID_PARAMETER",
            format!("Parameter is invalid. (key = {key}, reason = {reason})"),
        )
    }
    pub(crate) fn db_query(reason: String) -> SpError {
        SpError::new(
            500,
            "ERROR_DB_QUERY",
            format!("Database query failed. (reason = {reason})"),
        )
    }
}

pub(crate) fn error_response(e: SpError) -> Response<Body> {
    json_response(
        e.status,
        &json!({"detail": {"code": e.code, "message": e.message}}),
    )
}

fn code_for_status(status: u16) -> &'static str {
    match status {
        400 => "ERROR_INVALID_PARAMETER",
        401 => "ERROR_AUTHENTICATE_FAILURE",
        403 => "ERROR_PERMISSION_DENIED",
        404 => "ERROR_NOT_FOUND",
        409 => "ERROR_ALREADY_EXISTS",
        429 => "ERROR_TOO_MANY_REQUESTS",
        503 => "ERROR_GRPC_CONNECTION",
        504 => "ERROR_REQUEST_TIMEOUT",
        _ => "ERROR_UNKNOWN",
    }
}

/// Checks `Authorization: Bearer <token>`: `Ok(true)` for the full token, `Ok(false)` for the
/// forbidden one, `Err(reason)` otherwise.
pub(crate) fn bearer(
    shared: &Shared,
    headers: &axum::http::HeaderMap,
) -> Result<bool, &'static str> {
    let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return Err("empty token provided.");
    };
    let mut parts = value.trim().splitn(2, ' ');
    let scheme = parts.next().unwrap_or("");
    let token = parts.next().unwrap_or("").trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err("empty token provided.");
    }
    if crate::sigv4::constant_time_eq(token.as_bytes(), shared.creds.bearer_token.as_bytes()) {
        Ok(true)
    } else if crate::sigv4::constant_time_eq(
        token.as_bytes(),
        shared.creds.forbidden_token.as_bytes(),
    ) {
        Ok(false)
    } else {
        Err("Token is invalid or expired.")
    }
}

/// Handler for both path shapes.
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<String>, PathRejection>,
    req: Request,
) -> Response<Body> {
    // A verb that does not decode to text (e.g. `%FF`) is no API of the service.
    let Ok(Path(verb)) = path else {
        return error_response(SpError::new(
            404,
            "ERROR_UNSUPPORTED_API",
            "Unsupported API. (reason = the verb in the path is not valid UTF-8)",
        ));
    };
    let (parts, body) = req.into_parts();
    let body = match read_body(body).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => {
            let mut e = SpError::invalid(
                "body",
                &format!("request body exceeds {} bytes", crate::http::BODY_LIMIT),
            );
            e.status = 413;
            return error_response(e);
        }
        Err(BodyError::Broken) => {
            return error_response(SpError::unknown("Request body could not be read."));
        }
    };
    if !matches!(verb.as_str(), "delete" | "get" | "list" | "stat") {
        return error_response(SpError::new(
            404,
            "ERROR_UNSUPPORTED_API",
            format!(
                "Unsupported API. (reason = identity.Job.{verb} is not served by this emulator)"
            ),
        ));
    }
    match bearer(&shared, &parts.headers) {
        Ok(true) => {}
        Ok(false) => {
            return error_response(SpError::new(
                403,
                "ERROR_PERMISSION_DENIED",
                "Permission denied.",
            ));
        }
        Err(reason) => {
            return error_response(SpError::new(
                401,
                "ERROR_AUTHENTICATE_FAILURE",
                format!("Authenticate failure. (message = {reason})"),
            ));
        }
    }
    match fault_prelude(&shared, Service::SpaceOne).await {
        Fault::None => {}
        Fault::Drop => return drop_connection(&axum::http::Request::from_parts(parts, ())),
        Fault::Throttle => {
            return error_response(SpError::new(
                429,
                "ERROR_TOO_MANY_REQUESTS",
                "Too many requests. (injected fault)",
            ));
        }
        Fault::ServerError => {
            return error_response(SpError::new(
                503,
                "ERROR_GRPC_CONNECTION",
                "Server is unavailable. (channel = identity, message = injected fault)",
            ));
        }
        Fault::Injected(e) => {
            let code = e
                .code
                .unwrap_or_else(|| code_for_status(e.status).to_string());
            let message = e
                .message
                .unwrap_or_else(|| format!("{code} (injected by the emulator admin API)"));
            return error_response(SpError::new(e.status, &code, message));
        }
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => {
            return error_response(SpError::unknown(
                "JSON Parsing Error: Request body requires JSON format.",
            ));
        }
    };
    drop(shared.data_for(Service::SpaceOne)); // time-based progression steps due now
    let result = match verb.as_str() {
        "get" => get(&shared, &value),
        "delete" => delete(&shared, &value),
        "list" => list(&shared, &value),
        _ => stat(&shared, &value),
    };
    match result {
        Ok(v) => {
            if matches!(verb.as_str(), "get" | "list") {
                shared.count_reads(Service::SpaceOne, &v);
            }
            json_response(200, &v)
        }
        Err(e) => error_response(e),
    }
}

/// The job as the service sends it: default values left out.
pub(crate) fn job_doc(j: &SpaceOneJob) -> Map<String, Value> {
    let mut m = Map::new();
    let mut put = |k: &str, v: &str| {
        if !v.is_empty() {
            m.insert(k.to_string(), Value::from(v));
        }
    };
    put("job_id", &j.job_id);
    if j.status != "NONE" {
        put("status", &j.status);
    }
    if j.resource_group != "RESOURCE_GROUP_NONE" {
        put("resource_group", &j.resource_group);
    }
    put("error_message", j.error_message.as_deref().unwrap_or(""));
    put("domain_id", &j.domain_id);
    put("workspace_id", &j.workspace_id);
    put("trusted_account_id", &j.trusted_account_id);
    put("plugin_id", &j.plugin_id);
    for (k, t) in [
        ("created_at", j.created_at),
        ("updated_at", j.updated_at),
        ("finished_at", j.finished_at),
    ] {
        if let Some(t) = t {
            m.insert(k.to_string(), Value::from(iso_millis(t)));
        }
    }
    if let Some(o) = &j.options {
        m.insert("options".into(), Value::Object(o.clone()));
    }
    m
}

/// A stored job read as its document, field by field, without building the document.
impl Doc for SpaceOneJob {
    fn field(&self, path: &str) -> Option<Cow<'_, Value>> {
        let (head, rest) = match path.split_once('.') {
            Some((head, rest)) => (head, Some(rest)),
            None => (path, None),
        };
        if head == "options" {
            let options = self.options.as_ref()?;
            let Some(rest) = rest else {
                return Some(Cow::Owned(Value::Object(options.clone())));
            };
            let mut parts = rest.split('.');
            let mut cur = options.get(parts.next()?)?;
            for p in parts {
                cur = cur.as_object()?.get(p)?;
            }
            return Some(Cow::Borrowed(cur));
        }
        if rest.is_some() {
            // Every other field is a string: nothing below it.
            return None;
        }
        let text = |v: &str| (!v.is_empty()).then(|| Cow::Owned(Value::from(v)));
        let time =
            |t: Option<time::OffsetDateTime>| t.map(|t| Cow::Owned(Value::from(iso_millis(t))));
        match head {
            "job_id" => text(&self.job_id),
            "status" if self.status != "NONE" => text(&self.status),
            "resource_group" if self.resource_group != "RESOURCE_GROUP_NONE" => {
                text(&self.resource_group)
            }
            "error_message" => text(self.error_message.as_deref().unwrap_or("")),
            "domain_id" => text(&self.domain_id),
            "workspace_id" => text(&self.workspace_id),
            "trusted_account_id" => text(&self.trusted_account_id),
            "plugin_id" => text(&self.plugin_id),
            "created_at" => time(self.created_at),
            "updated_at" => time(self.updated_at),
            "finished_at" => time(self.finished_at),
            _ => None,
        }
    }

    fn to_doc(&self) -> Map<String, Value> {
        job_doc(self)
    }
}

fn parse(value: &Value, msg: &'static proto::Message) -> Result<Map<String, Value>, SpError> {
    proto::parse(value, msg).map_err(SpError::unknown)
}

fn job_id(req: &Map<String, Value>) -> Result<String, SpError> {
    match req.get("job_id").and_then(Value::as_str) {
        Some(id) if !id.is_empty() => Ok(id.to_string()),
        _ => Err(SpError::required("job_id")),
    }
}

fn not_found(id: &str) -> SpError {
    SpError::new(
        404,
        "ERROR_NOT_FOUND",
        format!("Resource cannot be found or access is denied. (job_id = {id})"),
    )
}

fn get(shared: &Shared, value: &Value) -> Result<Value, SpError> {
    let req = parse(value, &proto::JOB_REQUEST)?;
    let id = job_id(&req)?;
    let data = shared.read_data();
    let job = data
        .spaceone
        .iter()
        .find(|j| j.job_id == id)
        .ok_or_else(|| not_found(&id))?;
    Ok(Value::Object(job_doc(job)))
}

fn delete(shared: &Shared, value: &Value) -> Result<Value, SpError> {
    let req = parse(value, &proto::JOB_REQUEST)?;
    let id = job_id(&req)?;
    let mut data = shared.write_data();
    let pos = data
        .spaceone
        .iter()
        .position(|j| j.job_id == id)
        .ok_or_else(|| not_found(&id))?;
    data.spaceone.remove(pos);
    Ok(json!({}))
}

fn conds(list: Option<&Value>, path: &str) -> Result<Vec<Cond>, SpError> {
    let empty = Vec::new();
    list.and_then(Value::as_array)
        .unwrap_or(&empty)
        .iter()
        .enumerate()
        .map(|(i, f)| cond(f.as_object().unwrap_or(&Map::new()), &format!("{path}.{i}")))
        .collect()
}

fn keyword_conds(q: &Map<String, Value>, fields: &[&str]) -> Vec<Cond> {
    let words: Vec<Value> = q
        .get("keyword")
        .and_then(Value::as_str)
        .unwrap_or("")
        .split_whitespace()
        .map(Value::from)
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    fields
        .iter()
        .filter_map(|f| {
            let mut m = Map::new();
            m.insert("k".into(), Value::from(*f));
            m.insert("v".into(), Value::Array(words.clone()));
            m.insert("o".into(), Value::from("contain_in"));
            cond(&m, "query.keyword").ok()
        })
        .collect()
}

/// Whether a job matches `filter` AND (any of `filter_or`).
fn selected(job: &SpaceOneJob, and: &[Cond], or: &[Cond]) -> bool {
    and.iter().all(|c| c.matches(job)) && (or.is_empty() || or.iter().any(|c| c.matches(job)))
}

/// The positions of all jobs in the order of the sort keys; ties keep the stored order.
fn sorted_index(data: &Fixture, keys: &[SortKey]) -> Vec<u32> {
    let jobs = &data.spaceone;
    // Each job's sort values, read once.
    let values: Vec<Vec<Option<Value>>> = jobs
        .iter()
        .map(|j| {
            keys.iter()
                .map(|k| j.field(&k.key).map(Cow::into_owned))
                .collect()
        })
        .collect();
    let mut idx: Vec<u32> = (0..jobs.len() as u32).collect();
    idx.sort_by(|a, b| {
        let (a, b) = (&values[*a as usize], &values[*b as usize]);
        for ((x, y), k) in a.iter().zip(b).zip(keys) {
            let ord = query::cmp_values(x.as_ref(), y.as_ref());
            let ord = if k.desc { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    });
    idx
}

fn page_of(q: &Map<String, Value>) -> (usize, usize) {
    let page = q.get("page").and_then(Value::as_object);
    let start = page
        .and_then(|p| p.get("start"))
        .and_then(Value::as_u64)
        .unwrap_or(1)
        .max(1) as usize;
    let limit = page
        .and_then(|p| p.get("limit"))
        .and_then(Value::as_u64)
        .unwrap_or(0) as usize;
    (start, limit)
}

/// The page of a list: how many matching items to skip and at most how many to send.
fn window(start: usize, limit: usize) -> (usize, usize) {
    // No limit sends everything, whatever the start.
    if limit == 0 {
        (0, usize::MAX)
    } else {
        (start - 1, limit)
    }
}

fn slice<T>(rows: Vec<T>, start: usize, limit: usize) -> Vec<T> {
    if limit == 0 {
        return rows;
    }
    rows.into_iter().skip(start - 1).take(limit).collect()
}

const MINIMAL: &[&str] = &[
    "job_id",
    "trusted_account_id",
    "status",
    "resource_group",
    "created_at",
    "finished_at",
];

fn list(shared: &Shared, value: &Value) -> Result<Value, SpError> {
    let req = parse(value, &proto::JOBS_QUERY)?;
    let empty = Map::new();
    let q = req
        .get("query")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut and = conds(q.get("filter"), "query.filter")?;
    let mut or = conds(q.get("filter_or"), "query.filter_or")?;
    or.extend(keyword_conds(q, &["job_id", "status"]));
    for key in [
        "job_id",
        "status",
        "workspace_id",
        "trusted_account_id",
        "plugin_id",
    ] {
        if let Some(v) = req
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty() && *v != "NONE")
        {
            let mut m = Map::new();
            m.insert("k".into(), Value::from(key));
            m.insert("v".into(), Value::from(v));
            m.insert("o".into(), Value::from("eq"));
            and.push(cond(&m, key)?);
        }
    }
    let mut sort = sort_keys(q.get("sort"), "query.sort")?;
    if sort.is_empty() {
        sort.push(SortKey {
            key: "created_at".into(),
            desc: true,
        });
    }
    let data = shared.read_data();
    // The index's name is the sort, written unambiguously (keys are free text).
    let name = Value::Array(sort.iter().map(|k| json!([k.key, k.desc])).collect()).to_string();
    let index = shared.index(&data, Service::SpaceOne, &name, |d| sorted_index(d, &sort));
    let jobs = &data.spaceone;
    let count_only = q
        .get("count_only")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let (skip, take) = if count_only {
        (0, 0)
    } else {
        let (start, limit) = page_of(q);
        window(start, limit)
    };
    let mut page: Vec<&SpaceOneJob> = Vec::new();
    let total = if and.is_empty() && or.is_empty() {
        // Every job matches: the page is a slice of the order.
        page.extend(
            index
                .iter()
                .skip(skip)
                .take(take)
                .map(|i| &jobs[*i as usize]),
        );
        index.len()
    } else {
        // Matching jobs are counted in place; only the page's are kept.
        let mut n = 0usize;
        for job in index.iter().map(|i| &jobs[*i as usize]) {
            if !selected(job, &and, &or) {
                continue;
            }
            if n >= skip && n - skip < take {
                page.push(job);
            }
            n += 1;
        }
        n
    };
    let mut out = Map::new();
    if !count_only {
        let fields: Option<Vec<String>> = if let Some(only) = q
            .get("only")
            .and_then(Value::as_array)
            .filter(|o| !o.is_empty())
        {
            let mut f: Vec<String> = only
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            f.extend(sort.iter().map(|s| s.key.clone()));
            Some(f)
        } else if q.get("minimal").and_then(Value::as_bool).unwrap_or(false) {
            Some(MINIMAL.iter().map(|s| s.to_string()).collect())
        } else {
            None
        };
        let results: Vec<Value> = page
            .into_iter()
            .map(|j| {
                let d = job_doc(j);
                match &fields {
                    None => Value::Object(d),
                    Some(f) => {
                        Value::Object(d.into_iter().filter(|(k, _)| f.contains(k)).collect())
                    }
                }
            })
            .collect();
        if !results.is_empty() {
            out.insert("results".into(), Value::Array(results));
        }
    }
    if total > 0 {
        out.insert("total_count".into(), Value::from(total));
    }
    Ok(Value::Object(out))
}

fn stat(shared: &Shared, value: &Value) -> Result<Value, SpError> {
    let req = parse(value, &proto::JOB_STAT_QUERY)?;
    let q = req
        .get("query")
        .and_then(Value::as_object)
        .ok_or_else(|| SpError::required("query"))?;
    let and = conds(q.get("filter"), "query.filter")?;
    let mut or = conds(q.get("filter_or"), "query.filter_or")?;
    or.extend(keyword_conds(q, &["job_id"]));
    let distinct = q
        .get("distinct")
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty());
    let stages = q
        .get("aggregate")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty());
    if distinct.is_none() && stages.is_none() {
        return Err(SpError::required("aggregate"));
    }
    let data = shared.read_data();
    let rows: Vec<&SpaceOneJob> = data
        .spaceone
        .iter()
        .filter(|j| selected(j, &and, &or))
        .collect();
    let results: Vec<Value> = if let Some(field) = distinct {
        let mut values: Vec<Value> = Vec::new();
        for r in &rows {
            if let Some(v) = r.field(field).filter(|v| !v.is_null())
                && !values.contains(&*v)
            {
                values.push(v.into_owned());
            }
        }
        values.sort_by(|a, b| query::cmp_values(Some(a), Some(b)));
        values
    } else {
        query::aggregate(rows, stages.map(Vec::as_slice).unwrap_or(&[]))?
            .into_iter()
            .map(Value::Object)
            .collect()
    };
    let (start, limit) = page_of(q);
    let total = results.len();
    let mut out = Map::new();
    out.insert("results".into(), Value::Array(slice(results, start, limit)));
    if limit > 0 {
        out.insert("total_count".into(), Value::from(total));
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use query::{lookup, sort_rows};

    const FIELDS: &[&str] = &[
        "job_id",
        "status",
        "options",
        "resource_group",
        "error_message",
        "domain_id",
        "workspace_id",
        "trusted_account_id",
        "plugin_id",
        "created_at",
        "updated_at",
        "finished_at",
    ];

    #[test]
    fn a_job_read_in_place_has_the_fields_of_its_document() {
        let mut fx = crate::generate::generate(7, 40);
        // The values a document leaves out, and nested options.
        let j = &mut fx.spaceone[0];
        j.status = "NONE".into();
        j.resource_group = "RESOURCE_GROUP_NONE".into();
        j.error_message = Some(String::new());
        j.created_at = None;
        j.options = Some(
            json!({"a": {"b": [1, 2]}, "c": "x"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
        fx.spaceone[1].workspace_id = String::new();
        for j in &fx.spaceone {
            let doc = job_doc(j);
            let mut paths: Vec<String> = FIELDS.iter().map(|f| f.to_string()).collect();
            paths.extend(FIELDS.iter().map(|f| format!("{f}.x")));
            paths.extend(
                [
                    "nope",
                    "",
                    "options.",
                    "options.a",
                    "options.a.b",
                    "options.a.b.c",
                    "options.c",
                ]
                .map(String::from),
            );
            for p in &paths {
                assert_eq!(
                    j.field(p).as_deref(),
                    lookup(&doc, p),
                    "`{p}` of {}",
                    j.job_id
                );
            }
            assert_eq!(j.to_doc(), doc);
        }
    }

    /// The answer of `list` computed the plain way: every document built, filtered, sorted.
    fn reference(data: &Fixture, q: &Value) -> Value {
        let q = q["query"].as_object().cloned().unwrap_or_default();
        let and = conds(q.get("filter"), "f").unwrap_or_default();
        let or = conds(q.get("filter_or"), "o").unwrap_or_default();
        let mut sort = sort_keys(q.get("sort"), "s").unwrap_or_default();
        if sort.is_empty() {
            sort.push(SortKey {
                key: "created_at".into(),
                desc: true,
            });
        }
        let mut rows: Vec<Map<String, Value>> = data
            .spaceone
            .iter()
            .map(job_doc)
            .filter(|d| and.iter().all(|c| c.matches(d)))
            .filter(|d| or.is_empty() || or.iter().any(|c| c.matches(d)))
            .collect();
        sort_rows(&mut rows, &sort);
        let total = rows.len();
        let (start, limit) = page_of(&q);
        let results: Vec<Value> = slice(rows, start, limit)
            .into_iter()
            .map(Value::Object)
            .collect();
        let mut out = Map::new();
        if !results.is_empty() {
            out.insert("results".into(), Value::Array(results));
        }
        if total > 0 {
            out.insert("total_count".into(), Value::from(total));
        }
        Value::Object(out)
    }

    #[test]
    fn list_pages_match_filtering_and_sorting_every_document() {
        let emu = crate::Emulator::builder()
            .seed(3)
            .jobs_per_service(300)
            .build()
            .expect("emulator");
        let shared = &emu.shared;
        // Equal creation times, so ties keep the stored order.
        {
            let mut data = shared.write_data();
            let t = data.spaceone[5].created_at;
            for j in data.spaceone.iter_mut().skip(10).take(20) {
                j.created_at = t;
            }
        }
        let queries = [
            json!({"query": {}}),
            json!({"query": {"page": {"start": 1, "limit": 25}}}),
            json!({"query": {"page": {"start": 290, "limit": 25}}}),
            json!({"query": {"page": {"start": 400, "limit": 25}}}),
            json!({"query": {"page": {"start": 7, "limit": 0}}}),
            json!({"query": {"sort": [{"key": "status"}, {"key": "created_at", "desc": true}],
                             "page": {"start": 3, "limit": 9}}}),
            json!({"query": {"filter": [{"k": "status", "v": "SUCCESS", "o": "eq"}],
                             "page": {"start": 2, "limit": 10}}}),
            json!({"query": {"filter_or": [{"k": "status", "v": "FAILURE", "o": "eq"},
                                           {"k": "workspace_id", "v": "*", "o": "eq"}],
                             "sort": [{"key": "finished_at"}],
                             "page": {"start": 5, "limit": 20}}}),
            json!({"query": {"filter": [{"k": "status", "v": "NO_SUCH", "o": "eq"}]}}),
        ];
        for q in &queries {
            let got = list(shared, q).expect("list");
            let want = reference(&shared.read_data(), q);
            assert_eq!(got, want, "{q}");
        }
        // count_only: the total alone.
        let got = list(shared, &json!({"query": {"count_only": true}})).expect("list");
        let n = shared.read_data().spaceone.len();
        assert_eq!(got, json!({"total_count": n}));
    }
}
