//! Listings: how an endpoint pages ([`Pagination`](paginate::Pagination), page tokens,
//! resume points) and the [`Pages`](walk::Pages) / [`Items`](walk::Items) streams that walk
//! every page and always end.

pub(crate) mod paginate;
pub(crate) mod walk;
