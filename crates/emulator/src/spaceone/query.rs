//! SpaceONE query semantics over JSON documents: filter operators, sort, stat aggregation.

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cmp::Ordering;
use time::OffsetDateTime;

use super::SpError;
use crate::timefmt::{iso_millis, parse_iso};

/// A filter operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Not,
    Exists,
    Contain,
    NotContain,
    In,
    NotIn,
    ContainIn,
    NotContainIn,
    Lt,
    Lte,
    Gt,
    Gte,
    Match,
    Regex,
    RegexIn,
    DatetimeLt,
    DatetimeLte,
    DatetimeGt,
    DatetimeGte,
    TimediffLt,
    TimediffLte,
    TimediffGt,
    TimediffGte,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "eq" => Op::Eq,
            "not" => Op::Not,
            "exists" => Op::Exists,
            "contain" => Op::Contain,
            "not_contain" => Op::NotContain,
            "in" => Op::In,
            "not_in" => Op::NotIn,
            "contain_in" => Op::ContainIn,
            "not_contain_in" => Op::NotContainIn,
            "lt" => Op::Lt,
            "lte" => Op::Lte,
            "gt" => Op::Gt,
            "gte" => Op::Gte,
            "match" => Op::Match,
            "regex" => Op::Regex,
            "regex_in" => Op::RegexIn,
            "datetime_lt" => Op::DatetimeLt,
            "datetime_lte" => Op::DatetimeLte,
            "datetime_gt" => Op::DatetimeGt,
            "datetime_gte" => Op::DatetimeGte,
            "timediff_lt" => Op::TimediffLt,
            "timediff_lte" => Op::TimediffLte,
            "timediff_gt" => Op::TimediffGt,
            "timediff_gte" => Op::TimediffGte,
            _ => return None,
        })
    }

    fn needs_list(self) -> bool {
        matches!(
            self,
            Op::In | Op::NotIn | Op::ContainIn | Op::NotContainIn | Op::RegexIn
        )
    }
}

/// A checked filter condition.
#[derive(Debug, Clone)]
pub(crate) struct Cond {
    key: String,
    value: Value,
    op: Op,
    regexes: Vec<regex_lite::Regex>,
    time: Option<OffsetDateTime>,
}

/// Picks the long or short alias of a field (`key`/`k`); both set is a parse error.
pub(crate) fn alias<'a>(
    m: &'a Map<String, Value>,
    long: &str,
    short: &str,
    msg: &str,
) -> Result<Option<&'a Value>, SpError> {
    match (m.get(long), m.get(short)) {
        (Some(_), Some(_)) => Err(SpError::unknown(format!(
            "Message type \"{msg}\" should not have multiple \"{long}_alias\" oneof fields."
        ))),
        (a, b) => Ok(a.or(b)),
    }
}

/// Builds a condition from a checked `Filter` object.
pub(crate) fn cond(m: &Map<String, Value>, path: &str) -> Result<Cond, SpError> {
    let msg = "spaceone.api.core.v2.Filter";
    let key = alias(m, "key", "k", msg)?
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let value = alias(m, "value", "v", msg)?.cloned().unwrap_or(Value::Null);
    let op_name = alias(m, "operator", "o", msg)?
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if key.is_empty() {
        return Err(SpError::required(&format!("{path}.k")));
    }
    if op_name.is_empty() {
        return Err(SpError::required(&format!("{path}.o")));
    }
    let op = Op::parse(&op_name).ok_or_else(|| {
        SpError::db_query(format!(
            "Filter operator is not supported. (operator = {op_name})"
        ))
    })?;
    if op.needs_list() && !value.is_array() {
        return Err(SpError::new(
            400,
            "ERROR_OPERATOR_LIST_VALUE_TYPE",
            format!(
                "Operator must be a list type. (operator = {op_name}, condition = {{'k': '{key}', 'v': {value}, 'o': '{op_name}'}})"
            ),
        ));
    }
    let mut regexes = Vec::new();
    if matches!(op, Op::Regex | Op::RegexIn) {
        let patterns: Vec<String> = match &value {
            Value::Array(items) => items.iter().map(value_text).collect(),
            v => vec![value_text(v)],
        };
        for p in patterns {
            regexes.push(regex_lite::Regex::new(&p).map_err(|e| {
                SpError::db_query(format!("Invalid regular expression {p:?}: {e}"))
            })?);
        }
    }
    let time = match op {
        Op::DatetimeLt | Op::DatetimeLte | Op::DatetimeGt | Op::DatetimeGte => Some(
            value.as_str().and_then(parse_iso).ok_or_else(|| {
                SpError::new(
                    400,
                    "ERROR_INVALID_PARAMETER_TYPE",
                    format!("Parameter type is invalid. (key = {path}.v, type = datetime)"),
                )
            })?,
        ),
        Op::TimediffLt | Op::TimediffLte | Op::TimediffGt | Op::TimediffGte => Some(
            value.as_str().and_then(timediff).ok_or_else(|| {
                SpError::new(
                    400,
                    "ERROR_INVALID_PARAMETER",
                    format!("Parameter is invalid. (key = {path}.v, reason = expected now, now-<N><s|m|h|d|w> or now+<N><unit>)"),
                )
            })?,
        ),
        _ => None,
    };
    Ok(Cond {
        key,
        value,
        op,
        regexes,
        time,
    })
}

/// `now`, `now-3d`, `now+12h` relative to the current time.
fn timediff(s: &str) -> Option<OffsetDateTime> {
    let now = crate::timefmt::now();
    let rest = s.trim().strip_prefix("now")?;
    if rest.is_empty() {
        return Some(now);
    }
    let (sign, rest) = match rest.as_bytes()[0] {
        b'-' => (-1i64, &rest[1..]),
        b'+' => (1, &rest[1..]),
        _ => return None,
    };
    let unit = rest.chars().last()?;
    let n: i64 = rest[..rest.len() - unit.len_utf8()].parse().ok()?;
    let secs = match unit {
        's' => n,
        'm' => n * 60,
        'h' => n * 3600,
        'd' => n * 86_400,
        'w' => n * 604_800,
        _ => return None,
    };
    Some(now + time::Duration::seconds(sign * secs))
}

/// Something conditions, sort keys and aggregations read fields of: a JSON document, or a
/// stored job read in place (so a query does not build the documents it does not send).
pub(crate) trait Doc {
    /// The value at a dotted path, as [`lookup`] finds it in the document's JSON form.
    fn field(&self, path: &str) -> Option<Cow<'_, Value>>;
    /// The whole document.
    fn to_doc(&self) -> Map<String, Value>;
}

impl Doc for Map<String, Value> {
    fn field(&self, path: &str) -> Option<Cow<'_, Value>> {
        lookup(self, path).map(Cow::Borrowed)
    }
    fn to_doc(&self) -> Map<String, Value> {
        self.clone()
    }
}

impl<T: Doc + ?Sized> Doc for &T {
    fn field(&self, path: &str) -> Option<Cow<'_, Value>> {
        (**self).field(path)
    }
    fn to_doc(&self) -> Map<String, Value> {
        (**self).to_doc()
    }
}

/// A document's value at a dotted path.
pub(crate) fn lookup<'a>(doc: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut cur = doc.get(parts.next()?)?;
    for p in parts {
        cur = cur.as_object()?.get(p)?;
    }
    Some(cur)
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn field_eq(field: Option<&Value>, v: &Value) -> bool {
    match field {
        None | Some(Value::Null) => v.is_null(),
        Some(Value::Array(items)) if !v.is_array() => items.iter().any(|i| json_eq(i, v)),
        Some(f) => json_eq(f, v),
    }
}

fn contains_ci(field: Option<&Value>, needle: &Value) -> bool {
    let needle = value_text(needle).to_lowercase();
    match field {
        Some(Value::String(s)) => s.to_lowercase().contains(&needle),
        Some(Value::Array(items)) => items
            .iter()
            .any(|i| value_text(i).to_lowercase().contains(&needle)),
        Some(Value::Number(_)) | Some(Value::Bool(_)) => value_text(field.unwrap_or(&Value::Null))
            .to_lowercase()
            .contains(&needle),
        _ => false,
    }
}

fn ordered(field: Option<&Value>, v: &Value) -> Option<Ordering> {
    match (field?, v) {
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty() && s != "false" && s != "False",
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

impl Cond {
    /// Whether `doc` satisfies the condition.
    pub(crate) fn matches<D: Doc + ?Sized>(&self, doc: &D) -> bool {
        let field = doc.field(&self.key);
        let field = field.as_deref();
        let list = || self.value.as_array().map_or(&[][..], Vec::as_slice);
        match self.op {
            Op::Eq => field_eq(field, &self.value),
            Op::Not => !field_eq(field, &self.value),
            Op::Exists => field.is_some_and(|f| !f.is_null()) == truthy(&self.value),
            Op::Contain => contains_ci(field, &self.value),
            Op::NotContain => !contains_ci(field, &self.value),
            Op::In => list().iter().any(|v| field_eq(field, v)),
            Op::NotIn => !list().iter().any(|v| field_eq(field, v)),
            Op::ContainIn => list().iter().any(|v| contains_ci(field, v)),
            Op::NotContainIn => !list().iter().any(|v| contains_ci(field, v)),
            Op::Lt => ordered(field, &self.value) == Some(Ordering::Less),
            Op::Lte => matches!(
                ordered(field, &self.value),
                Some(Ordering::Less | Ordering::Equal)
            ),
            Op::Gt => ordered(field, &self.value) == Some(Ordering::Greater),
            Op::Gte => matches!(
                ordered(field, &self.value),
                Some(Ordering::Greater | Ordering::Equal)
            ),
            Op::Match => match field {
                Some(Value::Array(items)) => items.iter().any(|i| match (i, &self.value) {
                    (Value::Object(o), Value::Object(want)) => want
                        .iter()
                        .all(|(k, v)| o.get(k).is_some_and(|x| json_eq(x, v))),
                    (i, v) => json_eq(i, v),
                }),
                _ => false,
            },
            Op::Regex | Op::RegexIn => match field {
                Some(Value::String(s)) => self.regexes.iter().any(|r| r.is_match(s)),
                Some(Value::Array(items)) => items
                    .iter()
                    .any(|i| self.regexes.iter().any(|r| r.is_match(&value_text(i)))),
                _ => false,
            },
            Op::DatetimeLt
            | Op::DatetimeLte
            | Op::DatetimeGt
            | Op::DatetimeGte
            | Op::TimediffLt
            | Op::TimediffLte
            | Op::TimediffGt
            | Op::TimediffGte => {
                let (Some(at), Some(limit)) =
                    (field.and_then(Value::as_str).and_then(parse_iso), self.time)
                else {
                    return false;
                };
                match self.op {
                    Op::DatetimeLt | Op::TimediffLt => at < limit,
                    Op::DatetimeLte | Op::TimediffLte => at <= limit,
                    Op::DatetimeGt | Op::TimediffGt => at > limit,
                    _ => at >= limit,
                }
            }
        }
    }
}

/// Orders JSON values like MongoDB: missing/null < numbers < strings < objects < arrays <
/// booleans.
pub(crate) fn cmp_values(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    fn rank(v: Option<&Value>) -> u8 {
        match v {
            None | Some(Value::Null) => 0,
            Some(Value::Number(_)) => 1,
            Some(Value::String(_)) => 2,
            Some(Value::Object(_)) => 3,
            Some(Value::Array(_)) => 4,
            Some(Value::Bool(_)) => 5,
        }
    }
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(x @ Value::Object(_)), Some(y @ Value::Object(_)))
        | (Some(x @ Value::Array(_)), Some(y @ Value::Array(_))) => {
            x.to_string().cmp(&y.to_string())
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

/// A sort key.
#[derive(Debug, Clone)]
pub(crate) struct SortKey {
    pub key: String,
    pub desc: bool,
}

/// Parses `[{key, desc}]` (or a single object, which aggregate `sort` stages also allow).
pub(crate) fn sort_keys(v: Option<&Value>, path: &str) -> Result<Vec<SortKey>, SpError> {
    let items: Vec<&Value> = match v {
        None => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        Some(_) => return Err(SpError::invalid(path, "sort must be a list of {key, desc}")),
    };
    items
        .into_iter()
        .map(|i| {
            let key = i.get("key").and_then(Value::as_str).unwrap_or("");
            if key.is_empty() {
                return Err(SpError::required(&format!("{path}.key")));
            }
            Ok(SortKey {
                key: key.to_string(),
                desc: i.get("desc").and_then(Value::as_bool).unwrap_or(false),
            })
        })
        .collect()
}

/// Sorts rows by the keys (stable, so earlier order breaks ties).
pub(crate) fn sort_rows(rows: &mut [Map<String, Value>], keys: &[SortKey]) {
    rows.sort_by(|a, b| {
        for k in keys {
            let ord = cmp_values(lookup(a, &k.key), lookup(b, &k.key));
            let ord = if k.desc { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    });
}

fn str_field<'a>(
    m: &'a Map<String, Value>,
    long: &str,
    short: &str,
    msg: &str,
) -> Result<&'a str, SpError> {
    Ok(alias(m, long, short, msg)?
        .and_then(Value::as_str)
        .unwrap_or(""))
}

/// Runs the `aggregate` stages of a stat query over the matched documents. A first `group`
/// or `count` stage reads them in place; other stages work on whole documents, made when the
/// first of them runs.
pub(crate) fn aggregate<D: Doc>(
    docs: Vec<D>,
    stages: &[Value],
) -> Result<Vec<Map<String, Value>>, SpError> {
    let mut docs = Some(docs);
    let mut rows: Vec<Map<String, Value>> = Vec::new();
    for (i, stage) in stages.iter().enumerate() {
        let path = format!("query.aggregate.{i}");
        let Some(stage) = stage.as_object() else {
            continue;
        };
        if stage.len() != 1 {
            return Err(SpError::invalid(
                &path,
                "each aggregate stage must hold exactly one of unwind, group, count, sort, project, limit, skip",
            ));
        }
        let (name, body) = stage
            .iter()
            .next()
            .ok_or_else(|| SpError::required(&path))?;
        if let Some(docs) = docs.take() {
            match name.as_str() {
                "group" => {
                    rows = group(docs, body, &path)?;
                    continue;
                }
                "count" => {
                    rows = count(docs.len(), body, &path)?;
                    continue;
                }
                _ => rows = docs.iter().map(Doc::to_doc).collect(),
            }
        }
        rows = match name.as_str() {
            "group" => group(rows, body, &path)?,
            "count" => count(rows.len(), body, &path)?,
            "sort" => {
                let keys = sort_keys(Some(body), &format!("{path}.sort"))?;
                sort_rows(&mut rows, &keys);
                rows
            }
            "limit" => rows
                .into_iter()
                .take(body.as_i64().unwrap_or(0).max(0) as usize)
                .collect(),
            "skip" => rows
                .into_iter()
                .skip(body.as_i64().unwrap_or(0).max(0) as usize)
                .collect(),
            "unwind" => {
                let p = body.get("path").and_then(Value::as_str).unwrap_or("");
                if p.is_empty() {
                    return Err(SpError::required(&format!("{path}.unwind.path")));
                }
                let mut out = Vec::new();
                for row in rows {
                    if let Some(Value::Array(items)) = lookup(&row, p) {
                        for item in items.clone() {
                            let mut r = row.clone();
                            r.insert(p.to_string(), item);
                            out.push(r);
                        }
                    }
                }
                out
            }
            "project" => project(rows, body, &path)?,
            _ => rows,
        };
    }
    if let Some(docs) = docs {
        rows = docs.iter().map(Doc::to_doc).collect();
    }
    Ok(rows)
}

/// A `count` stage over `n` rows.
fn count(n: usize, body: &Value, path: &str) -> Result<Vec<Map<String, Value>>, SpError> {
    let name = body.get("name").and_then(Value::as_str).unwrap_or("");
    if name.is_empty() {
        return Err(SpError::required(&format!("{path}.count.name")));
    }
    let mut m = Map::new();
    m.insert(name.to_string(), Value::from(n));
    Ok(vec![m])
}

fn group<D: Doc>(
    rows: Vec<D>,
    body: &Value,
    path: &str,
) -> Result<Vec<Map<String, Value>>, SpError> {
    let empty = Vec::new();
    let keys = body.get("keys").and_then(Value::as_array).unwrap_or(&empty);
    let fields = body
        .get("fields")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let msg_key = "spaceone.api.core.v2.AggregateGroupKey";
    let msg_field = "spaceone.api.core.v2.AggregateGroupField";
    let mut key_specs = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let m = k.as_object().ok_or_else(|| SpError::required(path))?;
        let key = str_field(m, "key", "k", msg_key)?;
        let name = str_field(m, "name", "n", msg_key)?;
        if key.is_empty() {
            return Err(SpError::required(&format!("{path}.group.keys.{i}.key")));
        }
        if name.is_empty() {
            return Err(SpError::required(&format!("{path}.group.keys.{i}.name")));
        }
        let date_format = m
            .get("date_format")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        key_specs.push((key.to_string(), name.to_string(), date_format));
    }
    let mut field_specs = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let m = f.as_object().ok_or_else(|| SpError::required(path))?;
        let key = str_field(m, "key", "k", msg_field)?;
        let name = str_field(m, "name", "n", msg_field)?;
        let op = str_field(m, "operator", "o", msg_field)?;
        if name.is_empty() {
            return Err(SpError::required(&format!("{path}.group.fields.{i}.name")));
        }
        if op.is_empty() {
            return Err(SpError::required(&format!(
                "{path}.group.fields.{i}.operator"
            )));
        }
        if !matches!(
            op,
            "count" | "sum" | "average" | "max" | "min" | "first" | "last" | "push" | "add_to_set"
        ) {
            return Err(SpError::invalid(
                &format!("{path}.group.fields.{i}.operator"),
                &format!(
                    "operator {op} is not supported (count, sum, average, max, min, first, last, push, add_to_set)"
                ),
            ));
        }
        if op != "count" && key.is_empty() {
            return Err(SpError::required(&format!("{path}.group.fields.{i}.key")));
        }
        field_specs.push((key.to_string(), name.to_string(), op.to_string()));
    }
    // Group rows by their key values, keeping first-seen order, then sort by the keys.
    type Group<D> = (Vec<Value>, Vec<D>);
    let mut groups: Vec<Group<D>> = Vec::new();
    for row in rows {
        let kv: Vec<Value> = key_specs
            .iter()
            .map(|(k, _, fmt)| {
                let v = row.field(k).map_or(Value::Null, Cow::into_owned);
                if fmt.is_empty() {
                    v
                } else {
                    format_date(&v, fmt)
                }
            })
            .collect();
        match groups.iter_mut().find(|(g, _)| *g == kv) {
            Some((_, members)) => members.push(row),
            None => groups.push((kv, vec![row])),
        }
    }
    groups.sort_by(|(a, _), (b, _)| {
        a.iter()
            .zip(b.iter())
            .map(|(x, y)| cmp_values(Some(x), Some(y)))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
    let mut out = Vec::new();
    for (kv, members) in groups {
        let mut row = Map::new();
        for ((_, name, _), v) in key_specs.iter().zip(kv) {
            row.insert(name.clone(), v);
        }
        for (key, name, op) in &field_specs {
            let values: Vec<Value> = members
                .iter()
                .filter_map(|m| m.field(key).map(Cow::into_owned))
                .filter(|v| !v.is_null())
                .collect();
            let nums: Vec<f64> = values.iter().filter_map(Value::as_f64).collect();
            let v = match op.as_str() {
                "count" => Value::from(members.len()),
                "sum" => number(nums.iter().sum()),
                "average" => {
                    if nums.is_empty() {
                        Value::Null
                    } else {
                        number(nums.iter().sum::<f64>() / nums.len() as f64)
                    }
                }
                "max" => values
                    .iter()
                    .max_by(|a, b| cmp_values(Some(a), Some(b)))
                    .cloned()
                    .unwrap_or(Value::Null),
                "min" => values
                    .iter()
                    .min_by(|a, b| cmp_values(Some(a), Some(b)))
                    .cloned()
                    .unwrap_or(Value::Null),
                "first" => members
                    .first()
                    .and_then(|m| m.field(key).map(Cow::into_owned))
                    .unwrap_or(Value::Null),
                "last" => members
                    .last()
                    .and_then(|m| m.field(key).map(Cow::into_owned))
                    .unwrap_or(Value::Null),
                "push" => Value::Array(values),
                _ => {
                    let mut set: Vec<Value> = Vec::new();
                    for v in values {
                        if !set.contains(&v) {
                            set.push(v);
                        }
                    }
                    Value::Array(set)
                }
            };
            row.insert(name.clone(), v);
        }
        out.push(row);
    }
    Ok(out)
}

fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::from(f as i64)
    } else {
        Value::from(f)
    }
}

/// Applies a `%Y-%m-%d %H:%M:%S`-style format to a timestamp string.
fn format_date(v: &Value, fmt: &str) -> Value {
    let Some(t) = v.as_str().and_then(parse_iso) else {
        return v.clone();
    };
    let full = iso_millis(t);
    let out = fmt
        .replace("%Y", &full[0..4])
        .replace("%m", &full[5..7])
        .replace("%d", &full[8..10])
        .replace("%H", &full[11..13])
        .replace("%M", &full[14..16])
        .replace("%S", &full[17..19]);
    Value::from(out)
}

fn project(
    rows: Vec<Map<String, Value>>,
    body: &Value,
    path: &str,
) -> Result<Vec<Map<String, Value>>, SpError> {
    let empty = Vec::new();
    let fields = body
        .get("fields")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let exclude_keys = body
        .get("exclude_keys")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let msg = "spaceone.api.core.v2.AggregateProjectField";
    let mut specs = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let m = f.as_object().ok_or_else(|| SpError::required(path))?;
        let key = str_field(m, "key", "k", msg)?;
        let name = str_field(m, "name", "n", msg)?;
        let op = str_field(m, "operator", "o", msg)?;
        if !op.is_empty() && op != "size" {
            return Err(SpError::invalid(
                &format!("{path}.project.fields.{i}.operator"),
                &format!("project operator {op} is not supported by the emulator (only size)"),
            ));
        }
        if key.is_empty() || name.is_empty() {
            return Err(SpError::required(&format!("{path}.project.fields.{i}.key")));
        }
        specs.push((key.to_string(), name.to_string(), op.to_string()));
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut out = if exclude_keys {
                Map::new()
            } else {
                row.clone()
            };
            for (key, name, op) in &specs {
                let v = lookup(&row, key).cloned().unwrap_or(Value::Null);
                let v = if op == "size" {
                    Value::from(v.as_array().map_or(0, Vec::len))
                } else {
                    v
                };
                out.insert(name.clone(), v);
            }
            out
        })
        .collect())
}
