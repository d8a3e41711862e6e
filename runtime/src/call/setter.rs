//! Setters of the generated request types: `setter!`, one builder method per query parameter
//! or body field.
//!
//! A setter is a `#[must_use]` method `name(self, value) -> Self` storing `value` in the field
//! of the same name. Generated code writes one `setter!` line per field instead of the method
//! itself: the code generator then checks and formats a line where it would a function of
//! five (about a third of its time over the whole API went to setters), and the generated
//! source shows each field's setter on one line. What users call and rustdoc shows is the
//! expanded method, with its doc.

/// One setter of a generated request type (query parameters or a body):
///
/// ```text
/// runtime::setter!("Sets `name` (required).", name, into String);
/// runtime::setter!("Sets `comment`.", comment, into String, null comment_null "Sends `comment` as `null`.");
/// runtime::setter!("Sets a key the fields above do not cover: sent as given.", extra_field, insert extra);
/// ```
///
/// The first literal is the method's doc, then its name, which is also the field's. The kind
/// says what the method takes for the field's value type `T` and how it stores it:
///
/// | kind | takes | stores |
/// |---|---|---|
/// | `value T` | `T` | `Some(value)` |
/// | `into T` | `impl Into<T>` | `Some(value.into())` |
/// | `items T` | `impl IntoIterator<Item = impl Into<T>>` | `Some(` the items `)` |
/// | `pairs T` | `impl IntoIterator<Item = (impl Into<String>, impl Into<T>)>` | `Some(` the map `)` |
/// | `list T` | `impl IntoIterator<Item = T>` | the items (a list parameter's field is the list) |
/// | `list_into T` | `impl IntoIterator<Item = impl Into<T>>` | the items |
///
/// `, null name "doc"` after a kind makes the field nullable (`Option<Option<_>>`): the
/// setter stores `Some(..)` of what it would, and a second method `name(self)` stores
/// `Some(None)`, sent as `null`. `insert field` is the setter of a body's extra keys:
/// `name(self, key, value)` inserts into the map `field`.
#[doc(hidden)]
#[macro_export]
macro_rules! setter {
    ($doc:literal, $name:ident, insert $field:ident) => {
        #[doc = $doc]
        #[must_use]
        pub fn $name(
            mut self,
            key: impl ::core::convert::Into<::std::string::String>,
            value: impl ::core::convert::Into<::serde_json::Value>,
        ) -> Self {
            self.$field.insert(
                ::core::convert::Into::into(key),
                ::core::convert::Into::into(value),
            );
            self
        }
    };
    ($doc:literal, $name:ident, $kind:ident $ty:ty) => {
        #[doc = $doc]
        #[must_use]
        pub fn $name(mut self, value: $crate::setter!(@takes $kind $ty)) -> Self {
            self.$name = $crate::setter!(@stores $kind value);
            self
        }
    };
    ($doc:literal, $name:ident, $kind:ident $ty:ty, null $null:ident $null_doc:literal) => {
        #[doc = $doc]
        #[must_use]
        pub fn $name(mut self, value: $crate::setter!(@takes $kind $ty)) -> Self {
            self.$name = ::core::option::Option::Some($crate::setter!(@stores $kind value));
            self
        }
        #[doc = $null_doc]
        #[must_use]
        pub fn $null(mut self) -> Self {
            self.$name = ::core::option::Option::Some(::core::option::Option::None);
            self
        }
    };
    (@takes value $ty:ty) => { $ty };
    (@takes into $ty:ty) => { impl ::core::convert::Into<$ty> };
    (@takes items $ty:ty) => {
        impl ::core::iter::IntoIterator<Item = impl ::core::convert::Into<$ty>>
    };
    (@takes pairs $ty:ty) => {
        impl ::core::iter::IntoIterator<
            Item = (
                impl ::core::convert::Into<::std::string::String>,
                impl ::core::convert::Into<$ty>,
            ),
        >
    };
    (@takes list $ty:ty) => { impl ::core::iter::IntoIterator<Item = $ty> };
    (@takes list_into $ty:ty) => {
        impl ::core::iter::IntoIterator<Item = impl ::core::convert::Into<$ty>>
    };
    (@stores value $value:ident) => { ::core::option::Option::Some($value) };
    (@stores into $value:ident) => { ::core::option::Option::Some(::core::convert::Into::into($value)) };
    (@stores items $value:ident) => {
        ::core::option::Option::Some(
            ::core::iter::Iterator::collect(
                ::core::iter::Iterator::map(::core::iter::IntoIterator::into_iter($value), ::core::convert::Into::into),
            ),
        )
    };
    (@stores pairs $value:ident) => {
        ::core::option::Option::Some(
            ::core::iter::Iterator::collect(::core::iter::Iterator::map(
                ::core::iter::IntoIterator::into_iter($value),
                |(key, value)| {
                    (::core::convert::Into::into(key), ::core::convert::Into::into(value))
                },
            )),
        )
    };
    (@stores list $value:ident) => { ::core::iter::Iterator::collect(::core::iter::IntoIterator::into_iter($value)) };
    (@stores list_into $value:ident) => {
        ::core::iter::Iterator::collect(
            ::core::iter::Iterator::map(::core::iter::IntoIterator::into_iter($value), ::core::convert::Into::into),
        )
    };
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::{Map, Value, json};

    #[derive(Debug, Default, PartialEq)]
    struct Body {
        name: Option<String>,
        ttl: Option<i64>,
        tags: Option<Vec<String>>,
        labels: Option<BTreeMap<String, String>>,
        comment: Option<Option<String>>,
        ids: Vec<i64>,
        names: Vec<String>,
        extra: Map<String, Value>,
    }

    impl Body {
        crate::setter!("Sets `name`.", name, into String);
        crate::setter!("Sets `ttl`.", ttl, value i64);
        crate::setter!("Sets `tags`.", tags, items String);
        crate::setter!("Sets `labels`.", labels, pairs String);
        crate::setter!("Sets `comment`.", comment, into String, null comment_null "Sends null.");
        crate::setter!("Sets `ids`.", ids, list i64);
        crate::setter!("Sets `names`.", names, list_into String);
        crate::setter!("Sets a key.", extra_field, insert extra);
    }

    #[test]
    fn each_kind_stores_what_it_takes() {
        let body = Body::default()
            .name("a")
            .ttl(60)
            .tags(["x", "y"])
            .labels([("k", "v")])
            .comment("c")
            .ids([3, 1])
            .names(["n"])
            .extra_field("undocumented", json!([1]));
        assert_eq!(
            body,
            Body {
                name: Some("a".to_owned()),
                ttl: Some(60),
                tags: Some(vec!["x".to_owned(), "y".to_owned()]),
                labels: Some(BTreeMap::from([("k".to_owned(), "v".to_owned())])),
                comment: Some(Some("c".to_owned())),
                ids: vec![3, 1],
                names: vec!["n".to_owned()],
                extra: Map::from_iter([("undocumented".to_owned(), json!([1]))]),
            }
        );
        // The null setter replaces a value set before, and the value setter a null.
        assert_eq!(body.comment_null().comment, Some(None));
        assert_eq!(
            Body::default().comment_null().comment("d").comment,
            Some(Some("d".to_owned()))
        );
    }
}
