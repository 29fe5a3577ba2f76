//! `smithy.rules#endpointRuleSet` -> [`RuleSet`], checked so that the runtime can evaluate it:
//! known functions with the right number of arguments, references to parameters or to names
//! bound earlier on the same path, parameters the runtime supplies (or with a default), and
//! endpoints without headers or properties (the runtime sends none). A problem names its place
//! as a JSON pointer inside the trait.

use std::collections::HashSet;

use serde_json::Value;

use crate::ir::rules::*;

type Result<T> = std::result::Result<T, String>;

fn at(path: &str, message: impl std::fmt::Display) -> String {
    format!("at `{path}`: {message}")
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a serde_json::Map<String, Value>> {
    v.as_object().ok_or_else(|| at(path, "expected an object"))
}

fn array<'a>(v: Option<&'a Value>, path: &str) -> Result<&'a [Value]> {
    match v {
        Some(Value::Array(a)) => Ok(a),
        None => Ok(&[]),
        Some(_) => Err(at(path, "expected an array")),
    }
}

/// Reads and checks a rule set.
pub(super) fn rule_set(trait_value: &Value) -> Result<RuleSet> {
    let root = object(trait_value, "")?;
    match root.get("version").and_then(Value::as_str) {
        Some(v) if v == "1.0" || v.starts_with("1.") => {}
        other => {
            return Err(at(
                "/version",
                format!("version {other:?} is not supported (1.x is)"),
            ));
        }
    }
    let mut params = Vec::new();
    if let Some(p) = root.get("parameters") {
        for (name, spec) in object(p, "/parameters")? {
            params.push(param(name, spec, &format!("/parameters/{name}"))?);
        }
    }
    let scope: HashSet<String> = params.iter().map(|p| p.name.clone()).collect();
    let rules = rules(array(root.get("rules"), "/rules")?, "/rules", &scope)?;
    if rules.is_empty() {
        return Err(at("/rules", "a rule set needs at least one rule"));
    }
    Ok(RuleSet { params, rules })
}

fn param(name: &str, spec: &Value, path: &str) -> Result<Param> {
    let spec = object(spec, path)?;
    let ty = spec.get("type").and_then(Value::as_str).unwrap_or("");
    let default = match (ty.to_ascii_lowercase().as_str(), spec.get("default")) {
        (_, None) => None,
        ("boolean", Some(Value::Bool(b))) => Some(Literal::Bool(*b)),
        ("string", Some(Value::String(s))) => Some(Literal::Str(s.clone())),
        (_, Some(other)) => {
            return Err(at(
                path,
                format!("default {other} does not fit type {ty:?}"),
            ));
        }
    };
    if !matches!(ty.to_ascii_lowercase().as_str(), "boolean" | "string") {
        return Err(at(
            path,
            format!("parameter type {ty:?} is not supported (Boolean and String are)"),
        ));
    }
    let built_in = match spec.get("builtIn").and_then(Value::as_str) {
        None => None,
        Some("AWS::Region") => Some(BuiltIn::Region),
        Some("AWS::UseFIPS") => Some(BuiltIn::UseFips),
        Some("AWS::UseDualStack") => Some(BuiltIn::UseDualStack),
        Some("SDK::Endpoint") => Some(BuiltIn::Endpoint),
        // A setting the runtime does not offer keeps its default.
        Some(_) if default.is_some() => None,
        Some(other) => {
            return Err(at(
                path,
                format!(
                    "built-in `{other}` is not supplied by the runtime (AWS::Region, \
                     AWS::UseFIPS, AWS::UseDualStack and SDK::Endpoint are) and the parameter \
                     has no default"
                ),
            ));
        }
    };
    let required = spec.get("required").and_then(Value::as_bool) == Some(true);
    if built_in.is_none() && default.is_none() && required {
        return Err(at(
            path,
            "a required parameter set from operation input is not supported",
        ));
    }
    Ok(Param {
        name: name.to_owned(),
        built_in,
        default,
    })
}

fn rules(list: &[Value], path: &str, scope: &HashSet<String>) -> Result<Vec<Rule>> {
    list.iter()
        .enumerate()
        .map(|(i, r)| rule(r, &format!("{path}/{i}"), scope))
        .collect()
}

fn rule(v: &Value, path: &str, outer: &HashSet<String>) -> Result<Rule> {
    let o = object(v, path)?;
    let mut scope = outer.clone();
    let mut conditions = Vec::new();
    for (i, c) in array(o.get("conditions"), &format!("{path}/conditions"))?
        .iter()
        .enumerate()
    {
        let cpath = format!("{path}/conditions/{i}");
        let call = call(c, &cpath, &scope)?;
        let assign = match object(c, &cpath)?.get("assign") {
            None => None,
            Some(Value::String(name)) => {
                if !scope.insert(name.clone()) {
                    return Err(at(
                        &format!("{cpath}/assign"),
                        format!("`{name}` is already bound"),
                    ));
                }
                Some(name.clone())
            }
            Some(_) => return Err(at(&format!("{cpath}/assign"), "expected a string")),
        };
        conditions.push(Condition { call, assign });
    }
    let kind = match o.get("type").and_then(Value::as_str) {
        Some("tree") => RuleKind::Tree(rules(
            array(o.get("rules"), &format!("{path}/rules"))?,
            &format!("{path}/rules"),
            &scope,
        )?),
        Some("endpoint") => {
            let epath = format!("{path}/endpoint");
            let endpoint = object(
                o.get("endpoint")
                    .ok_or_else(|| at(path, "an endpoint rule needs `endpoint`"))?,
                &epath,
            )?;
            for key in ["headers", "properties"] {
                if endpoint
                    .get(key)
                    .and_then(Value::as_object)
                    .is_some_and(|m| !m.is_empty())
                {
                    return Err(at(
                        &format!("{epath}/{key}"),
                        format!("endpoint {key} are not supported"),
                    ));
                }
            }
            let url = endpoint
                .get("url")
                .ok_or_else(|| at(&epath, "an endpoint needs a `url`"))?;
            RuleKind::Endpoint(expr(url, &format!("{epath}/url"), &scope)?)
        }
        Some("error") => {
            let message = o
                .get("error")
                .ok_or_else(|| at(path, "an error rule needs `error`"))?;
            RuleKind::Error(expr(message, &format!("{path}/error"), &scope)?)
        }
        other => {
            return Err(at(
                &format!("{path}/type"),
                format!("rule type {other:?} is not one of tree, endpoint, error"),
            ));
        }
    };
    Ok(Rule { conditions, kind })
}

fn call(v: &Value, path: &str, scope: &HashSet<String>) -> Result<Call> {
    let o = object(v, path)?;
    let name = o
        .get("fn")
        .and_then(Value::as_str)
        .ok_or_else(|| at(path, "a function call needs a string `fn`"))?;
    let Some((_, func)) = Func::ALL.iter().find(|(n, _)| *n == name) else {
        return Err(at(
            &format!("{path}/fn"),
            format!(
                "function `{name}` is not supported (supported: {})",
                Func::ALL.map(|(n, _)| n).join(", ")
            ),
        ));
    };
    let args = array(o.get("argv"), &format!("{path}/argv"))?;
    if args.len() != func.arity() {
        return Err(at(
            &format!("{path}/argv"),
            format!(
                "`{name}` takes {} arguments, not {}",
                func.arity(),
                args.len()
            ),
        ));
    }
    let argv = args
        .iter()
        .enumerate()
        .map(|(i, a)| expr(a, &format!("{path}/argv/{i}"), scope))
        .collect::<Result<Vec<_>>>()?;
    if *func == Func::GetAttr && !matches!(argv[1], Expr::Str(_)) {
        return Err(at(
            &format!("{path}/argv/1"),
            "the `getAttr` path must be a string",
        ));
    }
    Ok(Call { func: *func, argv })
}

fn expr(v: &Value, path: &str, scope: &HashSet<String>) -> Result<Expr> {
    match v {
        Value::Bool(b) => Ok(Expr::Bool(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(Expr::Int)
            .ok_or_else(|| at(path, format!("number {n} is not an integer"))),
        Value::String(s) => {
            template_refs(s, path, scope)?;
            Ok(Expr::Str(s.clone()))
        }
        Value::Object(o) if o.contains_key("ref") => match o.get("ref") {
            Some(Value::String(name)) if scope.contains(name) => Ok(Expr::Ref(name.clone())),
            Some(Value::String(name)) => Err(at(
                path,
                format!("`{name}` is neither a parameter nor bound by an earlier condition"),
            )),
            _ => Err(at(path, "`ref` must be a string")),
        },
        Value::Object(o) if o.contains_key("fn") => Ok(Expr::Call(Box::new(call(v, path, scope)?))),
        other => Err(at(path, format!("unexpected value {other}"))),
    }
}

/// Checks a template's `{name}` / `{name#attr}` placeholders against the scope.
fn template_refs(s: &str, path: &str, scope: &HashSet<String>) -> Result<()> {
    let mut rest = s;
    while let Some(i) = rest.find(['{', '}']) {
        let (brace, after) = (rest.as_bytes()[i], &rest[i + 1..]);
        if after.as_bytes().first() == Some(&brace) {
            rest = &after[1..];
            continue;
        }
        if brace == b'}' {
            return Err(at(path, format!("template {s:?} has an unmatched `}}`")));
        }
        let close = after
            .find('}')
            .ok_or_else(|| at(path, format!("template {s:?} has an unclosed `{{`")))?;
        let name = after[..close].split('#').next().unwrap_or_default();
        if !scope.contains(name) {
            return Err(at(
                path,
                format!(
                    "template {s:?} uses `{name}`, which is neither a parameter nor bound by an \
                     earlier condition"
                ),
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base(rules: Value) -> Value {
        json!({
            "version": "1.0",
            "parameters": {
                "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
                "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "type": "Boolean"}
            },
            "rules": rules
        })
    }

    #[test]
    fn reads_a_rule_set() {
        let set = rule_set(&base(json!([
            {"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
             "type": "tree",
             "rules": [
                {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                 "type": "endpoint", "endpoint": {"url": "https://x-fips.{Region}.{P#dnsSuffix}", "properties": {}, "headers": {}}},
                {"conditions": [], "type": "endpoint", "endpoint": {"url": "https://x.{Region}.{P#dnsSuffix}"}}
             ]},
            {"conditions": [], "type": "error", "error": "Invalid Configuration: Missing Region"}
        ])))
        .unwrap();
        assert_eq!(set.params.len(), 2);
        assert_eq!(set.params[1].default, Some(Literal::Bool(false)));
        assert_eq!(set.rules.len(), 2);
        let RuleKind::Tree(inner) = &set.rules[0].kind else {
            panic!("expected a tree");
        };
        assert_eq!(inner[0].conditions[0].call.func, Func::BooleanEquals);
        assert_eq!(set.rules[0].conditions[0].assign.as_deref(), Some("P"));
    }

    #[test]
    fn refuses_what_the_runtime_cannot_evaluate() {
        let cases = [
            (
                json!([{"conditions": [{"fn": "aws.parseArn", "argv": [{"ref": "Region"}]}], "type": "error", "error": "x"}]),
                "at `/rules/0/conditions/0/fn`: function `aws.parseArn` is not supported",
            ),
            (
                json!([{"conditions": [], "type": "endpoint", "endpoint": {"url": "https://{P#dnsSuffix}"}}]),
                "uses `P`, which is neither a parameter nor bound",
            ),
            (
                json!([{"conditions": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}], "type": "error", "error": "x"}]),
                "at `/rules/0/conditions/0/argv/0`: `Nope` is neither a parameter",
            ),
            (
                json!([{"conditions": [], "type": "endpoint", "endpoint": {"url": "https://h", "headers": {"x": ["1"]}}}]),
                "endpoint headers are not supported",
            ),
            (
                json!([{"conditions": [{"fn": "not", "argv": []}], "type": "error", "error": "x"}]),
                "`not` takes 1 arguments, not 0",
            ),
        ];
        for (rules, expected) in cases {
            let e = rule_set(&base(rules)).unwrap_err();
            assert!(e.contains(expected), "{e}");
        }
        let mut set = base(json!([{"conditions": [], "type": "error", "error": "x"}]));
        set["parameters"]["Bucket"] = json!({"required": true, "type": "String"});
        assert!(
            rule_set(&set)
                .unwrap_err()
                .contains("set from operation input is not supported")
        );
    }
}
