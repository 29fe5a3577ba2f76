//! The one model both spec front-ends produce and the emitter consumes.
//!
//! Names here are already Rust names (`rust_name`) next to the wire names (`name`), so the
//! emitter never has to guess a casing rule.

pub mod rules;

use std::collections::BTreeMap;

/// One API: becomes one crate.
///
/// This is the contract between the front-ends (Smithy, OpenAPI), the check pass
/// (`check.rs`, which runs after every front-end and owns the cross-cutting rules) and the
/// emitter. After the check pass the emitter may rely on:
/// - every `rust_name` is a valid, unique Rust identifier in its scope (raw `r#` form for
///   keywords), every type name is unique in `shapes`;
/// - every `Kind::{Struct,Enum,IntEnum,Union}(name)` names an entry of `shapes`;
/// - `Member::boxed` is set wherever a type would otherwise contain itself;
/// - pagination paths name existing members (by `member_name`), labels appear in paths,
///   `host_prefix` labels name `host_label` members, patterns compile.
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
    /// In spec order (the service's `operations` list, or the OpenAPI paths).
    pub operations: Vec<Operation>,
    /// Named structures, unions and enums, keyed by Rust type name.
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
    SigV4 {
        signing_name: String,
    },
    /// `Authorization: Bearer <token>` on every signed operation (our two OpenAPI specs, Smithy
    /// `httpBearerAuth`).
    Bearer,
    /// OpenAPI security schemes. Which of them an operation uses is
    /// [`Operation::security`]; an empty list means the API has no authentication.
    Schemes(Vec<SecurityScheme>),
}

/// One OpenAPI security scheme (`components/securitySchemes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The key in `components/securitySchemes` (operations name schemes by it).
    pub name: String,
    pub docs: String,
    pub kind: SchemeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `type: http, scheme: bearer`: `Authorization: Bearer <token>`.
    Bearer,
    /// `type: http, scheme: basic`: `Authorization: Basic base64(user:password)`.
    Basic,
    /// `type: apiKey, in: header`: the key in the named header.
    ApiKeyHeader { header: String },
    /// `type: apiKey, in: query`: the key in the named query parameter.
    ApiKeyQuery { parameter: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Endpoint {
    /// An AWS model's `smithy.rules#endpointRuleSet`; `prefix` is its `endpointPrefix`.
    Rules {
        prefix: String,
        rules: rules::RuleSet,
    },
    /// An AWS model without a rule set: `https://{prefix}[-fips].{region}.{dns suffix}`.
    AwsRegional {
        prefix: String,
        dual_stack_only: bool,
    },
    /// A base URL; `default` is the first OpenAPI `servers` entry with its variables set to
    /// their defaults (an absolute URL, which may carry a base path such as
    /// `https://api.example.com/v1`). Without a default the user must configure one.
    BaseUrl { default: Option<String> },
}

/// How a timestamp is written on the wire. The front-end resolves it per use site: an
/// explicit `timestampFormat` (member, then target), else the protocol's default for the
/// location (body: epoch seconds in the AWS JSON protocols; header: HTTP date; query and
/// label: date-time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    EpochSeconds,
    DateTime,
    HttpDate,
}

/// `smithy.api#deprecated` (or OpenAPI `deprecated: true`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deprecated {
    pub message: Option<String>,
    pub since: Option<String>,
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
    /// Path relative to the service path prefix, with `{label}` placeholders; a greedy label
    /// is written `{label+}` and its value keeps its `/` unescaped.
    pub path: String,
    /// Constant query parameters from the URI template (`/x?list-type=2` or `?flag`, whose
    /// value is empty), sent before the bound ones.
    pub query_literals: Vec<(String, String)>,
    /// HTTP status of a successful response (`smithy.api#http` `code`), when not 200.
    pub success_status: Option<u16>,
    /// Every documented success response of an OpenAPI operation (`1XX` to `3XX` keys, or
    /// `default` when nothing else is a success), in spec order. A response with one of these
    /// statuses is decoded as the output, whatever its class: a `303` next to a `200` is a
    /// success, not an error. Any 2xx and `success_status` are successes in any case; empty
    /// for Smithy operations, which have nothing else.
    pub success_statuses: Vec<StatusMatch>,
    /// The media type of the request body exactly as the spec declares it (the OpenAPI
    /// `requestBody.content` key the client sends: the first JSON one, else a form, raw bytes,
    /// text), parameters included (`application/json; charset=utf-8`). It is the request's
    /// `Content-Type` unless it is a range (`*/*`, `application/*`), when the body kind's
    /// own type is sent. `None`: no body, or the protocol's type (Smithy).
    pub request_media_type: Option<String>,
    /// The `Accept` header the request sends, from the success responses (OpenAPI): the JSON
    /// media type as declared for a JSON output, the declared type for a text output, `*/*`
    /// for raw bytes (or when nothing is documented); several responses' types are listed in
    /// spec order, without repeats. `None`: the protocol's default (`application/json` for
    /// plain JSON, nothing for the AWS protocols), also when no success response has a body.
    pub accept: Option<String>,
    /// `smithy.api#readonly` (or a GET): no side effects.
    pub readonly: bool,
    /// `smithy.api#idempotent` (or readonly): safe to retry after a partial send.
    pub idempotent: bool,
    pub deprecated: Option<Deprecated>,
    /// `smithy.api#endpoint` `hostPrefix`, e.g. `{AccountId}.jobs.`; each `{x}` names an
    /// input member (by `member_name`) with `host_label` set.
    pub host_prefix: Option<String>,
    /// The operation is sent without credentials (`smithy.api#optionalAuth`, or an empty
    /// `smithy.api#auth` list on the operation).
    pub unsigned: bool,
    /// With [`Auth::Schemes`]: the operation's OpenAPI security requirement (its own
    /// `security`, else the document's). Alternatives in spec order; each alternative names
    /// schemes (keys of `Service::auth`'s list) that are all applied together. An empty
    /// alternative (`{}`) means the call may go without credentials; an empty list means the
    /// operation never sends any. At run time the first alternative whose credentials are all
    /// configured is used.
    pub security: Vec<Vec<String>>,
    /// The only success response is `101 Switching Protocols` (a WebSocket upgrade, e.g.
    /// dropshot's `x-dropshot-websocket`): the client sends the handshake headers and hands
    /// back the upgraded connection instead of an output.
    pub upgrade: bool,
    /// The input structure (members carry their HTTP location).
    pub input: Structure,
    /// The output: either an operation-owned structure or a named shared shape.
    pub output: Output,
    pub errors: Vec<ErrorRef>,
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone)]
pub enum Output {
    /// A structure that belongs to this operation (`<Op>Output`). Its members may be bound
    /// to `Header`, `PrefixHeaders`, `Payload` or `ResponseCode`.
    Owned(Structure),
    /// A shared type (OpenAPI response schema), aliased as `<Op>Output`.
    Type(Type),
    /// No body (`{}`): an empty `<Op>Output` structure.
    Empty,
    /// Several success responses whose bodies differ (OpenAPI): `<Op>Output` is an enum with
    /// one variant per response, chosen by the HTTP status.
    ByStatus(Vec<StatusOutput>),
}

/// One success response of [`Output::ByStatus`].
#[derive(Debug, Clone)]
pub struct StatusOutput {
    /// Which statuses select this response.
    pub status: StatusMatch,
    /// Variant name in the output enum (`Ok`, `Created`, `Status2xx`, ...).
    pub variant: String,
    pub docs: String,
    /// The body type; `None` when the response has no body.
    pub body: Option<Type>,
    /// Headers the response declares (`Location` on a `303`), as `Header` members. With
    /// any, the variant holds a structure `<Op>Output<Variant>` whose members are these
    /// headers and, when there is a body, a `body` `Payload` member (as an
    /// [`Output::Owned`] structure is built); without, the variant holds the body alone.
    /// The front-end keeps the members' `rust_name`s distinct and clear of `body`.
    pub headers: Vec<Member>,
}

/// A set of HTTP statuses an OpenAPI response key stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// One status (`"404"`).
    Exact(u16),
    /// A class (`"4XX"` is `Class(4)`).
    Class(u8),
    /// `default`: any status no other key of the operation matches.
    Default,
}

/// How a modeled error is recognized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorMatch {
    /// By the sanitized error code (AWS protocols).
    Code(String),
    /// By HTTP status (plain JSON REST APIs).
    Status(u16),
    /// By status class (OpenAPI `4XX`: `StatusClass(4)`), after every `Status` of the
    /// operation.
    StatusClass(u8),
    /// OpenAPI `default`: any error status no other matcher of the operation takes.
    Default,
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

/// Paths are lists of `Member::member_name`s, from the operation input or output structure
/// down through nested structures (`smithy.api#paginated` `outputToken: "a.b"`).
#[derive(Debug, Clone)]
pub struct Pagination {
    pub style: PageStyle,
    /// Path of the page size in the input (`MaxResults`, `query.page.limit`).
    pub page_size: Option<Vec<String>>,
    /// Path of the result list (or map) in the output, when the spec names one.
    pub items: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub enum PageStyle {
    /// The input token member (top level, as Smithy requires) and the path of the output
    /// token.
    Token { input: String, output: Vec<String> },
    /// Paths of start and limit in the input, and the total count in the output.
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
    IntEnum(IntEnum),
    Union(Union),
}

#[derive(Debug, Clone)]
pub struct Structure {
    /// Rust type name.
    pub rust_name: String,
    /// Where the shape came from (shape id or JSON pointer), for messages.
    pub origin: String,
    pub docs: String,
    /// In spec order.
    pub members: Vec<Member>,
    /// OpenAPI `additionalProperties` next to `properties`: the structure keeps every other
    /// key of the JSON object, with values of this type (`Document` for `true`), in a map
    /// field after the members.
    pub additional: Option<Box<Type>>,
    /// An error structure: gets a `meta` field.
    pub is_error: bool,
    /// `smithy.api#retryable` on an error structure.
    pub retryable: Option<Retryable>,
    /// The whole value is sensitive (`smithy.api#sensitive` on the shape): `Debug` redacts it.
    pub sensitive: bool,
    pub deprecated: Option<Deprecated>,
}

impl Structure {
    /// An empty, plain structure.
    pub fn new(rust_name: impl Into<String>, origin: impl Into<String>) -> Structure {
        Structure {
            rust_name: rust_name.into(),
            origin: origin.into(),
            docs: String::new(),
            members: Vec::new(),
            additional: None,
            is_error: false,
            retryable: None,
            sensitive: false,
            deprecated: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retryable {
    pub throttling: bool,
}

/// A union (`union` shape, or OpenAPI `oneOf`/`anyOf`): a Rust enum with one variant per
/// member and, unless it is `Untagged`, an `Unknown` variant for members this client does not
/// know.
#[derive(Debug, Clone)]
pub struct Union {
    pub rust_name: String,
    pub origin: String,
    pub docs: String,
    /// In spec order; all in the body. `rust_name` of a union member is its variant name
    /// (UpperCamelCase); `name` is its tag on the wire (unused when `Untagged`). A member of
    /// kind [`Kind::Unit`] carries nothing but its tag.
    pub members: Vec<Member>,
    pub tagging: Tagging,
    pub sensitive: bool,
    pub deprecated: Option<Deprecated>,
}

/// How a union is told apart on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tagging {
    /// `{"<tag>": value}` (Smithy unions; a `oneOf` of one-property objects). A unit variant
    /// is the bare string `"<tag>"` (a `oneOf` of string enums).
    External,
    /// `{"<tag field>": "<tag>", ...the variant's structure members}` (a `discriminator`, or a
    /// property whose `enum` has one value in every alternative). Variants are structures
    /// or units.
    Internal { field: String },
    /// `{"<tag field>": "<tag>", "<content field>": value}`.
    Adjacent { field: String, content: String },
    /// No tag: the first variant whose type accepts the JSON value wins (a `oneOf`/`anyOf`
    /// nothing else tells apart). Variants are never units.
    Untagged,
}

#[derive(Debug, Clone)]
pub struct Member {
    /// Wire name at its location: JSON key (after `jsonName`), header name, query key or
    /// label name.
    pub name: String,
    /// The name in the model (Smithy member name, OpenAPI property or parameter name). Paths
    /// in [`Pagination`] and `host_prefix` labels use it; botocore keys inputs by it.
    pub member_name: String,
    /// Rust field name (may be a raw identifier such as `r#type`).
    pub rust_name: String,
    pub docs: String,
    pub ty: Type,
    pub required: bool,
    pub location: Location,
    /// `smithy.api#idempotencyToken`: filled with a fresh UUID v4 when the caller leaves it
    /// unset.
    pub idempotency_token: bool,
    /// `smithy.api#hostLabel`: also fills a `{label}` of the operation's `host_prefix`.
    pub host_label: bool,
    /// The member or its target is `smithy.api#sensitive`: `Debug` redacts it.
    pub sensitive: bool,
    pub deprecated: Option<Deprecated>,
    /// `smithy.api#default` (documented; the wire carries only what the caller set).
    pub default: Option<serde_json::Value>,
    /// OpenAPI `nullable` (or an `allOf`/`oneOf` with a `null` alternative): JSON `null` is a
    /// valid value. A required nullable member is still an `Option` field, written as `null`
    /// when unset instead of being left out.
    pub nullable: bool,
    /// How a `Query` member that is a list, map or structure is spelled (OpenAPI
    /// `style`/`explode`); `Form { explode: true }` otherwise.
    pub query_style: QueryStyle,
    /// Set by the check pass: the field's type is boxed to break a cycle of structures.
    pub boxed: bool,
}

impl Member {
    /// A plain member whose model name is its wire name; the flags start unset.
    pub fn new(name: impl Into<String>, ty: Type, location: Location) -> Member {
        let name = name.into();
        Member {
            rust_name: field_name(&name),
            member_name: name.clone(),
            name,
            docs: String::new(),
            ty,
            required: false,
            location,
            idempotency_token: false,
            host_label: false,
            sensitive: false,
            deprecated: None,
            default: None,
            nullable: false,
            query_style: QueryStyle::Form { explode: true },
            boxed: false,
        }
    }
}

/// OpenAPI query parameter styles (all percent-encoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `explode: true`: a list repeats the key (`k=a&k=b`), a map or structure sends each
    /// entry as its own parameter (`a=1&b=2`). `explode: false`: `k=a,b`, and `k=a,1,b,2`
    /// for a map or structure.
    Form { explode: bool },
    /// A list as `k=a%20b`.
    SpaceDelimited,
    /// A list as `k=a|b`.
    PipeDelimited,
    /// A map or structure as `k[a]=1&k[b]=2`.
    DeepObject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A member of the JSON body.
    Body,
    /// `{name}` (or greedy `{name+}`) in the path.
    Label,
    /// One query parameter (a list: the key repeated, once per item).
    Query,
    /// `smithy.api#httpQueryParams`: a map whose entries become query parameters (a
    /// parameter named by an explicit `Query` member wins).
    QueryParams,
    /// One header (a list: comma-separated items).
    Header,
    /// `smithy.api#httpPrefixHeaders`: a map; each entry is a header `<prefix><key>`, and `name`
    /// holds the prefix.
    PrefixHeaders,
    /// `smithy.api#httpPayload` (or an OpenAPI request body that is not an object of
    /// properties): the member is the whole body (a structure or union as JSON, a blob as raw
    /// bytes, a string as text, a document or a list as JSON). The type's `media_type` is the
    /// `Content-Type`; `application/x-www-form-urlencoded` sends a structure as a form.
    Payload,
    /// `smithy.api#httpResponseCode` (outputs only): the HTTP status.
    ResponseCode,
}

/// A type at a use site, with the constraints that apply there.
#[derive(Debug, Clone)]
pub struct Type {
    pub kind: Kind,
    pub constraints: Constraints,
    /// A `smithy.api#sparse` list or map: items may be `null` (`Vec<Option<T>>`).
    pub sparse: bool,
    /// `smithy.api#mediaType` of a string or blob (a header string with a media type is
    /// base64-encoded on the wire; a payload's media type is its `Content-Type`).
    pub media_type: Option<String>,
}

impl Type {
    pub fn new(kind: Kind) -> Type {
        Type {
            kind,
            constraints: Constraints::default(),
            sparse: false,
            media_type: None,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Kind {
    String,
    /// i8
    Byte,
    /// i16
    Short,
    /// i32
    Integer,
    /// i64
    Long,
    /// u8 (OpenAPI `format: uint8`)
    UnsignedByte,
    /// u16
    UnsignedShort,
    /// u32 (`uint32`)
    UnsignedInteger,
    /// u64 (`uint64`, and schemars' `uint`: a `usize`, 64 bits on the platforms that matter)
    UnsignedLong,
    Float,
    Double,
    Boolean,
    /// An arbitrary-precision integer, a JSON number on the wire.
    BigInteger,
    /// An arbitrary-precision decimal, a JSON number on the wire.
    BigDecimal,
    /// Bytes: base64 in JSON, headers and query; raw as a payload.
    Blob,
    Timestamp(TimestampFormat),
    /// A calendar date, `2024-05-01` on the wire (OpenAPI `format: date`).
    Date,
    /// A UUID in its hyphenated text form (OpenAPI `format: uuid`).
    Uuid,
    /// An IP address in text form (OpenAPI `format: ip`, `ipv4`, `ipv6`).
    IpAddr(IpVersion),
    /// Any JSON value.
    Document,
    /// A JSON object with arbitrary members.
    FreeFormObject,
    List(Box<Type>),
    /// A map from strings to the value type.
    Map(Box<Type>),
    /// A named structure.
    Struct(String),
    /// A named string enum.
    Enum(String),
    /// A named integer enum.
    IntEnum(String),
    /// A named union.
    Union(String),
    /// Nothing but a tag: only as the type of a [`Union`] member.
    Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpVersion {
    /// Either (`std::net::IpAddr`).
    Any,
    V4,
    V6,
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
    /// In spec order.
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

#[derive(Debug, Clone)]
pub struct IntEnum {
    pub rust_name: String,
    pub docs: String,
    /// In spec order.
    pub values: Vec<IntEnumValue>,
}

#[derive(Debug, Clone)]
pub struct IntEnumValue {
    pub value: i64,
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

/// Rust field or method name for a wire name, as a raw identifier when it is a keyword: the
/// check pass's rule ([`crate::check::field_ident`]), so there is one keyword list.
pub fn field_name(wire: &str) -> String {
    crate::check::field_ident(wire)
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
