//! Every trait the Smithy front-end knows, in one place, and what it does to a JSON-protocol
//! client.
//!
//! A trait is one of:
//! - **read**: the front-end maps it to the IR (HTTP bindings, constraints, errors, ...);
//! - **ignored**: it does not change what a JSON-protocol client sends or parses
//!   (documentation, IAM, endpoint rules, waiters, XML names, ...);
//! - **rejected**: it changes the wire in a way this generator does not implement
//!   (streams, compression, required checksums, other protocols); loading a shape that
//!   carries it is a [`SpecError`](crate::ir::SpecError) naming the trait and the shape.
//!
//! Traits we have never heard of: in the namespaces that define protocols and their wire
//! behaviour (`smithy.api`, `smithy.protocols`, `aws.protocols`, `aws.auth`,
//! `aws.customizations`) an unknown trait could change the request, so it is rejected; any
//! other namespace (IAM, CloudFormation, a vendor's own annotations) cannot change how the
//! standard protocols serialize, so it is accepted.

use serde_json::Value;

/// What a trait does to the generated client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Use {
    Read,
    Ignored,
    /// Out of scope; the text says why.
    Rejected(String),
}

/// Traits the front-end reads.
const READ: &[&str] = &[
    "smithy.api#documentation",
    "smithy.api#title",
    "smithy.api#required",
    "smithy.api#default",
    "smithy.api#clientOptional",
    "smithy.api#addedDefault",
    "smithy.api#sparse",
    "smithy.api#pattern",
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#enum",
    "smithy.api#enumValue",
    "smithy.api#error",
    "smithy.api#httpError",
    "smithy.api#retryable",
    "smithy.api#paginated",
    "smithy.api#http",
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpHeader",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpPayload",
    "smithy.api#httpResponseCode",
    "smithy.api#jsonName",
    "smithy.api#timestampFormat",
    "smithy.api#mediaType",
    "smithy.api#idempotencyToken",
    "smithy.api#endpoint",
    "smithy.api#hostLabel",
    "smithy.api#readonly",
    "smithy.api#idempotent",
    "smithy.api#sensitive",
    "smithy.api#deprecated",
    "smithy.api#optionalAuth",
    "smithy.api#noAuth",
    "smithy.api#auth",
    "smithy.api#httpBearerAuth",
    "smithy.api#mixin",
    "aws.api#service",
    "aws.auth#sigv4",
    "aws.protocols#awsJson1_0",
    "aws.protocols#awsJson1_1",
    "aws.protocols#restJson1",
    "aws.endpoints#dualStackOnlyEndpoints",
];

/// Traits that leave a JSON-protocol client's requests and responses unchanged.
const IGNORED: &[&str] = &[
    // Documentation and model bookkeeping.
    "smithy.api#externalDocumentation",
    "smithy.api#examples",
    "smithy.api#tags",
    "smithy.api#since",
    "smithy.api#unstable",
    "smithy.api#internal",
    "smithy.api#recommended",
    "smithy.api#suppress",
    "smithy.api#private",
    "smithy.api#trait",
    "smithy.api#references",
    "smithy.api#resourceIdentifier",
    "smithy.api#noReplace",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#unitType",
    "smithy.api#idRef",
    "smithy.api#property",
    "smithy.api#notProperty",
    "smithy.api#nestedProperties",
    "smithy.api#protocolDefinition",
    "smithy.api#authDefinition",
    "smithy.api#traitValidators",
    "smithy.api#uniqueItems",
    "smithy.api#box",
    // XML protocols only.
    "smithy.api#xmlName",
    "smithy.api#xmlNamespace",
    "smithy.api#xmlAttribute",
    "smithy.api#xmlFlattened",
    "aws.protocols#ec2QueryName",
    // Browser CORS configuration of the service: nothing a client sends.
    "smithy.api#cors",
    // Other auth schemes, listed next to SigV4 or bearer (the service picks one we use).
    "smithy.api#httpBasicAuth",
    "smithy.api#httpDigestAuth",
    "smithy.api#httpApiKeyAuth",
    // Only meaningful next to `streaming`, which is rejected.
    "smithy.api#requiresLength",
    // The error code an awsQuery client would see; without `awsQueryCompatible` a JSON
    // client reads the shape name, and the request is the same either way.
    "aws.protocols#awsQueryError",
    // Tells a JSON client to also read `x-amzn-query-error`; requests do not change and
    // the code in `__type` stays the shape name.
    "aws.protocols#awsQueryCompatible",
    "aws.endpoints#standardRegionalEndpoints",
    "aws.endpoints#standardPartitionalEndpoints",
    "aws.endpoints#rulesBasedEndpoints",
];

/// Namespaces whose traits never change a JSON-protocol request or response.
const IGNORED_NAMESPACES: &[&str] = &[
    "aws.iam#",
    "aws.cloudformation#",
    // `endpointRuleSet` is read by the front-end (`rules.rs`); context parameters from input
    // members and operations are not (their rule-set parameters stay unset, or the
    // front-end refuses the rule set when one is required without a default).
    "smithy.rules#",
    "smithy.waiters#",
    "smithy.test#",
    "smithy.mqtt#",
    "smithy.openapi#",
];

/// Namespaces where a trait we do not know could change the wire.
const STRICT_NAMESPACES: &[&str] = &[
    "smithy.api#",
    "smithy.protocols#",
    "aws.protocols#",
    "aws.auth#",
    "aws.customizations#",
];

/// Traits that change the wire in ways this generator does not implement.
fn rejected(name: &str, value: &Value) -> Option<String> {
    let why = match name {
        "smithy.api#streaming" => "streaming blobs and event streams are not supported",
        "smithy.api#eventHeader" | "smithy.api#eventPayload" => "event streams are not supported",
        "smithy.api#requestCompression" => "request compression (gzip bodies) is not supported",
        "smithy.api#httpChecksumRequired" => {
            "the service requires a Content-MD5 / checksum header on the request, which is \
             not supported"
        }
        // Optional request checksums and response validation are extras botocore adds
        // when asked; only a required request checksum makes a request without one fail.
        "aws.protocols#httpChecksum"
            if value
                .get("requestChecksumRequired")
                .and_then(Value::as_bool)
                == Some(true) =>
        {
            "a required request checksum is not supported"
        }
        // An operation that must be sent to a discovered endpoint.
        "aws.api#clientDiscoveredEndpoint"
            if value.get("required").and_then(Value::as_bool) == Some(true) =>
        {
            "required endpoint discovery is not supported"
        }
        "aws.protocols#awsQuery" | "aws.protocols#ec2Query" | "aws.protocols#restXml" => {
            "only the JSON protocols (awsJson1_0, awsJson1_1, restJson1) are supported"
        }
        "smithy.protocols#rpcv2Cbor" => {
            "only the JSON protocols (awsJson1_0, awsJson1_1, restJson1) are supported"
        }
        _ => return None,
    };
    Some(why.to_string())
}

/// Protocol traits: on a service they are alternatives (the front-end picks a JSON one), so
/// they are judged there, not here.
pub const PROTOCOL_TRAITS: &[&str] = &[
    "aws.protocols#awsJson1_0",
    "aws.protocols#awsJson1_1",
    "aws.protocols#restJson1",
    "aws.protocols#awsQuery",
    "aws.protocols#ec2Query",
    "aws.protocols#restXml",
    "smithy.protocols#rpcv2Cbor",
];

/// How the generator treats `name` with this value.
pub fn classify(name: &str, value: &Value) -> Use {
    if let Some(why) = rejected(name, value) {
        return Use::Rejected(why);
    }
    if READ.contains(&name) {
        return Use::Read;
    }
    if IGNORED.contains(&name)
        || name.starts_with("aws.api#")
        || IGNORED_NAMESPACES.iter().any(|ns| name.starts_with(ns))
        || (name.starts_with("aws.protocols#") && name.contains("Checksum"))
    {
        return Use::Ignored;
    }
    if name == "aws.auth#sigv4a"
        || name == "aws.auth#unsignedPayload"
        || name == "aws.auth#cognitoUserPools"
    {
        // Judged with the service's auth list: ignored as long as SigV4 is also offered.
        return Use::Ignored;
    }
    if STRICT_NAMESPACES.iter().any(|ns| name.starts_with(ns)) {
        return Use::Rejected(
            "unknown trait in a namespace that defines wire behaviour; the generator does not \
             know whether it changes the request"
                .into(),
        );
    }
    Use::Ignored
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_trait_is_listed_once() {
        let mut all: Vec<&str> = READ.iter().chain(IGNORED).copied().collect();
        all.sort();
        let before = all.len();
        all.dedup();
        assert_eq!(before, all.len(), "a trait is listed twice");
    }

    #[test]
    fn classification() {
        assert_eq!(classify("smithy.api#httpHeader", &json!("x")), Use::Read);
        assert_eq!(
            classify("smithy.api#xmlNamespace", &json!({})),
            Use::Ignored
        );
        assert_eq!(classify("aws.iam#iamAction", &json!({})), Use::Ignored);
        assert_eq!(classify("com.vendor#note", &json!({})), Use::Ignored);
        assert!(matches!(
            classify("smithy.api#streaming", &json!({})),
            Use::Rejected(_)
        ));
        assert!(matches!(
            classify("smithy.api#mystery", &json!({})),
            Use::Rejected(_)
        ));
        assert!(matches!(
            classify(
                "aws.protocols#httpChecksum",
                &json!({"requestChecksumRequired": true})
            ),
            Use::Rejected(_)
        ));
        assert_eq!(
            classify(
                "aws.protocols#httpChecksum",
                &json!({"requestAlgorithmMember": "A"})
            ),
            Use::Ignored
        );
    }
}
