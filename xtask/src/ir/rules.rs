//! A Smithy endpoint rule set (`smithy.rules#endpointRuleSet`) as the front-end checked it:
//! every function is one the runtime evaluates, every reference is bound, and every parameter
//! is one the runtime can supply or has a default. The emitter writes it out as the runtime's
//! `cloudjobs_runtime::endpoint_rules::RuleSet` static data, one to one.

#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    pub params: Vec<Param>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub built_in: Option<BuiltIn>,
    pub default: Option<Literal>,
}

/// The `builtIn`s the runtime supplies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltIn {
    /// `AWS::Region`
    Region,
    /// `AWS::UseFIPS`
    UseFips,
    /// `AWS::UseDualStack`
    UseDualStack,
    /// `SDK::Endpoint`
    Endpoint,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    Bool(bool),
    Str(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub conditions: Vec<Condition>,
    pub kind: RuleKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    Tree(Vec<Rule>),
    /// The endpoint's URL.
    Endpoint(Expr),
    /// The error's message.
    Error(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub call: Call,
    pub assign: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub func: Func,
    pub argv: Vec<Expr>,
}

/// The functions the runtime evaluates, with their names in rule sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    GetAttr,
    Substring,
    UriEncode,
    IsValidHostLabel,
    ParseUrl,
    AwsPartition,
}

impl Func {
    pub const ALL: [(&'static str, Func); 10] = [
        ("isSet", Func::IsSet),
        ("not", Func::Not),
        ("booleanEquals", Func::BooleanEquals),
        ("stringEquals", Func::StringEquals),
        ("getAttr", Func::GetAttr),
        ("substring", Func::Substring),
        ("uriEncode", Func::UriEncode),
        ("isValidHostLabel", Func::IsValidHostLabel),
        ("parseURL", Func::ParseUrl),
        ("aws.partition", Func::AwsPartition),
    ];

    /// How many arguments the function takes.
    pub fn arity(self) -> usize {
        match self {
            Func::IsSet | Func::Not | Func::UriEncode | Func::ParseUrl | Func::AwsPartition => 1,
            Func::BooleanEquals | Func::StringEquals | Func::GetAttr | Func::IsValidHostLabel => 2,
            Func::Substring => 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Bool(bool),
    Int(i64),
    /// A template: `{Name}` and `{Name#attr}` are filled in, `{{` and `}}` are braces.
    Str(String),
    Ref(String),
    Call(Box<Call>),
}
