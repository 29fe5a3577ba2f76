//! Smithy endpoint rule sets (`smithy.rules#endpointRuleSet`), as the generator emits them, and
//! their evaluation.
//!
//! An AWS model says where a request goes with a small decision tree over a few parameters
//! (region, FIPS, dual-stack, a configured endpoint). The generator checks the tree and emits it
//! as static data ([`RuleSet`]); [`RuleSet::resolve`] walks it the way the Smithy rules engine
//! does: rules in order, a rule applies when all its conditions hold, a condition holds when its
//! function returns neither `false` nor an unset value, and `assign` binds the result for the
//! rest of the rule. String literals are templates: `{Region}` is a parameter or binding,
//! `{PartitionResult#dnsSuffix}` an attribute of one, and `{{`/`}}` are literal braces.
//!
//! The functions are the Smithy standard library (`isSet`, `not`, `booleanEquals`,
//! `stringEquals`, `getAttr`, `substring`, `uriEncode`, `isValidHostLabel`, `parseURL`) and
//! `aws.partition`, backed by the table of AWS partitions in this module. The generator refuses
//! rule sets that use anything else, naming the function.

use std::collections::HashMap;
use std::sync::OnceLock;

use percent_encoding::utf8_percent_encode;

/// A rule set: parameters and the rules, tried in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RuleSet {
    /// The parameters the rules read.
    pub params: &'static [Param],
    /// The top-level rules.
    pub rules: &'static [Rule],
}

/// One parameter of a rule set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    /// The name the rules refer to, e.g. `Region`.
    pub name: &'static str,
    /// Where the value comes from, when it is one the SDK supplies.
    pub built_in: Option<BuiltIn>,
    /// The value when nothing else sets it.
    pub default: Option<Literal>,
}

/// The values an SDK supplies to a rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltIn {
    /// `AWS::Region`: the configured region.
    Region,
    /// `AWS::UseFIPS`: the FIPS setting.
    UseFips,
    /// `AWS::UseDualStack`: the dual-stack setting.
    UseDualStack,
    /// `SDK::Endpoint`: the configured endpoint URL.
    Endpoint,
}

/// A constant of a rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Literal {
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(&'static str),
}

/// A rule: conditions, and what applies when they all hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Conditions, evaluated in order; a later one may use what an earlier one assigned.
    pub conditions: &'static [Condition],
    /// The outcome.
    pub kind: RuleKind,
}

/// What a rule leads to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RuleKind {
    /// Nested rules, tried in order. If none applies, resolution fails.
    Tree(&'static [Rule]),
    /// An endpoint; the expression is its URL.
    Endpoint(Expr),
    /// An error; the expression is its message.
    Error(Expr),
}

/// A function call, optionally binding its result to a name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Condition {
    /// The call.
    pub call: Call,
    /// The name its result is bound to.
    pub assign: Option<&'static str>,
}

/// A call of one of the supported functions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Call {
    /// The function.
    pub func: Func,
    /// Its arguments.
    pub argv: &'static [Expr],
}

/// The functions a rule set may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// `isSet(value)`.
    IsSet,
    /// `not(bool)`.
    Not,
    /// `booleanEquals(a, b)`.
    BooleanEquals,
    /// `stringEquals(a, b)`.
    StringEquals,
    /// `getAttr(value, "path")`.
    GetAttr,
    /// `substring(string, start, stop, reverse)`.
    Substring,
    /// `uriEncode(string)`.
    UriEncode,
    /// `isValidHostLabel(string, allowDots)`.
    IsValidHostLabel,
    /// `parseURL(string)`.
    ParseUrl,
    /// `aws.partition(region)`.
    AwsPartition,
}

/// An argument or value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expr {
    /// A boolean constant.
    Bool(bool),
    /// An integer constant.
    Int(i64),
    /// A string template.
    Str(&'static str),
    /// A parameter or a name bound by an earlier condition.
    Ref(&'static str),
    /// A nested call.
    Call(&'static Call),
}

/// What the SDK knows when it resolves an endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs<'a> {
    /// `AWS::Region`.
    pub region: Option<&'a str>,
    /// `AWS::UseFIPS`.
    pub use_fips: bool,
    /// `AWS::UseDualStack`.
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`.
    pub endpoint: Option<&'a str>,
}

/// Why a rule set gave no endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// A rule ended in an error; this is its message (e.g. "FIPS is enabled but this partition
    /// does not support FIPS").
    Rule(String),
    /// No rule applied.
    NoRule,
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResolveError::Rule(message) => f.write_str(message),
            ResolveError::NoRule => f.write_str("no endpoint rule applies to this configuration"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Bool(bool),
    Int(i64),
    Str(String),
    Partition(&'static Partition),
    Url(ParsedUrl),
}

#[derive(Debug, Clone, PartialEq)]
struct ParsedUrl {
    scheme: String,
    authority: String,
    path: String,
    normalized_path: String,
    is_ip: bool,
}

impl RuleSet {
    /// The endpoint URL the rules give for `inputs`.
    pub fn resolve(&self, inputs: &Inputs<'_>) -> Result<String, ResolveError> {
        let mut scope: HashMap<&'static str, Value> = HashMap::new();
        for param in self.params {
            let supplied = match param.built_in {
                Some(BuiltIn::Region) => inputs.region.map(|r| Value::Str(r.to_owned())),
                Some(BuiltIn::UseFips) => Some(Value::Bool(inputs.use_fips)),
                Some(BuiltIn::UseDualStack) => Some(Value::Bool(inputs.use_dual_stack)),
                Some(BuiltIn::Endpoint) => inputs.endpoint.map(|e| Value::Str(e.to_owned())),
                None => None,
            };
            let value = supplied.or(match param.default {
                Some(Literal::Bool(b)) => Some(Value::Bool(b)),
                Some(Literal::Str(s)) => Some(Value::Str(s.to_owned())),
                None => None,
            });
            if let Some(value) = value {
                scope.insert(param.name, value);
            }
        }
        match eval_rules(self.rules, &mut scope)? {
            Some(url) => Ok(url),
            None => Err(ResolveError::NoRule),
        }
    }
}

/// Tries `rules` in order: `Ok(Some(url))` for the first endpoint reached, `Ok(None)` when no
/// rule applies.
fn eval_rules(
    rules: &'static [Rule],
    scope: &mut HashMap<&'static str, Value>,
) -> Result<Option<String>, ResolveError> {
    for rule in rules {
        // Bindings made by a rule's conditions are visible to that rule only.
        let mut local = scope.clone();
        if !conditions_hold(rule.conditions, &mut local) {
            continue;
        }
        return match rule.kind {
            RuleKind::Tree(inner) => match eval_rules(inner, &mut local)? {
                Some(url) => Ok(Some(url)),
                // A tree whose conditions hold is final (Smithy rules 1.0).
                None => Err(ResolveError::NoRule),
            },
            RuleKind::Endpoint(url) => match eval(&url, &local) {
                Some(Value::Str(url)) => Ok(Some(url)),
                _ => Err(ResolveError::NoRule),
            },
            RuleKind::Error(message) => match eval(&message, &local) {
                Some(Value::Str(message)) => Err(ResolveError::Rule(message)),
                _ => Err(ResolveError::NoRule),
            },
        };
    }
    Ok(None)
}

fn conditions_hold(conditions: &[Condition], scope: &mut HashMap<&'static str, Value>) -> bool {
    for condition in conditions {
        match call(&condition.call, scope) {
            None | Some(Value::Bool(false)) => return false,
            Some(value) => {
                if let Some(name) = condition.assign {
                    scope.insert(name, value);
                }
            }
        }
    }
    true
}

fn eval(expr: &Expr, scope: &HashMap<&'static str, Value>) -> Option<Value> {
    match expr {
        Expr::Bool(b) => Some(Value::Bool(*b)),
        Expr::Int(i) => Some(Value::Int(*i)),
        Expr::Str(template) => render(template, scope).map(Value::Str),
        Expr::Ref(name) => scope.get(name).cloned(),
        Expr::Call(c) => call(c, scope),
    }
}

fn call(c: &Call, scope: &HashMap<&'static str, Value>) -> Option<Value> {
    let arg = |i: usize| c.argv.get(i).and_then(|e| eval(e, scope));
    let string = |i: usize| match arg(i) {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    };
    let boolean = |i: usize| match arg(i) {
        Some(Value::Bool(b)) => Some(b),
        _ => None,
    };
    match c.func {
        Func::IsSet => Some(Value::Bool(arg(0).is_some())),
        Func::Not => boolean(0).map(|b| Value::Bool(!b)),
        Func::BooleanEquals => Some(Value::Bool(boolean(0)? == boolean(1)?)),
        Func::StringEquals => Some(Value::Bool(string(0)? == string(1)?)),
        Func::GetAttr => {
            let path = match c.argv.get(1) {
                Some(Expr::Str(p)) => *p,
                _ => return None,
            };
            get_attr(arg(0)?, path)
        }
        Func::Substring => {
            let s = string(0)?;
            let (Some(Value::Int(start)), Some(Value::Int(stop))) = (arg(1), arg(2)) else {
                return None;
            };
            substring(&s, start, stop, boolean(3)?).map(Value::Str)
        }
        Func::UriEncode => Some(Value::Str(
            utf8_percent_encode(&string(0)?, crate::endpoint::COMPONENT).to_string(),
        )),
        Func::IsValidHostLabel => Some(Value::Bool(is_valid_host_label(&string(0)?, boolean(1)?))),
        Func::ParseUrl => parse_url(&string(0)?).map(Value::Url),
        Func::AwsPartition => Some(Value::Partition(partition(&string(0)?))),
    }
}

/// `getAttr`: `name`, `name.inner`, `list[0]`. Partitions and parsed URLs have attributes.
fn get_attr(value: Value, path: &str) -> Option<Value> {
    let mut current = value;
    for part in path.split('.') {
        current = match &current {
            Value::Partition(p) => match part {
                "name" => Value::Str(p.name.to_owned()),
                "dnsSuffix" => Value::Str(p.dns_suffix.to_owned()),
                "dualStackDnsSuffix" => Value::Str(p.dual_stack_dns_suffix.to_owned()),
                "supportsFIPS" => Value::Bool(p.supports_fips),
                "supportsDualStack" => Value::Bool(p.supports_dual_stack),
                "implicitGlobalRegion" => Value::Str(p.implicit_global_region.to_owned()),
                _ => return None,
            },
            Value::Url(u) => match part {
                "scheme" => Value::Str(u.scheme.clone()),
                "authority" => Value::Str(u.authority.clone()),
                "path" => Value::Str(u.path.clone()),
                "normalizedPath" => Value::Str(u.normalized_path.clone()),
                "isIp" => Value::Bool(u.is_ip),
                _ => return None,
            },
            _ => return None,
        };
    }
    Some(current)
}

/// Renders a template: `{name}` and `{name#attr}` from the scope; `{{` and `}}` are braces.
/// An unset name makes the whole template unset.
fn render(template: &str, scope: &HashMap<&'static str, Value>) -> Option<String> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let (brace, after) = (rest.as_bytes()[i], &rest[i + 1..]);
        if after.as_bytes().first() == Some(&brace) {
            out.push(brace as char);
            rest = &after[1..];
            continue;
        }
        if brace == b'}' {
            // A lone `}`: the generator refuses such templates; keep it as written.
            out.push('}');
            rest = after;
            continue;
        }
        let close = after.find('}')?;
        let name = &after[..close];
        let value = match name.split_once('#') {
            Some((base, attr)) => get_attr(scope_get(scope, base)?, attr)?,
            None => scope_get(scope, name)?,
        };
        match value {
            Value::Str(s) => out.push_str(&s),
            Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            _ => return None,
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn scope_get(scope: &HashMap<&'static str, Value>, name: &str) -> Option<Value> {
    scope.get(name).cloned()
}

fn substring(s: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !s.is_ascii() || start < 0 || stop <= start || stop as usize > s.len() {
        return None;
    }
    let (start, stop) = (start as usize, stop as usize);
    let (from, to) = if reverse {
        (s.len() - stop, s.len() - start)
    } else {
        (start, stop)
    };
    Some(s[from..to].to_owned())
}

fn is_valid_host_label(s: &str, allow_dots: bool) -> bool {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
    };
    if allow_dots {
        s.split('.').all(label_ok)
    } else {
        label_ok(s)
    }
}

fn parse_url(s: &str) -> Option<ParsedUrl> {
    let uri: http::Uri = s.parse().ok()?;
    let scheme = uri.scheme_str()?;
    if !matches!(scheme, "http" | "https") || uri.query().is_some() || s.contains('#') {
        return None;
    }
    let authority = uri.authority()?.as_str().to_owned();
    let host = uri.host()?;
    let is_ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
    // The path as written (the URI parser turns an empty path into `/`).
    let after_authority = &s[s.find("://")? + 3 + authority.len()..];
    let path = after_authority.to_owned();
    let mut normalized_path = path.clone();
    if !normalized_path.starts_with('/') {
        normalized_path.insert(0, '/');
    }
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(ParsedUrl {
        scheme: scheme.to_owned(),
        authority,
        path,
        normalized_path,
        is_ip,
    })
}

/// One AWS partition: the DNS facts of a group of regions.
#[derive(Debug, PartialEq, Eq)]
pub struct Partition {
    /// The partition id, e.g. `aws-us-gov`.
    pub name: &'static str,
    /// Regions that belong to the partition whatever their name looks like.
    pub regions: &'static [&'static str],
    /// Other regions of the partition match this expression.
    pub region_regex: &'static str,
    /// DNS suffix, e.g. `amazonaws.com`.
    pub dns_suffix: &'static str,
    /// Dual-stack DNS suffix, e.g. `api.aws`.
    pub dual_stack_dns_suffix: &'static str,
    /// Whether FIPS endpoints exist.
    pub supports_fips: bool,
    /// Whether dual-stack endpoints exist.
    pub supports_dual_stack: bool,
    /// The region global services of the partition sign for.
    pub implicit_global_region: &'static str,
}

/// The AWS partitions, `aws` first (the partition of a region no other one claims).
pub static PARTITIONS: &[Partition] = &[
    Partition {
        name: "aws",
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-7",
            "aws-global",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
        region_regex: r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-east-1",
    },
    Partition {
        name: "aws-cn",
        regions: &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
        region_regex: r"^cn\-\w+\-\d+$",
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "cn-northwest-1",
    },
    Partition {
        name: "aws-us-gov",
        regions: &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
        region_regex: r"^us\-gov\-\w+\-\d+$",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-gov-west-1",
    },
    Partition {
        name: "aws-iso",
        regions: &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
        region_regex: r"^us\-iso\-\w+\-\d+$",
        dns_suffix: "c2s.ic.gov",
        dual_stack_dns_suffix: "c2s.ic.gov",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "us-iso-east-1",
    },
    Partition {
        name: "aws-iso-b",
        regions: &["aws-iso-b-global", "us-isob-east-1"],
        region_regex: r"^us\-isob\-\w+\-\d+$",
        dns_suffix: "sc2s.sgov.gov",
        dual_stack_dns_suffix: "sc2s.sgov.gov",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "us-isob-east-1",
    },
    Partition {
        name: "aws-iso-e",
        regions: &["eu-isoe-west-1"],
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        dns_suffix: "cloud.adc-e.uk",
        dual_stack_dns_suffix: "cloud.adc-e.uk",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "eu-isoe-west-1",
    },
    Partition {
        name: "aws-iso-f",
        regions: &["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
        region_regex: r"^us\-isof\-\w+\-\d+$",
        dns_suffix: "csp.hci.ic.gov",
        dual_stack_dns_suffix: "csp.hci.ic.gov",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "us-isof-south-1",
    },
    Partition {
        name: "aws-eusc",
        regions: &["eusc-de-east-1"],
        region_regex: r"^eusc\-(de)\-\w+\-\d+$",
        dns_suffix: "amazonaws.eu",
        dual_stack_dns_suffix: "amazonaws.eu",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "eusc-de-east-1",
    },
];

/// The partition of `region`: the one that lists it, else the first whose expression matches,
/// else `aws`.
pub fn partition(region: &str) -> &'static Partition {
    static REGEXES: OnceLock<Vec<Option<regex_lite::Regex>>> = OnceLock::new();
    if let Some(p) = PARTITIONS.iter().find(|p| p.regions.contains(&region)) {
        return p;
    }
    let regexes = REGEXES.get_or_init(|| {
        PARTITIONS
            .iter()
            .map(|p| regex_lite::Regex::new(p.region_regex).ok())
            .collect()
    });
    PARTITIONS
        .iter()
        .zip(regexes)
        .find(|(_, re)| re.as_ref().is_some_and(|re| re.is_match(region)))
        .map_or(&PARTITIONS[0], |(p, _)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_by_list_then_pattern_then_aws() {
        assert_eq!(partition("us-gov-west-1").name, "aws-us-gov");
        assert_eq!(partition("us-gov-east-9").name, "aws-us-gov");
        assert_eq!(partition("cn-north-1").name, "aws-cn");
        assert_eq!(partition("eusc-de-east-2").name, "aws-eusc");
        assert_eq!(partition("us-isob-west-4").name, "aws-iso-b");
        assert_eq!(partition("aws-global").name, "aws");
        assert_eq!(partition("mars-east-1").name, "aws");
        for p in PARTITIONS {
            assert!(
                regex_lite::Regex::new(p.region_regex).is_ok(),
                "{}: the region expression does not compile",
                p.name
            );
        }
    }

    #[test]
    fn templates_and_functions() {
        let mut scope = HashMap::new();
        scope.insert("Region", Value::Str("us-gov-west-1".into()));
        scope.insert("P", Value::Partition(partition("us-gov-west-1")));
        assert_eq!(
            render("https://x.{Region}.{P#dnsSuffix}/{{a}}", &scope).as_deref(),
            Some("https://x.us-gov-west-1.amazonaws.com/{a}")
        );
        assert_eq!(render("{Missing}", &scope), None);
        assert_eq!(substring("abcdef", 1, 3, false).as_deref(), Some("bc"));
        assert_eq!(substring("abcdef", 1, 3, true).as_deref(), Some("de"));
        assert_eq!(substring("abc", 1, 9, false), None);
        assert!(is_valid_host_label("a-b.c", true));
        assert!(!is_valid_host_label("a-b.c", false));
        assert!(!is_valid_host_label("-a", false));
        let url = parse_url("https://127.0.0.1:9/base").unwrap();
        assert!(url.is_ip);
        assert_eq!(url.normalized_path, "/base/");
        assert_eq!(url.authority, "127.0.0.1:9");
        assert!(parse_url("https://h/x?q=1").is_none());
    }

    /// The shape of the AWS rule sets: a configured endpoint wins, FIPS with it is an error,
    /// a partition without FIPS refuses it.
    #[test]
    fn a_rule_set_resolves_in_order() {
        static IS_FIPS: Call = Call {
            func: Func::BooleanEquals,
            argv: &[Expr::Ref("UseFIPS"), Expr::Bool(true)],
        };
        static SUPPORTS_FIPS: Call = Call {
            func: Func::GetAttr,
            argv: &[Expr::Ref("P"), Expr::Str("supportsFIPS")],
        };
        static RULES: RuleSet = RuleSet {
            params: &[
                Param {
                    name: "Region",
                    built_in: Some(BuiltIn::Region),
                    default: None,
                },
                Param {
                    name: "UseFIPS",
                    built_in: Some(BuiltIn::UseFips),
                    default: Some(Literal::Bool(false)),
                },
                Param {
                    name: "Endpoint",
                    built_in: Some(BuiltIn::Endpoint),
                    default: None,
                },
            ],
            rules: &[
                Rule {
                    conditions: &[Condition {
                        call: Call {
                            func: Func::IsSet,
                            argv: &[Expr::Ref("Endpoint")],
                        },
                        assign: None,
                    }],
                    kind: RuleKind::Tree(&[
                        Rule {
                            conditions: &[Condition {
                                call: IS_FIPS,
                                assign: None,
                            }],
                            kind: RuleKind::Error(Expr::Str("no FIPS with a custom endpoint")),
                        },
                        Rule {
                            conditions: &[],
                            kind: RuleKind::Endpoint(Expr::Ref("Endpoint")),
                        },
                    ]),
                },
                Rule {
                    conditions: &[Condition {
                        call: Call {
                            func: Func::AwsPartition,
                            argv: &[Expr::Ref("Region")],
                        },
                        assign: Some("P"),
                    }],
                    kind: RuleKind::Tree(&[
                        Rule {
                            conditions: &[
                                Condition {
                                    call: IS_FIPS,
                                    assign: None,
                                },
                                Condition {
                                    call: Call {
                                        func: Func::BooleanEquals,
                                        argv: &[Expr::Call(&SUPPORTS_FIPS), Expr::Bool(true)],
                                    },
                                    assign: None,
                                },
                            ],
                            kind: RuleKind::Endpoint(Expr::Str(
                                "https://svc-fips.{Region}.{P#dnsSuffix}",
                            )),
                        },
                        Rule {
                            conditions: &[],
                            kind: RuleKind::Endpoint(Expr::Str(
                                "https://svc.{Region}.{P#dnsSuffix}",
                            )),
                        },
                    ]),
                },
                Rule {
                    conditions: &[],
                    kind: RuleKind::Error(Expr::Str("Missing Region")),
                },
            ],
        };
        let at = |region, fips, endpoint| {
            RULES.resolve(&Inputs {
                region,
                use_fips: fips,
                use_dual_stack: false,
                endpoint,
            })
        };
        assert_eq!(
            at(Some("cn-north-1"), false, None).unwrap(),
            "https://svc.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            at(Some("us-east-1"), true, None).unwrap(),
            "https://svc-fips.us-east-1.amazonaws.com"
        );
        assert_eq!(
            at(Some("us-east-1"), false, Some("http://127.0.0.1:1")).unwrap(),
            "http://127.0.0.1:1"
        );
        assert_eq!(
            at(Some("us-east-1"), true, Some("http://127.0.0.1:1")),
            Err(ResolveError::Rule("no FIPS with a custom endpoint".into()))
        );
        assert_eq!(
            at(None, false, None),
            Err(ResolveError::Rule("Missing Region".into()))
        );
    }
}
