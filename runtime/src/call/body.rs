//! Typed request bodies: what a generated body struct says of its required fields, checked
//! by [`Request::checked_json_body`](crate::Request::checked_json_body) before anything is sent.

use std::collections::BTreeMap;

use crate::error::Error;

/// A request body that knows which of its required fields are unset. Generated body structs
/// implement it; lists, maps and options of them look inside.
pub trait RequiredFields {
    /// Where the first required field left unset is, as a path from this value
    /// (`.name`, `.rules[1].action`, `.labels["a"].value`); `None` when every one is set.
    fn missing_required(&self) -> Option<String> {
        None
    }
}

impl<T: RequiredFields> RequiredFields for Option<T> {
    fn missing_required(&self) -> Option<String> {
        self.as_ref()?.missing_required()
    }
}

impl<T: RequiredFields> RequiredFields for Vec<T> {
    fn missing_required(&self) -> Option<String> {
        self.as_slice().missing_required()
    }
}

impl<T: RequiredFields> RequiredFields for [T] {
    fn missing_required(&self) -> Option<String> {
        self.iter()
            .enumerate()
            .find_map(|(i, item)| Some(format!("[{i}]{}", item.missing_required()?)))
    }
}

impl<T: RequiredFields> RequiredFields for BTreeMap<String, T> {
    fn missing_required(&self) -> Option<String> {
        self.iter()
            .find_map(|(key, value)| Some(format!("[{key:?}]{}", value.missing_required()?)))
    }
}

impl<T: RequiredFields + ?Sized> RequiredFields for &T {
    fn missing_required(&self) -> Option<String> {
        (**self).missing_required()
    }
}

/// What a generated body's [`RequiredFields::missing_required`] answers for its required
/// field at `path` (`.name`) left unset. A call, not an allocation written out in each of the
/// thousand body types: the client's release build compiles one.
#[doc(hidden)]
pub fn missing(path: &'static str) -> Option<String> {
    Some(path.to_owned())
}

/// The same for the field at `path` whose value lacks a required field of its own, at `inner`
/// below it (`.rules` and `[0].action` make `.rules[0].action`).
#[doc(hidden)]
pub fn missing_in(path: &'static str, inner: String) -> Option<String> {
    Some(format!("{path}{inner}"))
}

/// The error for a typed body whose required field at `path` is unset (what
/// [`RequiredFields::missing_required`] said), naming it.
pub(crate) fn missing_field(path: Option<String>) -> Option<Error> {
    let path = path?;
    let field = path.strip_prefix('.').unwrap_or(&path);
    Some(Error::InvalidRequest {
        message: format!("missing required body field {field}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body whose `name` is required.
    struct Named(Option<&'static str>);

    impl RequiredFields for Named {
        fn missing_required(&self) -> Option<String> {
            self.0.is_none().then(|| ".name".to_owned())
        }
    }

    #[test]
    fn paths_lead_to_the_first_unset_field() {
        assert_eq!(Named(Some("a")).missing_required(), None);
        assert_eq!(Named(None).missing_required().as_deref(), Some(".name"));
        let list = vec![Named(Some("a")), Named(None), Named(None)];
        assert_eq!(list.missing_required().as_deref(), Some("[1].name"));
        // A body that is an array is taken as a slice.
        assert_eq!(list[..].missing_required().as_deref(), Some("[1].name"));
        let map = BTreeMap::from([
            ("b".to_owned(), Named(None)),
            ("a".to_owned(), Named(Some("x"))),
        ]);
        assert_eq!(map.missing_required().as_deref(), Some("[\"b\"].name"));
        assert_eq!(
            Some(Some(Named(None))).missing_required().as_deref(),
            Some(".name")
        );
        assert_eq!(None::<Named>.missing_required(), None);
        assert_eq!(Vec::<Named>::new().missing_required(), None);
    }
}
