//! Endpoint resolution: base URL, path and query of a request.
//!
//! A configured endpoint URL is, in order:
//! 1. [`ConfigBuilder::endpoint_url`](crate::ConfigBuilder::endpoint_url);
//! 2. `<PREFIX>_ENDPOINT_URL` (captured by `Config::from_env`);
//! 3. for SigV4 services, `AWS_ENDPOINT_URL_<SDK_ID>` then `AWS_ENDPOINT_URL`.
//!
//! The service's [`EndpointRule`] then gives the base URL:
//! - [`EndpointRule::RuleSet`] (AWS models): the model's endpoint rules decide, with the region,
//!   FIPS, dual-stack and the configured URL as inputs, as the AWS SDKs do (so FIPS with a
//!   configured URL is an error, and each partition gets its own host names);
//! - otherwise a configured URL wins; [`EndpointRule::AwsRegional`] gives
//!   `https://{prefix}[-fips].{region}.{suffix}`, where the suffix is the partition's
//!   (dual-stack) DNS suffix; [`EndpointRule::DefaultUrl`] the spec's URL; services with
//!   [`EndpointRule::BaseUrl`] have no default and fail with a clear error.
//!
//! A base URL may carry a base path (`https://h/api/v1`): the operation path is appended to
//! it (`https://h/api/v1/things`), whichever rule gave the URL.
//!
//! The path is the path prefix (config, `<PREFIX>_PATH_PREFIX`, or the service's) followed by
//! the operation's template (or its override), with `{label}`s replaced by percent-encoded
//! values (`{label+}` keeps `/`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::config::Config;
use crate::endpoint_rules::{Inputs, RuleSet, partition};
use crate::error::{ConstructionError, ConstructionErrorKind};
use crate::meta::{AuthScheme, EndpointRule, OperationMeta, ServiceMeta};
use crate::wire::HttpRequest;

/// Everything but the RFC 3986 unreserved characters is encoded.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// As [`COMPONENT`], keeping `/` (greedy labels).
const GREEDY: &AsciiSet = &COMPONENT.remove(b'/');

fn is_valid_region(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 63
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

/// The environment variable suffix of an SDK id, as in `AWS_ENDPOINT_URL_<suffix>`: upper
/// case, spaces and dashes as `_` (`PartnerCentral Selling` -> `PARTNERCENTRAL_SELLING`).
pub fn sdk_id_env_suffix(sdk_id: &str) -> String {
    sdk_id
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// The base URL (scheme, authority and optional base path, without a trailing `/`).
pub(crate) fn resolve_base_url(
    service: &ServiceMeta,
    config: &Config,
) -> Result<String, ConstructionError> {
    let prefix_var = format!("{}_ENDPOINT_URL", service.env_prefix);
    let mut url = config
        .endpoint_url()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
        .or_else(|| config.env.get(&prefix_var).map(str::to_owned));
    if url.is_none() && matches!(service.auth, AuthScheme::SigV4 { .. }) {
        let var = format!("AWS_ENDPOINT_URL_{}", sdk_id_env_suffix(service.sdk_id));
        url = config
            .env
            .get(&var)
            .or_else(|| config.env.get("AWS_ENDPOINT_URL"))
            .map(str::to_owned);
    }
    match (service.endpoint, url) {
        (EndpointRule::RuleSet(rules), url) => by_rules(service, rules, config, url.as_deref()),
        (_, Some(url)) => normalize_base(&url),
        (
            EndpointRule::AwsRegional {
                prefix,
                dual_stack_only,
            },
            None,
        ) => {
            let Some(region) = config.region() else {
                return Err(ConstructionError::new(
                    ConstructionErrorKind::MissingRegion,
                    format!(
                        "service `{}` needs a region (ConfigBuilder::region or AWS_REGION) or an \
                         endpoint URL",
                        service.name
                    ),
                ));
            };
            let region = region.as_str();
            if !is_valid_region(region) {
                return Err(invalid_region(region));
            }
            let partition = partition(region);
            let suffix = if dual_stack_only || config.use_dual_stack() {
                partition.dual_stack_dns_suffix
            } else {
                partition.dns_suffix
            };
            let fips = if config.use_fips() { "-fips" } else { "" };
            Ok(format!("https://{prefix}{fips}.{region}.{suffix}"))
        }
        (EndpointRule::DefaultUrl(url), None) => normalize_base(url),
        (EndpointRule::BaseUrl, None) => Err(ConstructionError::new(
            ConstructionErrorKind::MissingEndpoint,
            format!(
                "service `{}` has no default endpoint: set its base URL with \
                 ConfigBuilder::endpoint_url, or set {prefix_var} and load the config with \
                 Config::from_env",
                service.name
            ),
        )),
    }
}

/// The base URL a model's endpoint rules give for the config and the configured URL (if any).
fn by_rules(
    service: &ServiceMeta,
    rules: &RuleSet,
    config: &Config,
    url: Option<&str>,
) -> Result<String, ConstructionError> {
    let region = config.region().map(|r| r.as_str());
    if let Some(region) = region.filter(|r| !is_valid_region(r)) {
        return Err(invalid_region(region));
    }
    let inputs = Inputs {
        region,
        use_fips: config.use_fips(),
        use_dual_stack: config.use_dual_stack(),
        endpoint: url,
    };
    let resolved = rules.resolve(&inputs).map_err(|e| {
        ConstructionError::new(
            if region.is_none() {
                ConstructionErrorKind::MissingRegion
            } else {
                ConstructionErrorKind::InvalidEndpoint
            },
            format!(
                "no endpoint for service `{}` (region {}, FIPS {}, dual-stack {}{}): {e}",
                service.name,
                region.map_or_else(|| "not set".to_owned(), |r| format!("`{r}`")),
                if inputs.use_fips { "on" } else { "off" },
                if inputs.use_dual_stack { "on" } else { "off" },
                url.map_or_else(String::new, |u| format!(", endpoint URL `{u}`")),
            ),
        )
    })?;
    normalize_base(&resolved)
}

fn invalid_region(region: &str) -> ConstructionError {
    ConstructionError::new(
        ConstructionErrorKind::InvalidEndpoint,
        format!("invalid region {region:?}: expected a name such as `us-east-1`"),
    )
}

fn normalize_base(url: &str) -> Result<String, ConstructionError> {
    let invalid = |why: &str| {
        ConstructionError::new(
            ConstructionErrorKind::InvalidEndpoint,
            format!("invalid endpoint URL {url:?}: {why}"),
        )
    };
    let uri: http::Uri = url.parse().map_err(|_| invalid("not a URL"))?;
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        _ => return Err(invalid("the scheme must be http or https")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(invalid("no host"));
    }
    if uri.query().is_some() {
        return Err(invalid("a query string is not allowed"));
    }
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(invalid("user information is not allowed"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// Fills the `{label}`s of `template` from `labels`.
fn fill_template(
    template: &str,
    labels: &[(&'static str, String)],
    operation: &str,
) -> Result<String, ConstructionError> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(ConstructionError::new(
                ConstructionErrorKind::InvalidRequest,
                format!("path template {template:?} of `{operation}` has an unclosed `{{`"),
            ));
        };
        let name = &after[..close];
        let (name, greedy) = match name.strip_suffix('+') {
            Some(n) => (n, true),
            None => (name, false),
        };
        let Some((_, value)) = labels.iter().find(|(k, _)| *k == name) else {
            return Err(ConstructionError::new(
                ConstructionErrorKind::InvalidRequest,
                format!("no value for path label `{name}` of `{operation}`"),
            ));
        };
        if value.is_empty() {
            return Err(ConstructionError::new(
                ConstructionErrorKind::InvalidRequest,
                format!("path label `{name}` of `{operation}` is empty"),
            ));
        }
        let set = if greedy { GREEDY } else { COMPONENT };
        out.extend(utf8_percent_encode(value, set));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Puts a host prefix in front of the host of `base` (`https://h` -> `https://{prefix}h`).
/// A base whose host is an IP address (a local emulator or proxy) is left as it is: no name
/// can be put in front of an address.
fn prefix_host(base: &str, prefix: &str) -> String {
    let Some((scheme, rest)) = base.split_once("://") else {
        return base.to_owned();
    };
    let host_end = rest.find(['/', ':']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let is_ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
    if is_ip || rest.starts_with('[') {
        return base.to_owned();
    }
    format!("{scheme}://{prefix}{rest}")
}

/// The full URI of a request: `base` (the service's [`resolve_base_url`], with the host
/// prefix, if any) + path prefix + operation path + query.
pub(crate) fn resolve_uri(
    service: &ServiceMeta,
    op: &OperationMeta,
    config: &Config,
    base: &str,
    request: &HttpRequest,
    path_is_root: bool,
    host_prefix: Option<&str>,
) -> Result<http::Uri, ConstructionError> {
    let base = match host_prefix {
        Some(prefix) => prefix_host(base, prefix),
        None => base.to_owned(),
    };
    let mut path_and_query = if path_is_root {
        String::from("/")
    } else {
        let prefix_var = format!("{}_PATH_PREFIX", service.env_prefix);
        let prefix = config
            .path_prefix()
            .or_else(|| config.env.get(&prefix_var))
            .unwrap_or(service.path_prefix);
        let template = config.path_override(op.name).unwrap_or(op.path);
        let filled = fill_template(template, &request.labels, op.name)?;
        let prefix = prefix.trim_end_matches('/');
        let mut path = String::with_capacity(prefix.len() + filled.len() + 2);
        if !prefix.is_empty() {
            if !prefix.starts_with('/') {
                path.push('/');
            }
            path.push_str(prefix);
        }
        if !filled.starts_with('/') {
            path.push('/');
        }
        path.push_str(&filled);
        path
    };
    for (i, (k, v)) in request.query.iter().enumerate() {
        let sep = if i == 0 && !path_and_query.contains('?') {
            '?'
        } else {
            '&'
        };
        path_and_query.push(sep);
        path_and_query.extend(utf8_percent_encode(k, COMPONENT));
        path_and_query.push('=');
        path_and_query.extend(utf8_percent_encode(v, COMPONENT));
    }
    let full = format!("{base}{path_and_query}");
    full.parse().map_err(|e: http::uri::InvalidUri| {
        ConstructionError::new(
            ConstructionErrorKind::InvalidEndpoint,
            format!("the request URI {full:?} is not valid"),
        )
        .with_source(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        let labels = vec![("a", "x y/z".to_owned()), ("b", "1".to_owned())];
        assert_eq!(
            fill_template("/p/{a}/q/{b}", &labels, "op").unwrap(),
            "/p/x%20y%2Fz/q/1"
        );
        assert_eq!(
            fill_template("/p/{a+}", &labels, "op").unwrap(),
            "/p/x%20y/z"
        );
        assert!(fill_template("/p/{c}", &labels, "op").is_err());
        assert!(fill_template("/p/{a", &labels, "op").is_err());
        assert_eq!(
            sdk_id_env_suffix("PartnerCentral Selling"),
            "PARTNERCENTRAL_SELLING"
        );
        assert_eq!(sdk_id_env_suffix("ssm-mw"), "SSM_MW");
        assert_eq!(
            prefix_host("https://jobs.us-east-1.amazonaws.com", "123.x."),
            "https://123.x.jobs.us-east-1.amazonaws.com"
        );
        assert_eq!(
            prefix_host("http://localhost:8080/base", "a."),
            "http://a.localhost:8080/base"
        );
        assert_eq!(
            prefix_host("http://127.0.0.1:9", "a."),
            "http://127.0.0.1:9"
        );
        assert!(normalize_base("ftp://x").is_err());
        assert!(normalize_base("http://").is_err());
        assert_eq!(
            normalize_base("http://127.0.0.1:9/api/").unwrap(),
            "http://127.0.0.1:9/api"
        );
    }

    #[test]
    fn a_default_url_with_a_base_path() {
        use crate::meta::{ErrorRules, Protocol};
        static SVC: ServiceMeta = ServiceMeta {
            name: "api",
            sdk_id: "Api",
            protocol: Protocol::Json,
            auth: AuthScheme::PerOperation,
            endpoint: EndpointRule::DefaultUrl("https://api.example.com/api/v1/"),
            path_prefix: "",
            throttling_codes: &[],
            env_prefix: "CLOUDJOBS_API",
            errors: ErrorRules::AWS_JSON,
        };
        let op = OperationMeta {
            name: "get",
            method: http::Method::GET,
            path: "/things/{id}",
            idempotent: true,
            unsigned: false,
            host_prefix: None,
            success_status: None,
            security: &[],
            upgrade: false,
            accept: None,
        };
        let request = HttpRequest {
            labels: vec![("id", "a b".to_owned())],
            query: vec![("q".to_owned(), "1".to_owned())],
            ..HttpRequest::default()
        };
        let uri = |config: &Config| {
            let base = resolve_base_url(&SVC, config).unwrap();
            resolve_uri(&SVC, &op, config, &base, &request, false, None)
                .unwrap()
                .to_string()
        };
        assert_eq!(
            uri(&Config::default()),
            "https://api.example.com/api/v1/things/a%20b?q=1"
        );
        // A configured URL replaces the default, and its own base path is kept.
        let config = Config::builder()
            .endpoint_url("http://127.0.0.1:8080/proxy/")
            .build();
        assert_eq!(uri(&config), "http://127.0.0.1:8080/proxy/things/a%20b?q=1");
        let config = Config::builder()
            .env_var("CLOUDJOBS_API_ENDPOINT_URL", "http://10.0.0.1")
            .build();
        assert_eq!(uri(&config), "http://10.0.0.1/things/a%20b?q=1");
    }
}
