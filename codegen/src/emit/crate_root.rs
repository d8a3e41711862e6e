//! Emit stage, the crate roots: the client's `src/generated/mod.rs` (its `Client`, one
//! accessor per group, each group's module or its re-export from the part crate that compiles
//! it, the endpoint index) and, for a client in parts ([`crate::plan::parts`]), each part's
//! `src/lib.rs` and `src/generated/mod.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::print::{Options, code, doc_attrs, inner_doc_attrs};
use crate::plan::model::{GroupPlan, Plan};
use crate::plan::parts::{PartPlan, part_of};

/// The client's `src/generated/mod.rs`. A group in a part is re-exported from it, so users
/// reach every group at the same path (`crate::audit_logs`), wherever it is compiled.
pub(super) fn client_index(plan: &Plan, options: &Options, parts: &[PartPlan]) -> TokenStream {
    let modules = plan.groups.iter().enumerate().map(|(index, group)| {
        let (doc, feature, module) = module_head(group);
        match part_of(parts, index) {
            Some(part) => {
                let lib = format_ident!("{}", part.lib);
                quote! {
                    #doc
                    #[cfg(feature = #feature)]
                    #[doc(inline)]
                    pub use ::#lib::#module;
                }
            }
            None => quote! {
                #doc
                #[cfg(feature = #feature)]
                pub mod #module;
            },
        }
    });
    let accessors = plan.groups.iter().map(|group| {
        let (_, feature, module) = module_head(group);
        let accessor = format_ident!("{}", group.accessor);
        let handle = format_ident!("{}", group.handle);
        let doc = doc_attrs(&format!("The {} endpoints.", group.title));
        quote! {
            #doc
            #[cfg(feature = #feature)]
            pub fn #accessor(&self) -> #module::#handle<'_> {
                #module::#handle::new(&self.inner)
            }
        }
    });
    let doc =
        inner_doc_attrs("The API groups, one module per doc file, each behind its Cargo feature.");
    let index = super::index::rustdoc_module(plan, options);
    let client = client_def();
    let mock_feature = super::mock::FEATURE;
    let mock_module = format_ident!("{}", super::mock::FEATURE);
    let mock = quote! {
        /// A local Cloudflare API for tests, serving this crate's endpoints (feature `mock`).
        #[cfg(feature = #mock_feature)]
        pub mod #mock_module;
    };
    quote! {
        #doc
        #client

        impl Client {
            #(#accessors)*
        }

        #(#modules)*
        #mock
        #index
    }
}

/// A part's `src/generated/mod.rs`: its groups' modules, each behind its feature.
pub(super) fn part_index(plan: &Plan, part: &PartPlan) -> TokenStream {
    let modules = part.groups.iter().map(|&index| {
        let (doc, feature, module) = module_head(&plan.groups[index]);
        quote! {
            #doc
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    let doc = inner_doc_attrs(
        "This part's API groups, one module per doc file, each behind its Cargo feature.",
    );
    quote! {
        #doc
        #(#modules)*
    }
}

/// A part's `src/lib.rs`: the runtime at `crate::runtime`, as group modules name it, and the
/// groups at the crate root. Its own docs send readers to the client crate.
pub(super) fn part_lib(plan: &Plan, part: &PartPlan, options: &Options) -> TokenStream {
    let first = part
        .groups
        .first()
        .map(|&i| plan.groups[i].module.as_str())
        .unwrap_or("audit_logs");
    let doc = inner_doc_attrs(&format!(
        "Part {} of the API groups of {}, compiled as a crate of its own so that a large client's \
         groups compile in parallel and each in less memory.\n\n\
         Depend on {} instead: it re-exports every group at its root ({}), with the `Client` \
         whose methods return each group's handle, and the same Cargo features.",
        part.number,
        code(&options.crate_name),
        code(&options.crate_name),
        code(&format!("{}::{first}", options.crate_name)),
    ));
    quote! {
        #doc
        #![cfg_attr(docsrs, feature(doc_cfg))]
        #![deny(missing_docs)]

        /// The hand-written runtime every endpoint builds on: generated code reaches it
        /// through this one path, `crate::runtime`.
        #[doc(hidden)]
        pub use cloudflare_client_runtime as runtime;

        // Generated code keeps prettyplease's layout, so `cargo fmt` leaves it alone.
        #[rustfmt::skip]
        mod generated;
        #[allow(unused_imports)]
        pub use generated::*;
    }
}

/// A group's module declaration: its doc, feature and name.
fn module_head(group: &GroupPlan) -> (TokenStream, &str, proc_macro2::Ident) {
    let doc = doc_attrs(&format!("{} ({}).", group.title, code(&group.file)));
    (doc, &group.feature, format_ident!("{}", group.module))
}

/// The crate's `Client`: the runtime's client engine, wrapped so that it can have one accessor
/// per group (`client.audit_logs()`), which Rust allows only on a type of the crate that
/// defines the impl. It dereferences to the runtime's client, whose methods (`request`, `get`,
/// `base_url`, ...) are the same on both.
fn client_def() -> TokenStream {
    let doc = doc_attrs(
        "The API client: one method per API group (`client.audit_logs()`), each returning the \
         group's handle, whose methods are the endpoints. It dereferences to the runtime's \
         [`Client`](crate::runtime::Client), so `request`, `get` and the other runtime methods \
         are available on it too.\n\n\
         Cheap to clone: clones share one connection pool and configuration. `Debug` never shows \
         credentials.",
    );
    quote! {
        /// Configures a [`Client`]: the runtime's builder, whose `build` makes this crate's client.
        pub type ClientBuilder = crate::runtime::ClientBuilder<Client>;

        #doc
        #[derive(Clone)]
        pub struct Client {
            inner: crate::runtime::Client,
        }

        impl Client {
            /// A builder with the runtime's defaults; see [`ClientBuilder`].
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// A client configured from the environment; see [`ClientBuilder::from_env`].
            pub fn from_env() -> ::std::result::Result<Client, crate::runtime::Error> {
                ClientBuilder::from_env()?.build()
            }

            /// The runtime's client this one wraps.
            pub fn runtime(&self) -> &crate::runtime::Client {
                &self.inner
            }
        }

        impl ::std::convert::From<crate::runtime::Client> for Client {
            fn from(inner: crate::runtime::Client) -> Self {
                Client { inner }
            }
        }

        impl ::std::ops::Deref for Client {
            type Target = crate::runtime::Client;

            fn deref(&self) -> &crate::runtime::Client {
                &self.inner
            }
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.inner, f)
            }
        }
    }
}
