//! Client-side validation: the `validate` method of every structure or union an input
//! reaches (required members, lengths, ranges, patterns), and the rules shown in docs.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{Ctx, ident};
use crate::ir::*;

pub(super) fn collect_rules(ty: &Type, rules: &mut Vec<String>) {
    let c = &ty.constraints;
    if let Some((min, max)) = c.length {
        let what = match ty.kind {
            Kind::List(_) => "items",
            Kind::Map(_) => "entries",
            Kind::Blob => "bytes",
            _ => "characters",
        };
        rules.push(match (min, max) {
            (Some(a), Some(b)) if a == b => format!("exactly {a} {what}"),
            (Some(a), Some(b)) => format!("{a} to {b} {what}"),
            (Some(a), None) => format!("at least {a} {what}"),
            (None, Some(b)) => format!("at most {b} {what}"),
            (None, None) => String::new(),
        });
    }
    if let Some((min, max)) = c.range {
        let f = |v: f64| {
            if v.fract() == 0.0 {
                format!("{}", v as i64)
            } else {
                v.to_string()
            }
        };
        rules.push(match (min, max) {
            (Some(a), Some(b)) => format!("from {} to {}", f(a), f(b)),
            (Some(a), None) => format!("at least {}", f(a)),
            (None, Some(b)) => format!("at most {}", f(b)),
            (None, None) => String::new(),
        });
    }
    if let Some(p) = &c.pattern {
        rules.push(format!("matches `{p}`"));
    }
    if let Kind::List(inner) | Kind::Map(inner) = &ty.kind {
        let mut inner_rules = Vec::new();
        collect_rules(inner, &mut inner_rules);
        if !inner_rules.is_empty() {
            rules.push(format!("each item: {}", inner_rules.join(", ")));
        }
    }
    rules.retain(|r| !r.is_empty());
}

/// The checks of one value, and which bindings of `validate` they use.
#[derive(Default)]
struct Checks {
    tokens: TokenStream,
    /// Reads `full` (constraint checks, which run in full mode only).
    uses_full: bool,
    /// Reads `mode` (passes it on to a nested structure's `validate`).
    uses_mode: bool,
}

/// Checks for one value of type `ty` bound to `value` (a reference), at field path `p`.
fn checks(cx: &Ctx, ty: &Type, value: &TokenStream, depth: usize) -> Checks {
    let c = &ty.constraints;
    // Constraint checks run only in full mode; nested required members always.
    let mut full_only = Vec::new();
    let mut always = Vec::new();
    let mut uses_mode = false;
    let mut nested_full = false;
    // Checks of the items of a list or map, bound to `item<depth>` (sparse: `None` items
    // are skipped).
    let mut each = |inner: &Type| {
        let item = format_ident!("item{}", depth);
        let inner_checks = checks(cx, inner, &quote!(#item), depth + 1);
        uses_mode |= inner_checks.uses_mode;
        nested_full |= inner_checks.uses_full;
        let tokens = inner_checks.tokens;
        let tokens = if ty.sparse && !tokens.is_empty() {
            quote!(if let Some(#item) = #item { #tokens })
        } else {
            tokens
        };
        (item, tokens)
    };
    let range = |value_f64: TokenStream, full_only: &mut Vec<TokenStream>| {
        if let Some((min, max)) = c.range {
            let (min, max) = (opt_f64(min), opt_f64(max));
            full_only.push(quote!(v::range(&p, #value_f64, #min, #max)?;));
        }
    };
    let length = |len: TokenStream, check: TokenStream, full_only: &mut Vec<TokenStream>| {
        if let Some((min, max)) = c.length {
            let (min, max) = (opt_u64(min), opt_u64(max));
            full_only.push(quote!(v::#check(&p, #len, #min, #max)?;));
        }
    };
    match &ty.kind {
        Kind::String => {
            length(quote!(#value), quote!(length_str), &mut full_only);
            if let Some(p) = &c.pattern {
                full_only.push(quote!(v::pattern(&p, #value, #p)?;));
            }
        }
        Kind::Byte
        | Kind::Short
        | Kind::Integer
        | Kind::Long
        | Kind::UnsignedByte
        | Kind::UnsignedShort
        | Kind::UnsignedInteger
        | Kind::UnsignedLong
        | Kind::Float
        | Kind::Double => {
            range(quote!(*#value as f64), &mut full_only);
        }
        Kind::BigInteger | Kind::BigDecimal => range(quote!(#value.to_f64()), &mut full_only),
        Kind::Blob => length(quote!(#value.len()), quote!(length_bytes), &mut full_only),
        Kind::List(inner) => {
            length(quote!(#value.len()), quote!(length_list), &mut full_only);
            let (item, inner) = each(inner);
            if !inner.is_empty() {
                always.push(quote! {
                    for (i, #item) in #value.iter().enumerate() {
                        let p = format!("{p}[{i}]");
                        #inner
                    }
                });
            }
        }
        Kind::Map(inner) => {
            length(quote!(#value.len()), quote!(length_list), &mut full_only);
            let (item, inner) = each(inner);
            if !inner.is_empty() {
                always.push(quote! {
                    for (k, #item) in #value.iter() {
                        let p = format!("{p}.{k}");
                        #inner
                    }
                });
            }
        }
        Kind::Struct(n) | Kind::Union(n) if cx.validated.contains(n) => {
            always.push(quote!(#value.validate(&p, mode)?;));
            uses_mode = true;
        }
        Kind::Enum(n) => {
            let n = ident(n);
            full_only
                .push(quote!(v::enum_value(&p, #value.as_str(), crate::types::#n::values())?;));
        }
        Kind::IntEnum(n) => {
            if let Some(Shape::IntEnum(e)) = cx.svc.shapes.get(n) {
                // Compared as text, the form `InvalidInput` reports known values in.
                let known: Vec<String> = e.values.iter().map(|v| v.value.to_string()).collect();
                full_only.push(quote! {
                    v::enum_value(&p, &#value.value().to_string(), &[#(#known),*])?;
                });
            }
        }
        _ => {}
    }
    let uses_full = nested_full || !full_only.is_empty();
    let full_only = if full_only.is_empty() {
        quote!()
    } else {
        quote!(if full { #(#full_only)* })
    };
    Checks {
        tokens: quote!(#full_only #(#always)*),
        uses_full,
        uses_mode,
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

pub(super) fn validate_fn(cx: &Ctx, s: &Structure) -> TokenStream {
    let name = ident(&s.rust_name);
    let mut body = Vec::new();
    let (mut uses_full, mut uses_mode) = (false, false);
    for m in &s.members {
        let f = ident(&m.rust_name);
        let wire = &m.name;
        // An idempotency token the caller leaves unset is filled in when the request is
        // built, so it is never missing on the wire (botocore does the same). A nullable
        // member left unset is sent as `null`, a valid value.
        if m.required && !m.idempotency_token && !m.nullable {
            body.push(quote! {
                if self.#f.is_none() {
                    v::required(&crate::types::field_path(path, #wire), &self.#f)?;
                }
            });
        }
        let c = checks(cx, &m.ty, &quote!(value), 0);
        uses_full |= c.uses_full;
        uses_mode |= c.uses_mode;
        if !c.tokens.is_empty() {
            let c = c.tokens;
            let bind = if m.boxed {
                quote!(self.#f.as_deref())
            } else {
                quote!(&self.#f)
            };
            body.push(quote! {
                if let Some(value) = #bind {
                    let p = crate::types::field_path(path, #wire);
                    #c
                }
            });
        }
    }
    if let Some(t) = &s.additional {
        // Each additional member is checked like a member named by its key.
        let f = ident(&crate::check::additional_field(s));
        let c = checks(cx, t, &quote!(value), 0);
        uses_full |= c.uses_full;
        uses_mode |= c.uses_mode;
        if !c.tokens.is_empty() {
            let c = c.tokens;
            body.push(quote! {
                for (key, value) in &self.#f {
                    let p = crate::types::field_path(path, key);
                    #c
                }
            });
        }
    }
    validate_method(
        &name,
        quote!(#(#body)*),
        body.is_empty(),
        uses_full,
        uses_mode,
    )
}

/// The `validate` method of a structure or union, around the checks in `body`.
fn validate_method(
    name: &Ident,
    body: TokenStream,
    empty: bool,
    uses_full: bool,
    uses_mode: bool,
) -> TokenStream {
    let full = if uses_full {
        quote!(let full = mode == cloudjobs_runtime::Validation::Full;)
    } else {
        quote!()
    };
    let mode_name = if uses_mode || uses_full {
        quote!(mode)
    } else {
        quote!(_mode)
    };
    let path_name = if empty { quote!(_path) } else { quote!(path) };
    quote! {
        impl #name {
            /// Checks the spec's constraints; `path` is the field path of this value.
            pub(crate) fn validate(
                &self,
                #path_name: &str,
                #mode_name: cloudjobs_runtime::Validation,
            ) -> Result<(), cloudjobs_runtime::InvalidInput> {
                #[allow(unused_imports)]
                use cloudjobs_runtime::validate as v;
                #full
                #body
                Ok(())
            }
        }
    }
}

/// The `validate` method of a union: the checks of the member that is set.
pub(super) fn union_validate(cx: &Ctx, u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let (mut uses_full, mut uses_mode) = (false, false);
    let mut arms = Vec::new();
    for m in &u.members {
        let c = checks(cx, &m.ty, &quote!(value), 0);
        if c.tokens.is_empty() {
            continue;
        }
        uses_full |= c.uses_full;
        uses_mode |= c.uses_mode;
        let v = ident(&m.rust_name);
        let wire = &m.name;
        let tokens = c.tokens;
        let unbox = if m.boxed {
            quote!(let value = &**value;)
        } else {
            quote!()
        };
        arms.push((
            quote!(Self::#v(value)),
            quote! {
                #unbox
                let p = crate::types::field_path(path, #wire);
                #tokens
            },
        ));
    }
    let empty = arms.is_empty();
    // Every variant has an arm (an untagged union with checks on each member): no `_` arm.
    let exhaustive = u.tagging == Tagging::Untagged && arms.len() == u.members.len();
    let body = match arms.as_slice() {
        [] => quote!(),
        [(pattern, checks)] if !exhaustive => quote! {
            if let #pattern = self {
                #checks
            }
        },
        _ => {
            let arms = arms
                .iter()
                .map(|(pattern, checks)| quote!(#pattern => { #checks }));
            let rest = if exhaustive {
                quote!()
            } else {
                quote!(_ => {})
            };
            quote! {
                match self {
                    #(#arms)*
                    #rest
                }
            }
        }
    };
    validate_method(&name, body, empty, uses_full, uses_mode)
}
