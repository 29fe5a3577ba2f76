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

/// `../shared/corpus/smithy` next to the workspace, when present.
fn corpus_dir() -> Option<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent()?;
    let dir = root.parent()?.join("shared/corpus/smithy");
    dir.is_dir().then_some(dir)
}

/// Every operation listed in the corpus's `operations.txt` loads alone and passes the
/// check pass.
#[test]
fn corpus_operations_load_and_check() {
    let Some(dir) = corpus_dir() else {
        eprintln!("no corpus directory; skipped");
        return;
    };
    let list = std::fs::read_to_string(dir.join("operations.txt")).unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let (file, op) = line.split_once(' ').unwrap();
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        count += 1;
        let result = load(file, &text, Some(&[op.trim().to_string()]))
            .and_then(|mut svc| crate::check::check(&mut svc).map(|()| svc));
        match result {
            Ok(svc) => {
                assert_eq!(svc.operations.len(), 1, "{line}");
                assert_eq!(svc.operations[0].name, op.trim());
            }
            Err(e) => failures.push(format!("{line}: {e}")),
        }
    }
    assert!(count >= 22, "operations.txt lists {count} operations");
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Whole models: every operation is tried on its own; out-of-scope constructs are correct
/// errors, so this only reports (run with `--nocapture`) and checks that nothing panics.
#[test]
fn corpus_whole_models_report() {
    let Some(dir) = corpus_dir() else {
        eprintln!("no corpus directory; skipped");
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = match parse(&file, &text) {
            Ok(p) => p,
            Err(e) => {
                println!("{file}: does not parse: {e}");
                continue;
            }
        };
        let whole = parsed
            .service(None)
            .and_then(|mut s| crate::check::check(&mut s));
        let names = parsed.operation_names().unwrap();
        let mut ok = 0;
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for n in &names {
            match parsed
                .service(Some(std::slice::from_ref(n)))
                .and_then(|mut s| crate::check::check(&mut s))
            {
                Ok(()) => ok += 1,
                Err(e) => *reasons.entry(e.message.clone()).or_default() += 1,
            }
        }
        println!(
            "{file}: whole model {}; {ok}/{} operations load alone",
            if whole.is_ok() { "loads" } else { "fails" },
            names.len()
        );
        for (r, n) in reasons {
            println!("    {n} x {r}");
        }
    }
}
