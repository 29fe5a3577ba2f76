//! Security schemes and requirements; `servers`.

use super::document::{Document, Requirement, pointer_segment};
use super::refs::follow;
use crate::docs::normalize;
use crate::ir::*;

type Result<T> = std::result::Result<T, SpecError>;

fn err(file: &str, location: &str, message: impl Into<String>) -> SpecError {
    SpecError {
        file: file.into(),
        location: location.into(),
        message: message.into(),
    }
}

/// How operations are authenticated.
pub enum Security {
    /// Every operation sends `Authorization: Bearer` ([`Auth::Bearer`]).
    Bearer,
    /// Per operation, from the requirements ([`Auth::Schemes`]).
    Schemes {
        /// Supported scheme names.
        known: Vec<String>,
    },
}

/// Reads `components/securitySchemes`. Returns the service's [`Auth`], how operations
/// resolve their requirements, and notes for the service docs (schemes no operation uses
/// that the client could not apply).
pub fn schemes(file: &str, doc: &Document) -> Result<(Auth, Security, Vec<String>)> {
    let map = &doc.components.security_schemes;
    let mut known = Vec::new();
    let mut unsupported = Vec::new();
    for (name, item) in map {
        let at = format!("/components/securitySchemes/{}", pointer_segment(name));
        let (s, _, sat) = follow(file, "securitySchemes", map, item, &at)?;
        let kind = match (s.kind.as_deref(), s.location.as_deref()) {
            (Some("http"), _) => {
                match s.scheme.as_deref().map(str::to_ascii_lowercase).as_deref() {
                    Some("bearer") => Ok(SchemeKind::Bearer),
                    Some("basic") => Ok(SchemeKind::Basic),
                    Some(other) => Err(format!("HTTP authentication scheme `{other}`")),
                    None => return Err(err(file, &sat, "`type: http` without `scheme`")),
                }
            }
            (Some("apiKey"), loc) => {
                let Some(key) = s.name.clone() else {
                    return Err(err(file, &sat, "`type: apiKey` without `name`"));
                };
                match loc {
                    Some("header") => Ok(SchemeKind::ApiKeyHeader { header: key }),
                    Some("query") => Ok(SchemeKind::ApiKeyQuery { parameter: key }),
                    Some("cookie") => Err("an API key in a cookie".to_string()),
                    _ => {
                        return Err(err(
                            file,
                            &sat,
                            "`type: apiKey` needs `in: header`, `query` or `cookie`",
                        ));
                    }
                }
            }
            (Some(t @ ("oauth2" | "openIdConnect" | "mutualTLS")), _) => {
                Err(format!("`type: {t}`"))
            }
            (Some(t), _) => {
                return Err(err(
                    file,
                    &sat,
                    format!("unknown security scheme type `{t}`"),
                ));
            }
            (None, _) => return Err(err(file, &sat, "security scheme without `type`")),
        };
        match kind {
            Ok(kind) => known.push(SecurityScheme {
                name: name.clone(),
                docs: normalize(s.description.as_deref().unwrap_or("")),
                kind,
            }),
            Err(why) => unsupported.push((name.clone(), sat, why)),
        }
    }

    // Every requirement an operation can have, to see whether the simple case holds and
    // which unsupported schemes are in use.
    let mut requirements: Vec<(String, &Vec<Requirement>)> = Vec::new();
    let empty = Vec::new();
    for (path, item) in &doc.paths {
        for (method, op) in item.operations() {
            let at = format!("/paths/{}/{method}", pointer_segment(path));
            match &op.security {
                Some(r) => requirements.push((format!("{at}/security"), r)),
                None => {
                    requirements.push(("/security".into(), doc.security.as_ref().unwrap_or(&empty)))
                }
            }
        }
    }
    let mut notes = Vec::new();
    for (name, sat, why) in &unsupported {
        let used = requirements
            .iter()
            .any(|(_, reqs)| reqs.iter().any(|r| r.contains_key(name)));
        if used {
            return Err(err(
                file,
                sat,
                format!(
                    "security scheme `{name}` ({why}) is used by an operation and is not supported"
                ),
            ));
        }
        notes.push(format!(
            "The spec also defines the security scheme `{name}` ({why}), which no operation uses; the client ignores it."
        ));
    }
    for (at, reqs) in &requirements {
        for (i, r) in reqs.iter().enumerate() {
            for name in r.keys() {
                if !map.contains_key(name) {
                    return Err(err(
                        file,
                        &format!("{at}/{i}"),
                        format!("unknown security scheme `{name}`"),
                    ));
                }
            }
        }
    }

    // The case our own specs use: one bearer scheme, required alone by every operation.
    if let [only] = known.as_slice()
        && only.kind == SchemeKind::Bearer
        && unsupported.is_empty()
        && !requirements.is_empty()
        && requirements.iter().all(|(_, reqs)| {
            matches!(reqs.as_slice(), [r] if r.len() == 1 && r.contains_key(&only.name))
        })
    {
        return Ok((Auth::Bearer, Security::Bearer, notes));
    }
    let names = known.iter().map(|s| s.name.clone()).collect();
    Ok((
        Auth::Schemes(known),
        Security::Schemes { known: names },
        notes,
    ))
}

impl Security {
    /// `Operation::security` and `Operation::unsigned` for an operation.
    pub fn of(&self, doc: &Document, own: Option<&Vec<Requirement>>) -> (Vec<Vec<String>>, bool) {
        match self {
            Security::Bearer => (Vec::new(), false),
            Security::Schemes { known, .. } => {
                let reqs = own.or(doc.security.as_ref());
                let alternatives: Vec<Vec<String>> = reqs
                    .into_iter()
                    .flatten()
                    .map(|r| r.keys().filter(|k| known.contains(k)).cloned().collect())
                    .collect();
                let unsigned = alternatives.is_empty();
                (alternatives, unsigned)
            }
        }
    }
}

/// RFC 2606 / RFC 6761 names reserved for documentation and testing.
fn placeholder_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    ["example.com", "example.net", "example.org"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        || [".example", ".test", ".invalid"]
            .iter()
            .any(|d| host.ends_with(d) || host == d[1..])
}

/// The default base URL and the path prefix a relative server URL gives.
pub fn servers(file: &str, doc: &Document) -> Result<(Option<String>, String)> {
    let Some(server) = doc.servers.first() else {
        return Ok((None, String::new()));
    };
    let mut url = String::new();
    let mut rest = server.url.as_str();
    while let Some(open) = rest.find('{') {
        url.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return Err(err(
                file,
                "/servers/0/url",
                "unclosed `{` in the server URL",
            ));
        };
        let var = &rest[open + 1..open + close];
        let value = server.variables.get(var).ok_or_else(|| {
            err(
                file,
                "/servers/0/url",
                format!("server variable `{var}` is not declared in `variables`"),
            )
        })?;
        url.push_str(&value.default);
        rest = &rest[open + close + 1..];
    }
    url.push_str(rest);
    let url = url.trim_end_matches('/').to_string();
    if url.starts_with('/') {
        return Ok((None, url));
    }
    let Some((scheme, after)) = url.split_once("://") else {
        // `""` (the document's own location) or a relative path without `/`.
        return Ok((None, String::new()));
    };
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return Err(err(
            file,
            "/servers/0/url",
            format!("server URL scheme `{scheme}` is not http or https"),
        ));
    }
    let authority = after.split('/').next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host
    } else {
        host.split(':').next().unwrap_or(host)
    };
    if host.is_empty() || placeholder_host(host) {
        // The user supplies the host; the base path still belongs to every request.
        let path = after.find('/').map_or("", |i| &after[i..]);
        return Ok((None, path.to_string()));
    }
    Ok((Some(url), String::new()))
}
