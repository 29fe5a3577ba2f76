//! The one model both spec front-ends produce and the emitter consumes.
//!
//! Names here are already Rust names (`rust_name`) next to the wire names (`name`), so the
//! emitter never has to guess a casing rule.

use std::collections::BTreeMap;

/// One API: becomes one crate.
#[derive(Debug, Clone)]
pub struct Service {
    /// Spec file, relative to the workspace root (for the `@generated` header and errors).
    pub spec_path: String,
    /// Crate name, e.g. `cloudjobs-ssm-mw`.
    pub crate_name: String,
    /// Short service name used in logs, e.g. `ssm`.
    pub name: String,
    /// Human name, e.g. `AWS Systems Manager`.
    pub title: String,
    /// SDK id, e.g. `SSM`.
    pub sdk_id: String,
    /// API version string from the spec.
    pub version: String,
    /// Service documentation (plain text, paragraphs separated by blank lines).
    pub docs: String,
    pub protocol: Protocol,
    pub auth: Auth,
    pub endpoint: Endpoint,
    /// Prefix of every operation path that users may replace (SpaceONE `/identity/v2`).
    pub path_prefix: String,
    /// Error codes meaning throttling.
    pub throttling_codes: Vec<String>,
    pub operations: Vec<Operation>,
    /// Named structures and enums, keyed by Rust type name.
    pub shapes: BTreeMap<String, Shape>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    AwsJson1_0 { target_prefix: String },
    AwsJson1_1 { target_prefix: String },
    RestJson1,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    SigV4 { signing_name: String },
    Bearer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    AwsRegional {
        prefix: String,
        dual_stack_only: bool,
    },
    BaseUrl,
}

/// How timestamps are written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    EpochSeconds,
    DateTime,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// Wire name (`X-Amz-Target` suffix, or the OpenAPI operationId).
    pub name: String,
    /// Rust method name on the client, e.g. `list_classification_jobs`.
    pub method_name: String,
    /// Rust type prefix, e.g. `ListClassificationJobs`.
    pub type_name: String,
    pub docs: String,
    pub http_method: String,
    /// Path relative to the service path prefix, with `{label}` placeholders.
    pub path: String,
    pub readonly: bool,
    /// The input structure (members carry their HTTP location).
    pub input: Structure,
    /// The output: either an operation-owned structure or a named shared shape.
    pub output: Output,
    pub errors: Vec<ErrorRef>,
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone)]
pub enum Output {
    /// A structure that belongs to this operation (`<Op>Output`).
    Owned(Structure),
    /// A shared type (OpenAPI response schema), aliased as `<Op>Output`.
    Type(Type),
    /// No body (`{}`): an empty `<Op>Output` structure.
    Empty,
}

/// How a modeled error is recognized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorMatch {
    /// By the sanitized error code (AWS protocols).
    Code(String),
    /// By HTTP status (plain JSON REST APIs).
    Status(u16),
}

#[derive(Debug, Clone)]
pub struct ErrorRef {
    /// Variant name in the operation error enum.
    pub variant: String,
    /// Rust type name of the error structure (a key of `Service::shapes`).
    pub shape: String,
    pub matcher: ErrorMatch,
    /// Documented HTTP status.
    pub status: Option<u16>,
    pub docs: String,
}

#[derive(Debug, Clone)]
pub struct Pagination {
    pub style: PageStyle,
    /// Member path of the page size in the input (`MaxResults`, `query.page.limit`).
    pub page_size: Option<Vec<String>>,
    /// Member (wire name) of the result list in the output.
    pub items: String,
}

#[derive(Debug, Clone)]
pub enum PageStyle {
    /// Wire names of the input and output token members.
    Token { input: String, output: String },
    /// Wire-name paths of start and limit in the input, and the total count in the output.
    Offset {
        start: Vec<String>,
        limit: Vec<String>,
        total: String,
    },
}

#[derive(Debug, Clone)]
pub enum Shape {
    Structure(Structure),
    Enum(Enum),
}

#[derive(Debug, Clone)]
pub struct Structure {
    /// Rust type name.
    pub rust_name: String,
    /// Where the shape came from (shape id or JSON pointer), for messages.
    pub origin: String,
    pub docs: String,
    pub members: Vec<Member>,
    /// An error structure: gets a `meta` field.
    pub is_error: bool,
}

#[derive(Debug, Clone)]
pub struct Member {
    /// Wire name.
    pub name: String,
    /// Rust field name (may be a raw identifier such as `r#type`).
    pub rust_name: String,
    pub docs: String,
    pub ty: Type,
    pub required: bool,
    pub location: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Body,
    Label,
    Query,
}

/// A type at a use site, with the constraints that apply there.
#[derive(Debug, Clone)]
pub struct Type {
    pub kind: Kind,
    pub constraints: Constraints,
}

#[derive(Debug, Clone)]
pub enum Kind {
    String,
    Integer,
    Long,
    Float,
    Double,
    Boolean,
    Timestamp(TimestampFormat),
    /// Any JSON value.
    Document,
    /// A JSON object with arbitrary members.
    FreeFormObject,
    List(Box<Type>),
    /// A map from strings to the value type.
    Map(Box<Type>),
    /// A named structure.
    Struct(String),
    /// A named enum.
    Enum(String),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub pattern: Option<String>,
    pub length: Option<(Option<u64>, Option<u64>)>,
    pub range: Option<(Option<f64>, Option<f64>)>,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub rust_name: String,
    pub docs: String,
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The exact wire value.
    pub value: String,
    /// Rust variant name.
    pub variant: String,
    pub docs: String,
}

/// An error in a spec, reported with the file and where in it.
#[derive(Debug)]
pub struct SpecError {
    pub file: String,
    /// Shape id or JSON pointer.
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.location, self.message)
    }
}

impl std::error::Error for SpecError {}

/// Rust enum variant name for a wire value: `IN_PROGRESS` -> `InProgress`,
/// `preparation-completed` -> `PreparationCompleted`, `jobType` -> `JobType`.
/// A value that would be named `Unknown` becomes `UnknownValue`, since `Unknown` holds
/// values the client does not know.
pub fn variant_name(value: &str) -> String {
    use heck::ToUpperCamelCase;
    let mut name = value.to_upper_camel_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    if name == "Unknown" {
        name = "UnknownValue".into();
    }
    name
}

/// Rust field or method name for a wire name, as a raw identifier when it is a keyword.
pub fn field_name(wire: &str) -> String {
    use heck::ToSnakeCase;
    let snake = wire.to_snake_case();
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
        "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type",
        "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
        "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
    ];
    if KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else {
        snake
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("IN_PROGRESS"), "InProgress");
        assert_eq!(
            variant_name("preparation-completed"),
            "PreparationCompleted"
        );
        assert_eq!(variant_name("jobType"), "JobType");
        assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
        assert_eq!(variant_name("CreatedDate"), "CreatedDate");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("WindowExecutionId"), "window_execution_id");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("nextToken"), "next_token");
        assert_eq!(field_name("fieldErrors"), "field_errors");
    }
}
