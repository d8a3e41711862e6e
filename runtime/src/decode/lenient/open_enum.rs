//! `open_enum!`: the one implementation of every enum found in responses.
//!
//! A response enum is *open*: a value the docs did not list (the API added
//! one) decodes into its `Unknown(String)` variant instead of failing the
//! call, and serializes back unchanged. A value that is not a string at all
//! is a serde error, which the lenient decoder reports as a
//! [`DecodeWarning`](crate::DecodeWarning) (the field reads as
//! absent) unless the call is strict.

/// Implements an open enum the generated code defines: its unit variants,
/// each with its wire string, plus `Unknown(String)`. Adds `as_str`,
/// `Display`, `FromStr` (never fails), `From<&str>`, `From<String>`,
/// `AsRef<str>`, `Serialize` and `Deserialize`. `open_enum!(request Name { … })`, for
/// the values of a request-body field, leaves out `Deserialize`: they are only ever sent.
/// The enum itself stays a plain, formatted item in the generated file; only the impls come
/// from here.
///
/// ```text
/// /// The type of actor.
/// #[derive(Debug, Clone, PartialEq, Eq, Hash)]
/// pub enum AuditLogActorType {
///     /// `user`
///     User,
///     /// A value this client does not know yet.
///     Unknown(String),
/// }
/// crate::open_enum!(AuditLogActorType { User = "user" });
/// ```
///
/// The variant name `Unknown` is reserved, and wire strings must be
/// distinct. `From` maps a known string to its variant, so
/// `Unknown("user")` only exists when built by hand.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    (request $name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// Every known value, in documented order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Unknown(value) => value.as_str(),
                }
            }

            /// True for a value this client does not know.
            pub fn is_unknown(&self) -> bool {
                ::std::matches!(self, $name::Unknown(_))
            }

            fn known(value: &str) -> ::std::option::Option<$name> {
                // A walk of `KNOWN` rather than one comparison written out per value: the
                // same search, in a fraction of the machine code for a 250-value enum.
                $name::KNOWN
                    .iter()
                    .find(|known| known.as_str() == value)
                    .cloned()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                $name::known(value)
                    .unwrap_or_else(|| $name::Unknown(::std::borrow::ToOwned::to_owned(value)))
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                $name::known(&value).unwrap_or($name::Unknown(value))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok($name::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

    };
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        $crate::open_enum!(request $name { $($variant = $wire),* });

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;

                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }

                    fn visit_str<E: ::serde::de::Error>(
                        self,
                        value: &str,
                    ) -> ::std::result::Result<$name, E> {
                        ::std::result::Result::Ok($name::from(value))
                    }

                    fn visit_string<E: ::serde::de::Error>(
                        self,
                        value: ::std::string::String,
                    ) -> ::std::result::Result<$name, E> {
                        ::std::result::Result::Ok($name::from(value))
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

#[cfg(test)]
#[allow(dead_code)]
mod tests {
    /// Three values.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub enum Kind {
        User,
        Admin,
        Cloudflare,
        Unknown(String),
    }
    crate::open_enum!(Kind { User = "user", Admin = "admin", Cloudflare = "Cloudflare" });

    /// No documented value.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub(crate) enum Nothing {
        Unknown(String),
    }
    crate::open_enum!(Nothing {});

    /// One value, trailing comma.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    enum One {
        One,
        Unknown(String),
    }
    crate::open_enum!(One { One = "one", });

    #[test]
    fn known_and_unknown_values() {
        assert_eq!(Kind::from("user"), Kind::User);
        assert_eq!(Kind::from("Cloudflare".to_owned()), Kind::Cloudflare);
        assert_eq!(Kind::from("cloudflare"), Kind::Unknown("cloudflare".into()));
        assert_eq!(Kind::KNOWN, &[Kind::User, Kind::Admin, Kind::Cloudflare]);
        assert_eq!(Kind::Admin.to_string(), "admin");
        assert_eq!("x".parse::<Kind>(), Ok(Kind::Unknown("x".into())));
        assert!(Kind::Unknown("x".into()).is_unknown() && !Kind::User.is_unknown());
        assert_eq!(Nothing::from("a").as_str(), "a");
        assert!(Nothing::KNOWN.is_empty());
        assert_eq!(One::from("one").as_ref(), "one");
    }

    #[test]
    fn serde_round_trip() {
        let k: Kind = serde_json::from_str(r#""robot""#).unwrap();
        assert_eq!(k, Kind::Unknown("robot".into()));
        assert_eq!(serde_json::to_string(&k).unwrap(), r#""robot""#);
        let k: Kind = serde_json::from_value(serde_json::json!("admin")).unwrap();
        assert_eq!(k, Kind::Admin);
        let err = serde_json::from_str::<Kind>("3").unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }

    /// As generated: a response object.
    #[derive(Debug, Default, PartialEq)]
    struct Log {
        id: Option<String>,
        actor_type: Option<Kind>,
        extra: crate::Extra,
    }
    crate::response_object!(Log, extra { 0 => id = "id", 1 => actor_type = "actor_type" });

    fn decode(body: &str, strict: bool) -> Result<crate::Response<Vec<Log>>, crate::Error> {
        let received = crate::decode::body::Received {
            status: reqwest::StatusCode::OK,
            headers: reqwest::header::HeaderMap::new(),
            body: bytes::Bytes::copy_from_slice(body.as_bytes()),
            attempts: 1,
            strict,
            keep: usize::MAX,
        };
        crate::decode::body::decode_json::<Vec<Log>>(&crate::RESULT, received)
            .map(|decoded| decoded.response)
    }

    #[test]
    fn unknown_values_in_a_response_decode_and_round_trip() {
        let body = r#"{"success": true, "errors": [], "messages": [], "result": [
            {"id": "1", "actor_type": "user"},
            {"id": "2", "actor_type": "robot"},
            {"id": "3", "actor_type": 7},
            {"id": "4"}
        ]}"#;
        let response = decode(body, false).unwrap();
        let types: Vec<Option<Kind>> = response.data.iter().map(|l| l.actor_type.clone()).collect();
        assert_eq!(
            types,
            [
                Some(Kind::User),
                Some(Kind::Unknown("robot".into())),
                None,
                None
            ]
        );
        // A non-string is a warning (read as absent), not an error ...
        assert_eq!(response.warnings.len(), 1);
        assert_eq!(response.warnings[0].path, "result[2].actor_type");
        assert_eq!(&*response.warnings[0].expected, "a string");
        assert_eq!(
            response.data[2].extra.get("actor_type"),
            Some(&serde_json::json!(7))
        );
        // ... unless strict.
        let err = decode(body, true).unwrap_err();
        assert!(err.to_string().contains("result[2].actor_type"), "{err}");
        // Unknown values serialize back unchanged.
        let again = serde_json::to_value(&response.data[1]).unwrap();
        assert_eq!(again, serde_json::json!({"id": "2", "actor_type": "robot"}));
        let back: Log = serde_json::from_value(again).unwrap();
        assert_eq!(back, response.data[1]);
    }
}
