//! Paginators: `impl Paginated` for paginated operations, and the member paths (token,
//! page size, items) it reads and writes.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident, rust_type};
use crate::ir::*;

/// `impl Paginated` for a paginated operation. Without an items path, `items()` yields each
/// page whole (`Item` is the output): documented on `into_paginator`.
pub(super) fn paginated_impl(
    cx: &Ctx,
    op: &Operation,
    p: &Pagination,
) -> Result<TokenStream, String> {
    let svc = cx.svc;
    let ty = ident(&op.type_name);
    let bad = |what: &str| format!("operation `{}`: pagination {what}", op.name);
    let out_struct = output_structure(svc, op).ok_or_else(|| bad("output is not a structure"))?;
    let (item_ty, into_items, page_len) = match &p.items {
        Some(path) => {
            let (take, items_ty) = member_take(svc, out_struct, path, quote!(output))
                .ok_or_else(|| bad(&format!("items path {path:?} is not a member path")))?;
            let (item, collect) = match &items_ty.kind {
                Kind::List(t) => {
                    let t = rust_type(t);
                    let t = if items_ty.sparse {
                        quote!(Option<#t>)
                    } else {
                        t
                    };
                    (t, quote!(#take.unwrap_or_default()))
                }
                Kind::Map(t) => {
                    let t = rust_type(t);
                    let t = if items_ty.sparse {
                        quote!(Option<#t>)
                    } else {
                        t
                    };
                    (
                        quote!((String, #t)),
                        quote!(#take.map(|map| map.into_iter().collect()).unwrap_or_default()),
                    )
                }
                _ => {
                    return Err(bad(&format!(
                        "items `{}` is not a list or map",
                        path.join(".")
                    )));
                }
            };
            let (len_access, _) = member_access(svc, out_struct, path, quote!(output), false)
                .ok_or_else(|| bad("items path"))?;
            let page_len = quote! {
                fn page_len(output: &Self::Output) -> Option<usize> {
                    let read = |output: &Self::Output| -> Option<usize> { Some(#len_access.as_ref()?.len()) };
                    Some(read(output).unwrap_or(0))
                }
            };
            (item, collect, page_len)
        }
        None => (quote!(Self::Output), quote!(vec![output]), quote!()),
    };
    let set_page_size = match &p.page_size {
        Some(path) => {
            let (access, ty) = member_access(svc, &op.input, path, quote!(input), true)
                .ok_or_else(|| bad("page size path"))?;
            let conv = int_from_u32(&ty, quote!(size));
            quote!(#access = Some(#conv);)
        }
        None => quote!(let _ = (input, size);),
    };
    let (style, token_fns, offset_fns) = match &p.style {
        PageStyle::Token { input, output } => {
            let (in_access, _) = member_access(
                svc,
                &op.input,
                std::slice::from_ref(input),
                quote!(input),
                true,
            )
            .ok_or_else(|| bad("input token"))?;
            let (out_access, _) = member_access(svc, out_struct, output, quote!(output), false)
                .ok_or_else(|| bad("output token path"))?;
            (
                quote!(cloudjobs_runtime::PageStyle::Token),
                quote! {
                    fn set_token(input: &mut Self::Input, token: Option<String>) {
                        #in_access = token;
                    }
                    fn next_token(output: &Self::Output) -> Option<&str> {
                        #out_access.as_deref()
                    }
                },
                quote! {
                    fn set_offset(_input: &mut Self::Input, _start: u32, _limit: u32) {}
                    fn total_count(_output: &Self::Output) -> Option<u64> {
                        None
                    }
                    fn offset(_input: &Self::Input) -> (Option<u32>, Option<u32>) {
                        (None, None)
                    }
                },
            )
        }
        PageStyle::Offset {
            start,
            limit,
            total,
        } => {
            let access = |path: &[String], create: bool| {
                member_access(svc, &op.input, path, quote!(input), create)
                    .ok_or_else(|| bad(&format!("offset path {path:?}")))
            };
            let (start_set, start_ty) = access(start, true)?;
            let (limit_set, limit_ty) = access(limit, true)?;
            let start_conv = int_from_u32(&start_ty, quote!(start));
            let limit_conv = int_from_u32(&limit_ty, quote!(limit));
            let (start_get, _) = access(start, false)?;
            let (limit_get, _) = access(limit, false)?;
            let (total_get, _) = member_access(
                svc,
                out_struct,
                std::slice::from_ref(total),
                quote!(output),
                false,
            )
            .ok_or_else(|| bad("total count"))?;
            (
                quote!(cloudjobs_runtime::PageStyle::Offset),
                quote! {
                    fn set_token(_input: &mut Self::Input, _token: Option<String>) {}
                    fn next_token(_output: &Self::Output) -> Option<&str> {
                        None
                    }
                },
                quote! {
                    fn set_offset(input: &mut Self::Input, start: u32, limit: u32) {
                        #start_set = Some(#start_conv);
                        #limit_set = Some(#limit_conv);
                    }
                    fn total_count(output: &Self::Output) -> Option<u64> {
                        #total_get.and_then(|n| u64::try_from(n).ok())
                    }
                    #page_len
                    fn offset(input: &Self::Input) -> (Option<u32>, Option<u32>) {
                        let read = |input: &Self::Input| -> Option<(Option<u32>, Option<u32>)> {
                            let start = #start_get.and_then(|v| u32::try_from(v).ok());
                            let limit = #limit_get.and_then(|v| u32::try_from(v).ok());
                            Some((start, limit))
                        };
                        read(input).unwrap_or((None, None))
                    }
                },
            )
        }
    };
    Ok(quote! {
        impl cloudjobs_runtime::Paginated for #ty {
            type Item = #item_ty;
            const STYLE: cloudjobs_runtime::PageStyle = #style;

            #token_fns
            #offset_fns

            fn set_page_size(input: &mut Self::Input, size: u32) {
                #set_page_size
            }

            fn into_items(output: Self::Output) -> Vec<Self::Item> {
                #into_items
            }
        }
    })
}

/// The output structure of a paginated operation.
fn output_structure<'a>(svc: &'a Service, op: &'a Operation) -> Option<&'a Structure> {
    match &op.output {
        Output::Owned(s) => Some(s),
        Output::Type(Type {
            kind: Kind::Struct(n),
            ..
        }) => match svc.shapes.get(n) {
            Some(Shape::Structure(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// Expression reaching a nested member by a path of member names, creating parents as
/// needed (`create`) or `?`-returning `None` on an unset parent. `None` when the path does not
/// lead through structures (the check pass rules that out).
fn member_access(
    svc: &Service,
    root: &Structure,
    path: &[String],
    base: TokenStream,
    create: bool,
) -> Option<(TokenStream, Type)> {
    let mut current = root;
    let mut expr = base;
    for (i, seg) in path.iter().enumerate() {
        let m = current.members.iter().find(|m| &m.member_name == seg)?;
        let f = ident(&m.rust_name);
        if i + 1 == path.len() {
            return Some((quote!(#expr.#f), m.ty.clone()));
        }
        expr = if create {
            quote!(#expr.#f.get_or_insert_with(Default::default))
        } else {
            quote!(#expr.#f.as_ref()?)
        };
        current = match &m.ty.kind {
            Kind::Struct(n) => match svc.shapes.get(n) {
                Some(Shape::Structure(s)) => s,
                _ => return None,
            },
            _ => return None,
        };
    }
    None
}

/// Moves the member at `path` out of `base` (an owned structure), through optional parents:
/// an `Option` of the leaf's type.
fn member_take(
    svc: &Service,
    root: &Structure,
    path: &[String],
    base: TokenStream,
) -> Option<(TokenStream, Type)> {
    let (first, rest) = path.split_first()?;
    let m = root.members.iter().find(|m| &m.member_name == first)?;
    let f = ident(&m.rust_name);
    let expr = quote!(#base.#f);
    if rest.is_empty() {
        return Some((expr, m.ty.clone()));
    }
    let Kind::Struct(n) = &m.ty.kind else {
        return None;
    };
    let Some(Shape::Structure(s)) = svc.shapes.get(n) else {
        return None;
    };
    let (inner, ty) = member_take(svc, s, rest, quote!(parent))?;
    Some((quote!(#expr.and_then(|parent| #inner)), ty))
}

fn int_from_u32(ty: &Type, value: TokenStream) -> TokenStream {
    let t = rust_type(ty);
    quote!(<#t>::try_from(#value).unwrap_or(<#t>::MAX))
}
