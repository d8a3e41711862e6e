//! The mock, request bodies: what a JSON body must be ([`Shape`], spelled out by the generated
//! tables from the docs' body fields), and where a body first differs from it.

use serde_json::Value;

/// What a JSON value of a request body must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Any value (a field the docs leave open).
    Any,
    /// A string.
    Text,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// An array of values of this shape.
    Array(&'static Shape),
    /// An object of any keys whose values are of this shape.
    Map(&'static Shape),
    /// An object with these fields. Keys the docs do not list are accepted, as Cloudflare
    /// accepts them.
    Object(&'static [Field]),
    /// One of several documented objects (a DNS record body: `A Record`, `MX Record`, ...).
    Variants(&'static [Variant]),
}

/// A documented key of a request-body object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The JSON key.
    pub name: &'static str,
    /// What its value must be.
    pub shape: Shape,
    /// Whether an object without it is refused.
    pub required: bool,
    /// Whether `null` is a value it may take.
    pub nullable: bool,
}

impl Field {
    /// A key the object must hold, whose value is of `shape`.
    pub const fn required(name: &'static str, shape: Shape) -> Field {
        Field {
            name,
            shape,
            required: true,
            nullable: false,
        }
    }

    /// A key the object may hold, whose value is of `shape`.
    pub const fn optional(name: &'static str, shape: Shape) -> Field {
        Field {
            name,
            shape,
            required: false,
            nullable: false,
        }
    }

    /// The same key, which may also be `null`.
    pub const fn or_null(self) -> Field {
        Field {
            nullable: true,
            ..self
        }
    }
}

/// One object a [`Shape::Variants`] body may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// The heading the docs give it (`A Record`).
    pub name: &'static str,
    /// Its fields.
    pub fields: &'static [Field],
}

/// Where a value differs from its shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Mismatch {
    /// A JSON pointer to the value (empty for the body itself).
    pub pointer: String,
    pub message: String,
    /// Whether the value is a key with one documented value (a variant's tag, `"type": "A"`)
    /// holding another: the body is another variant, not a wrong one.
    tag: bool,
}

/// The first place `value` differs from `shape`, if any; `pointer` is where `value` sits.
pub(super) fn mismatch(shape: &Shape, value: &Value, pointer: &str) -> Option<Mismatch> {
    let wrong = |expected: String| {
        Some(Mismatch {
            pointer: pointer.to_owned(),
            message: format!(
                "{} must be {expected}, not {}",
                place(pointer),
                describe(value)
            ),
            tag: false,
        })
    };
    match (shape, value) {
        (Shape::Any, _)
        | (Shape::Text, Value::String(_))
        | (Shape::Number, Value::Number(_))
        | (Shape::Boolean, Value::Bool(_)) => None,
        (Shape::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => None,
        (Shape::OneOf(values), Value::String(s)) if values.contains(&s.as_str()) => None,
        (Shape::OneOf(values), Value::String(_)) => {
            let mut found = wrong(format!("one of `{}`", values.join("`, `")));
            if let Some(found) = &mut found {
                found.tag = values.len() == 1;
            }
            found
        }
        (Shape::Array(item), Value::Array(items)) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| mismatch(item, v, &format!("{pointer}/{i}"))),
        (Shape::Map(item), Value::Object(object)) => object
            .iter()
            .find_map(|(k, v)| mismatch(item, v, &format!("{pointer}/{}", token(k)))),
        (Shape::Object(fields), Value::Object(_)) => object(fields, value, pointer),
        (Shape::Variants(variants), Value::Object(_)) => {
            let mut misses = Vec::with_capacity(variants.len());
            for variant in *variants {
                match object(variant.fields, value, pointer) {
                    None => return None,
                    Some(miss) => misses.push((variant.name, miss)),
                }
            }
            // The variant its tag names, refused for another reason, says the most.
            if let Some((name, miss)) = misses.iter().find(|(_, miss)| !miss.tag) {
                return Some(Mismatch {
                    message: format!("{} (as the variant `{name}`)", miss.message),
                    ..miss.clone()
                });
            }
            let names: Vec<&str> = variants.iter().map(|v| v.name).collect();
            wrong(format!(
                "one of the documented objects `{}`",
                names.join("`, `")
            ))
        }
        (Shape::Text | Shape::OneOf(_), _) => wrong("a string".to_owned()),
        (Shape::Integer, _) => wrong("an integer".to_owned()),
        (Shape::Number, _) => wrong("a number".to_owned()),
        (Shape::Boolean, _) => wrong("`true` or `false`".to_owned()),
        (Shape::Array(_), _) => wrong("an array".to_owned()),
        (Shape::Map(_) | Shape::Object(_) | Shape::Variants(_), _) => wrong("an object".to_owned()),
    }
}

/// The first field of `fields` that the object `value` lacks or holds a wrong value for.
fn object(fields: &[Field], value: &Value, pointer: &str) -> Option<Mismatch> {
    let Value::Object(object) = value else {
        return mismatch(&Shape::Object(&[]), value, pointer);
    };
    // Tags first: a body of another variant is told apart by its tag, wherever it is listed.
    let is_tag = |field: &&Field| matches!(field.shape, Shape::OneOf([_]));
    let tags = fields.iter().filter(is_tag);
    tags.chain(fields.iter().filter(|f| !is_tag(f)))
        .find_map(|field| {
            let at = format!("{pointer}/{}", token(field.name));
            match object.get(field.name) {
                None if field.required => Some(Mismatch {
                    message: format!("the required body field `{at}` is missing"),
                    pointer: at,
                    tag: false,
                }),
                None => None,
                Some(Value::Null) if field.nullable => None,
                Some(found) => mismatch(&field.shape, found, &at),
            }
        })
}

/// How a message names the value at `pointer`.
fn place(pointer: &str) -> String {
    if pointer.is_empty() {
        "the body".to_owned()
    } else {
        format!("the body field `{pointer}`")
    }
}

/// The kind of `value`, for a message.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) if s.chars().count() <= 40 => format!("the string `{s}`"),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// `key` as one token of a JSON pointer (`~` and `/` escaped).
pub(super) fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SETTINGS: &[Field] = &[Field {
        name: "ipv4_only",
        shape: Shape::Boolean,
        required: false,
        nullable: false,
    }];
    // The tag last, as the docs list it for DNS records.
    const A_RECORD: &[Field] = &[
        Field {
            name: "name",
            shape: Shape::Text,
            required: true,
            nullable: false,
        },
        Field {
            name: "ttl",
            shape: Shape::Number,
            required: true,
            nullable: false,
        },
        Field {
            name: "comment",
            shape: Shape::Text,
            required: false,
            nullable: true,
        },
        Field {
            name: "tags",
            shape: Shape::Array(&Shape::Text),
            required: false,
            nullable: false,
        },
        Field {
            name: "settings",
            shape: Shape::Object(SETTINGS),
            required: false,
            nullable: false,
        },
        Field {
            name: "type",
            shape: Shape::OneOf(&["A"]),
            required: true,
            nullable: false,
        },
    ];
    const MX_RECORD: &[Field] = &[
        Field {
            name: "type",
            shape: Shape::OneOf(&["MX"]),
            required: true,
            nullable: false,
        },
        Field {
            name: "priority",
            shape: Shape::Integer,
            required: true,
            nullable: false,
        },
    ];
    const RECORD: Shape = Shape::Variants(&[
        Variant {
            name: "A Record",
            fields: A_RECORD,
        },
        Variant {
            name: "MX Record",
            fields: MX_RECORD,
        },
    ]);

    fn check(shape: &Shape, value: Value) -> Option<(String, String)> {
        mismatch(shape, &value, "").map(|m| (m.pointer, m.message))
    }

    #[test]
    fn a_body_of_the_documented_shape_passes_with_keys_the_docs_do_not_list() {
        let a = json!({"type": "A", "name": "a.example.com", "ttl": 1, "comment": null,
                       "tags": ["x"], "settings": {"ipv4_only": true}, "undocumented": [1]});
        assert_eq!(check(&RECORD, a), None);
        let mx = json!({"type": "MX", "priority": 10});
        assert_eq!(check(&RECORD, mx), None);
        assert_eq!(check(&Shape::Map(&Shape::Integer), json!({"a": 1})), None);
    }

    #[test]
    fn the_first_difference_is_named_with_its_pointer() {
        let fields = Shape::Object(A_RECORD);
        let base = json!({"type": "A", "name": "a", "ttl": 1});
        let with = |key: &str, value: Value| {
            let mut body = base.clone();
            body[key] = value;
            check(&fields, body)
        };
        assert_eq!(
            with("ttl", json!("auto")),
            Some((
                "/ttl".to_owned(),
                "the body field `/ttl` must be a number, not the string `auto`".to_owned()
            ))
        );
        assert_eq!(
            with("tags", json!(["x", 2])).map(|m| m.0).as_deref(),
            Some("/tags/1")
        );
        assert_eq!(
            with("settings", json!({"ipv4_only": "yes"}))
                .map(|m| m.0)
                .as_deref(),
            Some("/settings/ipv4_only")
        );
        // `null` only where the docs allow it.
        assert_eq!(with("comment", Value::Null), None);
        assert_eq!(
            with("name", Value::Null).map(|m| m.1).as_deref(),
            Some("the body field `/name` must be a string, not null")
        );
        assert_eq!(
            check(&fields, json!({"type": "A", "ttl": 1})),
            Some((
                "/name".to_owned(),
                "the required body field `/name` is missing".to_owned()
            ))
        );
        assert_eq!(
            check(&fields, json!([])).map(|m| m.1).as_deref(),
            Some("the body must be an object, not an array")
        );
        assert_eq!(
            check(&Shape::Integer, json!(1.5)).map(|m| m.1).as_deref(),
            Some("the body must be an integer, not the number `1.5`")
        );
    }

    #[test]
    fn a_body_of_several_variants_is_checked_as_the_one_its_tag_names() {
        // The MX tag: refused as an MX record, not as an A record.
        assert_eq!(
            check(&RECORD, json!({"type": "MX", "priority": "high"})),
            Some((
                "/priority".to_owned(),
                "the body field `/priority` must be an integer, not the string `high` \
                 (as the variant `MX Record`)"
                    .to_owned()
            ))
        );
        assert_eq!(
            check(&RECORD, json!({"type": "SRV"}))
                .map(|m| m.1)
                .as_deref(),
            Some(
                "the body must be one of the documented objects `A Record`, `MX Record`, \
                 not an object"
            )
        );
    }
}
