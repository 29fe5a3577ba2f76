//! Paginators: lazy streams of pages and items.
//!
//! CONTRACT: generated code implements [`Paginated`] for each paginated operation and returns
//! `Paginator::<Op>::new(handle, input)` from `into_paginator()`.

use crate::operation::Operation;

/// How an operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// Opaque continuation token in the input and the output (`NextToken`, `nextToken`).
    /// The stream ends on an absent or empty token; a repeated token is an error.
    Token,
    /// SpaceONE style: 1-based item index `start` and `limit` in the input, `total_count` in
    /// the output; next start = start + limit; ends when start passes total_count or a page
    /// comes back with fewer than `limit` items.
    Offset,
}

/// Implemented by generated code for each paginated operation. Methods of the style the
/// operation does not use have trivial bodies.
pub trait Paginated: Operation {
    /// The element type of the result list.
    type Item: Send + 'static;
    /// How the operation pages.
    const STYLE: PageStyle;
    /// Token style: writes the continuation token into the input.
    fn set_token(input: &mut Self::Input, token: Option<String>);
    /// Token style: reads the continuation token from the output.
    fn next_token(output: &Self::Output) -> Option<&str>;
    /// Offset style: writes `start` (1-based item index) and `limit` into the input.
    fn set_offset(input: &mut Self::Input, start: u32, limit: u32);
    /// Offset style: the total number of matching items, from the output.
    fn total_count(output: &Self::Output) -> Option<u64>;
    /// Offset style: the `(start, limit)` already set in the input, if any.
    fn offset(input: &Self::Input) -> (Option<u32>, Option<u32>);
    /// Writes the page size (`MaxResults`, `maxResults`, or `limit`) into the input.
    fn set_page_size(input: &mut Self::Input, size: u32);
    /// Takes the result list out of a page.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
}

/// A lazy paginator over an operation. Built by a fluent builder's `into_paginator()`.
pub struct Paginator<O: Paginated> {
    _op: std::marker::PhantomData<O>,
}
// CONTRACT:
// impl<O: Paginated> Paginator<O> {
//     pub fn new(handle: crate::Handle, input: O::Input) -> Self;
//     pub fn page_size(self, size: u32) -> Self;          // sets the page size of every request
//     pub fn max_pages(self, pages: usize) -> Self;       // stops after this many pages
//     pub fn pages(self) -> impl Stream<Item = Result<O::Output, Error<O::Error>>> + Send;
//     pub fn items(self) -> impl Stream<Item = Result<O::Item, Error<O::Error>>> + Send;
// }
