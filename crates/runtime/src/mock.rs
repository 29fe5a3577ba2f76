//! Typed mocks: answer operations from rules, with no HTTP at all (feature `test-util`).
//!
//! A [`Rule`] belongs to one operation. It matches inputs (every input by default) and
//! answers with an output, a modeled error, or a raw [`HttpResponse`] that the operation
//! decodes as it would a real one (so the error dispatch by code is exercised too). A rule
//! built with [`RuleBuilder::then_output`] (or `then_error`, `then_http_response`) answers
//! every matching call; one built with [`RuleBuilder::sequence`] answers its steps in order,
//! each as many times as its [`times`](SequenceBuilder::times) says, and is then used up
//! (the next rule gets its chance). Every rule counts the calls it answered
//! ([`Rule::num_calls`]).
//!
//! Rules go into a [`Mocks`] set on the config with
//! [`ConfigBuilder::mocks`](crate::ConfigBuilder::mocks). [`Handle::invoke`](crate::Handle::invoke)
//! then checks the input as usual and, instead of sending, asks the rules of the operation in
//! the order they were added: the first that matches answers. When none does, the call fails
//! with a [`ConstructionError`] naming the operation and showing the
//! input. Paginators call `invoke` for each page, so they walk mocked pages.
//!
//! Generated crates (feature `test-util`) have a `mock` module with one rule constructor per
//! operation and a `client` function; the example below uses the runtime directly.
//!
//! ```
//! use cloudjobs_runtime::mock::{Mocks, RuleBuilder};
//! # use cloudjobs_runtime::*;
//! # use cloudjobs_runtime::error::Unhandled;
//! # #[derive(Debug, Clone, Default)] struct Input { name: String }
//! # struct Greet;
//! # impl Operation for Greet {
//! #     type Input = Input; type Output = String; type Error = Unhandled;
//! #     const SERVICE: &'static ServiceMeta = &ServiceMeta { name: "greeter", sdk_id: "Greeter",
//! #         protocol: Protocol::RestJson1, auth: AuthScheme::Bearer, endpoint: EndpointRule::BaseUrl,
//! #         path_prefix: "", throttling_codes: &[], env_prefix: "GREETER", errors: ErrorRules::AWS_JSON };
//! #     const META: OperationMeta = OperationMeta { name: "Greet", method: http::Method::GET,
//! #         path: "/", idempotent: true, unsigned: false, host_prefix: None, success_status: None,
//! #         security: &[], upgrade: false, accept: None };
//! #     fn validate(_: &Input, _: Validation) -> Result<(), InvalidInput> { Ok(()) }
//! #     fn serialize(_: &Input) -> Result<HttpRequest, serde_json::Error> { Ok(HttpRequest::default()) }
//! #     fn deserialize_output(r: &HttpResponse) -> Result<String, serde_json::Error> { serde_json::from_slice(&r.body) }
//! #     fn deserialize_error(meta: ErrorMetadata, r: &HttpResponse) -> Unhandled { Unhandled::new(meta, &r.body) }
//! # }
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let bob = RuleBuilder::<Greet>::new()
//!     .match_requests(|input| input.name == "bob")
//!     .then_output(|| "hello bob".to_string());
//! let anyone = RuleBuilder::<Greet>::new()
//!     .sequence()
//!     .output(|| "first".to_string())
//!     .times(2)
//!     .http_response(|| HttpResponse { status: 200, headers: Default::default(), body: "\"last\"".into() })
//!     .build();
//! let config = Config::builder().mocks(Mocks::new().with(&bob).with(&anyone)).build();
//! let handle = Handle::new(Greet::SERVICE, config);
//! let call = |name: &str| handle.invoke::<Greet>(Input { name: name.into() });
//! assert_eq!(call("bob").await.unwrap(), "hello bob");
//! assert_eq!(call("ann").await.unwrap(), "first");
//! assert_eq!(call("ann").await.unwrap(), "first");
//! assert_eq!(call("ann").await.unwrap(), "last");
//! assert!(call("ann").await.unwrap_err().to_string().contains("no mock rule of `Greet`"));
//! assert_eq!((bob.num_calls(), anyone.num_calls()), (1, 3));
//! # });
//! ```

use std::any::{Any, TypeId};
use std::fmt;
use std::sync::{Arc, Mutex};

use crate::client::is_error_in_disguise;
use crate::config::Config;
use crate::error::{ConstructionError, ConstructionErrorKind, Error, ErrorMetadata};
use crate::operation::Operation;
use crate::wire::{HttpResponse, ResponseMetadata, WithMetadata};

type Make<T> = Box<dyn Fn() -> T + Send + Sync>;
type Matcher<I> = Box<dyn Fn(&I) -> bool + Send + Sync>;

/// One answer of a rule.
enum Answer<O: Operation> {
    Output(Make<O::Output>),
    Error(Make<O::Error>),
    Http(Make<HttpResponse>),
}

impl<O: Operation> fmt::Debug for Answer<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Answer::Output(_) => "output",
            Answer::Error(_) => "error",
            Answer::Http(_) => "http response",
        })
    }
}

/// A step of a rule: an answer given `times` times (`None`: forever).
struct Step<O: Operation> {
    answer: Answer<O>,
    times: Option<usize>,
}

impl<O: Operation> fmt::Debug for Step<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.times {
            Some(n) => write!(f, "{:?} x{n}", self.answer),
            None => write!(f, "{:?} always", self.answer),
        }
    }
}

struct RuleInner<O: Operation> {
    matcher: Matcher<O::Input>,
    steps: Vec<Step<O>>,
    calls: Mutex<usize>,
}

impl<O: Operation> RuleInner<O> {
    /// The step that answers call number `n` (from 0), if the rule is not used up.
    fn step(&self, n: usize) -> Option<&Step<O>> {
        let mut before = 0usize;
        for step in &self.steps {
            match step.times {
                None => return Some(step),
                Some(t) if n < before.saturating_add(t) => return Some(step),
                Some(t) => before = before.saturating_add(t),
            }
        }
        None
    }

    fn calls(&self) -> usize {
        *self.calls.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A typed mock rule of operation `O`: which inputs it matches and what it answers. Built with
/// [`RuleBuilder`]; cheap to clone (clones share the call count).
pub struct Rule<O: Operation> {
    inner: Arc<RuleInner<O>>,
}

impl<O: Operation> Clone for Rule<O> {
    fn clone(&self) -> Self {
        Rule {
            inner: self.inner.clone(),
        }
    }
}

impl<O: Operation> fmt::Debug for Rule<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("operation", &O::META.name)
            .field("steps", &self.inner.steps)
            .field("calls", &self.inner.calls())
            .finish()
    }
}

impl<O: Operation> Rule<O> {
    /// How many calls this rule answered so far.
    pub fn num_calls(&self) -> usize {
        self.inner.calls()
    }

    /// Whether a sequence rule gave all its answers (a rule with a repeating answer never is).
    pub fn is_exhausted(&self) -> bool {
        self.inner.step(self.inner.calls()).is_none()
    }
}

/// A rule of any operation, as [`Mocks`] holds it.
pub trait AnyRule: fmt::Debug + Send + Sync {
    /// The operation's name.
    fn operation_name(&self) -> &'static str;
    #[doc(hidden)]
    fn operation_type(&self) -> TypeId;
    #[doc(hidden)]
    fn shared(&self) -> Arc<dyn Any + Send + Sync>;
}

impl<O: Operation> AnyRule for Rule<O> {
    fn operation_name(&self) -> &'static str {
        O::META.name
    }

    fn operation_type(&self) -> TypeId {
        TypeId::of::<O>()
    }

    fn shared(&self) -> Arc<dyn Any + Send + Sync> {
        self.inner.clone()
    }
}

/// Builds a [`Rule`] of operation `O`.
pub struct RuleBuilder<O: Operation> {
    matcher: Matcher<O::Input>,
}

impl<O: Operation> Default for RuleBuilder<O> {
    fn default() -> Self {
        RuleBuilder {
            matcher: Box::new(|_| true),
        }
    }
}

impl<O: Operation> fmt::Debug for RuleBuilder<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleBuilder")
            .field("operation", &O::META.name)
            .finish_non_exhaustive()
    }
}

impl<O: Operation> RuleBuilder<O> {
    /// A rule builder that matches every input of `O`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Matches only the inputs for which `matcher` is true.
    pub fn match_requests(
        mut self,
        matcher: impl Fn(&O::Input) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.matcher = Box::new(matcher);
        self
    }

    fn build(self, steps: Vec<Step<O>>) -> Rule<O> {
        Rule {
            inner: Arc::new(RuleInner {
                matcher: self.matcher,
                steps,
                calls: Mutex::new(0),
            }),
        }
    }

    fn forever(self, answer: Answer<O>) -> Rule<O> {
        self.build(vec![Step {
            answer,
            times: None,
        }])
    }

    /// Answers every matching call with the output `make` returns.
    pub fn then_output(self, make: impl Fn() -> O::Output + Send + Sync + 'static) -> Rule<O> {
        self.forever(Answer::Output(Box::new(make)))
    }

    /// Answers every matching call with the modeled error `make` returns (an
    /// [`Error::Service`] after one attempt).
    pub fn then_error(self, make: impl Fn() -> O::Error + Send + Sync + 'static) -> Rule<O> {
        self.forever(Answer::Error(Box::new(make)))
    }

    /// Answers every matching call with the response `make` returns, decoded by the operation
    /// as a response of the server would be (status, error code, body).
    pub fn then_http_response(
        self,
        make: impl Fn() -> HttpResponse + Send + Sync + 'static,
    ) -> Rule<O> {
        self.forever(Answer::Http(Box::new(make)))
    }

    /// Starts a sequence of answers.
    pub fn sequence(self) -> SequenceBuilder<O> {
        SequenceBuilder {
            rule: self,
            steps: Vec::new(),
        }
    }
}

/// Builds a rule that gives answers in order. Each answer is given once unless
/// [`times`](Self::times) or [`repeatedly`](Self::repeatedly) follows it.
pub struct SequenceBuilder<O: Operation> {
    rule: RuleBuilder<O>,
    steps: Vec<Step<O>>,
}

impl<O: Operation> fmt::Debug for SequenceBuilder<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SequenceBuilder")
            .field("operation", &O::META.name)
            .field("steps", &self.steps)
            .finish()
    }
}

impl<O: Operation> SequenceBuilder<O> {
    fn push(mut self, answer: Answer<O>) -> Self {
        self.steps.push(Step {
            answer,
            times: Some(1),
        });
        self
    }

    /// Then an output.
    pub fn output(self, make: impl Fn() -> O::Output + Send + Sync + 'static) -> Self {
        self.push(Answer::Output(Box::new(make)))
    }

    /// Then a modeled error.
    pub fn error(self, make: impl Fn() -> O::Error + Send + Sync + 'static) -> Self {
        self.push(Answer::Error(Box::new(make)))
    }

    /// Then a raw HTTP response, decoded by the operation.
    pub fn http_response(self, make: impl Fn() -> HttpResponse + Send + Sync + 'static) -> Self {
        self.push(Answer::Http(Box::new(make)))
    }

    /// Gives the last answer `n` times in all (`0` drops it). Without an answer yet, does
    /// nothing.
    pub fn times(mut self, n: usize) -> Self {
        if let Some(last) = self.steps.last_mut() {
            last.times = Some(n);
        }
        self
    }

    /// Gives the last answer to every later call: the rule is never used up.
    pub fn repeatedly(mut self) -> Self {
        if let Some(last) = self.steps.last_mut() {
            last.times = None;
        }
        self
    }

    /// The rule.
    pub fn build(self) -> Rule<O> {
        self.rule.build(self.steps)
    }
}

#[derive(Clone)]
struct Entry {
    operation: TypeId,
    name: &'static str,
    rule: Arc<dyn Any + Send + Sync>,
}

/// The mock rules of a client, asked in the order they were added. Cheap to clone.
#[derive(Clone, Default)]
pub struct Mocks {
    entries: Arc<Vec<Entry>>,
}

impl fmt::Debug for Mocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.entries.iter().map(|e| e.name))
            .finish()
    }
}

impl Mocks {
    /// No rules yet (every call fails until rules are added).
    pub fn new() -> Self {
        Self::default()
    }

    /// These rules, in order.
    pub fn from_rules(rules: &[&dyn AnyRule]) -> Self {
        rules.iter().fold(Mocks::new(), |m, r| m.with(*r))
    }

    /// Adds `rule` after the others. The rule keeps counting its calls in every copy.
    pub fn with(mut self, rule: &dyn AnyRule) -> Self {
        Arc::make_mut(&mut self.entries).push(Entry {
            operation: rule.operation_type(),
            name: rule.operation_name(),
            rule: rule.shared(),
        });
        self
    }
}

/// Answers `input` of `O` from the rules: the input is checked first, as for a real call.
pub(crate) fn answer<O: Operation>(
    mocks: &Mocks,
    config: &Config,
    input: O::Input,
) -> Result<WithMetadata<O::Output>, Error<O::Error>> {
    if let Err(e) = O::validate(&input, config.validation()) {
        return Err(Error::InvalidInput(e));
    }
    let rules = mocks
        .entries
        .iter()
        .filter(|e| e.operation == TypeId::of::<O>())
        .filter_map(|e| e.rule.downcast_ref::<RuleInner<O>>());
    for rule in rules {
        if !(rule.matcher)(&input) {
            continue;
        }
        let mut calls = rule.calls.lock().unwrap_or_else(|e| e.into_inner());
        let Some(step) = rule.step(*calls) else {
            continue;
        };
        *calls += 1;
        drop(calls);
        return match &step.answer {
            Answer::Output(make) => Ok(WithMetadata::new(
                make(),
                ResponseMetadata::new(200, None, http::HeaderMap::new()),
            )),
            Answer::Error(make) => Err(Error::Service {
                err: make(),
                attempts: 1,
            }),
            Answer::Http(make) => decode::<O>(make()),
        };
    }
    Err(Error::Construction(ConstructionError::new(
        ConstructionErrorKind::InvalidRequest,
        format!(
            "no mock rule of `{}` matches (or has answers left for) the input {input:?}",
            O::META.name
        ),
    )))
}

/// Decodes a mocked response as `invoke` decodes a received one.
fn decode<O: Operation>(
    response: HttpResponse,
) -> Result<WithMetadata<O::Output>, Error<O::Error>> {
    let rid = crate::client::request_id(&response.headers);
    if O::is_success(response.status) && !is_error_in_disguise(O::SERVICE, &response) {
        return match O::deserialize_output(&response) {
            Ok(output) => Ok(WithMetadata::new(
                output,
                ResponseMetadata::new(response.status, rid, response.headers),
            )),
            Err(e) => Err(Error::Response(crate::ResponseError::new(
                response.status,
                rid,
                &response.body,
                1,
                Some(Box::new(e)),
            ))),
        };
    }
    let meta = ErrorMetadata::from_response(&O::SERVICE.errors, &response);
    Err(Error::Service {
        err: O::deserialize_error(meta, &response),
        attempts: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Op;

    impl Operation for Op {
        type Input = u32;
        type Output = u32;
        type Error = crate::error::Unhandled;
        const SERVICE: &'static crate::ServiceMeta = &crate::ServiceMeta {
            name: "test",
            sdk_id: "Test",
            protocol: crate::Protocol::RestJson1,
            auth: crate::AuthScheme::Bearer,
            endpoint: crate::EndpointRule::BaseUrl,
            path_prefix: "",
            throttling_codes: &[],
            env_prefix: "TEST",
            errors: crate::ErrorRules::AWS_JSON,
        };
        const META: crate::OperationMeta = crate::OperationMeta {
            name: "Op",
            method: http::Method::GET,
            path: "/",
            idempotent: true,
            unsigned: false,
            host_prefix: None,
            success_status: None,
            security: &[],
            upgrade: false,
            accept: None,
        };
        fn validate(input: &u32, _: crate::Validation) -> Result<(), crate::error::InvalidInput> {
            if *input == 0 {
                Err(crate::error::InvalidInput::new(
                    "n",
                    crate::error::Rule::Required,
                    None,
                ))
            } else {
                Ok(())
            }
        }
        fn serialize(_: &u32) -> Result<crate::HttpRequest, serde_json::Error> {
            Ok(crate::HttpRequest::default())
        }
        fn deserialize_output(r: &HttpResponse) -> Result<u32, serde_json::Error> {
            serde_json::from_slice(&r.body)
        }
        fn deserialize_error(meta: ErrorMetadata, r: &HttpResponse) -> Self::Error {
            crate::error::Unhandled::new(meta, &r.body)
        }
    }

    fn ask(mocks: &Mocks, n: u32) -> Result<u32, Error<crate::error::Unhandled>> {
        answer::<Op>(mocks, &Config::default(), n).map(WithMetadata::into_inner)
    }

    #[test]
    fn first_matching_rule_answers_and_counts() {
        let odd = RuleBuilder::<Op>::new()
            .match_requests(|n| n % 2 == 1)
            .then_output(|| 1);
        let any = RuleBuilder::<Op>::new().then_output(|| 2);
        let mocks = Mocks::from_rules(&[&odd, &any]);
        assert_eq!(ask(&mocks, 3).unwrap(), 1);
        assert_eq!(ask(&mocks, 4).unwrap(), 2);
        assert_eq!(ask(&mocks, 5).unwrap(), 1);
        assert_eq!((odd.num_calls(), any.num_calls()), (2, 1));
        assert!(!odd.is_exhausted());
    }

    #[test]
    fn sequences_run_out_then_the_next_rule_answers() {
        let seq = RuleBuilder::<Op>::new()
            .sequence()
            .output(|| 10)
            .times(2)
            .http_response(|| HttpResponse {
                status: 503,
                headers: http::HeaderMap::new(),
                body: r#"{"__type":"Busy","message":"later"}"#.into(),
            })
            .build();
        let fallback = RuleBuilder::<Op>::new().then_output(|| 99);
        let mocks = Mocks::new().with(&seq).with(&fallback);
        assert_eq!(ask(&mocks, 1).unwrap(), 10);
        assert_eq!(ask(&mocks, 1).unwrap(), 10);
        match ask(&mocks, 1) {
            Err(Error::Service { err, attempts: 1 }) => {
                assert_eq!(err.meta.code.as_deref(), Some("Busy"));
                assert_eq!(err.meta.status, 503);
            }
            other => panic!("expected the decoded 503, got {other:?}"),
        }
        assert!(seq.is_exhausted());
        assert_eq!(ask(&mocks, 1).unwrap(), 99);
        assert_eq!((seq.num_calls(), fallback.num_calls()), (3, 1));
    }

    #[test]
    fn no_rule_and_invalid_input_are_errors() {
        let mocks = Mocks::new();
        let e = ask(&mocks, 7).unwrap_err();
        assert!(matches!(e, Error::Construction(_)), "{e:?}");
        assert!(e.to_string().contains("no mock rule of `Op`"), "{e}");
        assert!(e.to_string().contains('7'), "{e}");
        let rule = RuleBuilder::<Op>::new().then_output(|| 1);
        let e = ask(&Mocks::new().with(&rule), 0).unwrap_err();
        assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
        assert_eq!(rule.num_calls(), 0);
    }
}
