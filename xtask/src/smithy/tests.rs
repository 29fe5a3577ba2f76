//! Front-end unit tests: small inline models, checked through the IR.

use super::*;
use serde_json::json;

fn spec(shapes: Value) -> String {
    json!({"smithy": "2.0", "shapes": shapes}).to_string()
}

fn base() -> Value {
    json!({
        "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Op"}],
            "traits": {"aws.protocols#awsJson1_1": {}, "aws.auth#sigv4": {"name": "ex"},
                       "aws.api#service": {"sdkId": "Ex", "endpointPrefix": "ex"}}},
        "ex#Op": {"type": "operation", "input": {"target": "ex#In"}, "output": {"target": "ex#Out"}},
        "ex#In": {"type": "structure", "members": {"Id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}},
        "ex#Out": {"type": "structure", "members": {}}
    })
}

#[test]
fn loads_minimal_service() {
    let s = load("specs/ex.smithy.json", &spec(base()), None).unwrap();
    assert_eq!(s.operations.len(), 1);
    assert_eq!(s.operations[0].input.rust_name, "OpInput");
    assert!(s.operations[0].input.members[0].required);
    assert_eq!(
        s.protocol,
        Protocol::AwsJson1_1 {
            target_prefix: "Svc".into()
        }
    );
}
