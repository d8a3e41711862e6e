//! Foundation, names: Rust identifiers for wire names (used by the planners and the xtask).
//!
//! Every identifier the generator emits goes through [`ident`], the one sanitising function:
//! it converts case with heck, turns symbols into word breaks, spells non-ASCII characters as
//! `uXXXX`, escapes keywords and leading digits, and never returns an empty or invalid name.
//! [`Namer`] then resolves collisions deterministically, in the order names are requested.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// The case an identifier is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `snake_case`: modules, functions, fields, arguments.
    Snake,
    /// `UpperCamelCase`: types and enum variants.
    Camel,
}

/// Every name generated code must not take, by the scope it must stay out of: the one list.
/// [`ident`] never returns a [`KEYWORDS`](reserved::KEYWORDS) or
/// [`PRELUDE`](reserved::PRELUDE) name; the plan reserves the others in the scope each
/// applies to. `tests/reserved.rs` checks the lists against the runtime's `Client` and against
/// the names the generated files use unqualified.
pub mod reserved {
    /// Every word Rust reserves in any edition we might be compiled with (2015–2024).
    pub const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
        "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
        "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
        "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type",
        "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
        "Self",
    ];

    /// Names generated code uses unqualified (primitive types and prelude items), which a
    /// generated type or module would shadow; and serde_json's `Value` and `Map`, which
    /// generated signatures name (qualified) and a reader would confuse with a type of ours.
    pub const PRELUDE: &[&str] = &[
        "bool",
        "char",
        "str",
        "f32",
        "f64",
        "i8",
        "i16",
        "i32",
        "i64",
        "i128",
        "isize",
        "u8",
        "u16",
        "u32",
        "u64",
        "u128",
        "usize",
        "Option",
        "Some",
        "None",
        "Result",
        "Ok",
        "Err",
        "String",
        "Vec",
        "Box",
        "Into",
        "IntoIterator",
        "Default",
        "Value",
        "Map",
    ];

    /// Items of the crate root beside the group modules, which `pub use generated::*` puts
    /// there: a group module of the same name would be hidden by them.
    pub const CRATE_ROOT: &[&str] = &["runtime", "generated", "mock"];

    /// Every method of the generated `Client` (`builder`, `from_env`, `runtime`, and its
    /// traits': `Clone`, `Debug`, `Deref`, `From`) and of the runtime's client it dereferences
    /// to. A group accessor on `Client` must not take one: it would hide the runtime's method.
    pub const CLIENT_METHODS: &[&str] = &[
        "builder",
        "from_env",
        "runtime",
        "base_url",
        "retry_policy",
        "request",
        "get",
        "clone",
        "clone_from",
        "fmt",
        "deref",
        "from",
    ];

    /// The prelude's by-value conversions every type has (`Into::into`, `TryInto::try_into`):
    /// method lookup tries the receiver by value before it borrows it, so `client.into()` is
    /// `Into::into(client)`, never an accessor on `&self`. Accessors must not take them.
    pub const BY_VALUE_CONVERSIONS: &[&str] = &["into", "try_into"];

    /// Methods every group handle has: its constructor, those of its derives (`Debug`, `Clone`, `Copy`), and the
    /// prelude's by-value conversions (`Into::into`, `TryInto::try_into`): the handle is
    /// `Copy`, so `handle.into()` finds the trait's method before an inherent `&self` one.
    /// Endpoint functions must not take them.
    pub const HANDLE_METHODS: &[&str] = &["new", "clone", "clone_from", "fmt", "into", "try_into"];

    /// Methods every parameter struct has besides its setters: the constructor and its
    /// derives' (`Debug`, `Clone`, `PartialEq`, `Default`, `Serialize`). Setters must not
    /// take them.
    pub const PARAMS_METHODS: &[&str] = &[
        "new",
        "default",
        "clone",
        "clone_from",
        "fmt",
        "eq",
        "ne",
        "serialize",
    ];

    /// Cargo features of every generated crate besides the group features: a group's feature
    /// must not take them.
    pub const FEATURES: &[&str] = &["default", "full", "time", "chrono"];

    /// The field of every response struct that keeps what the docs do not describe.
    pub const EXTRA_FIELD: &str = "extra";

    /// The catch-all variant of an open enum, which the runtime's `open_enum!` requires.
    pub const UNKNOWN_VARIANT: &str = "Unknown";
}

/// The one sanitising function: a valid, non-reserved Rust identifier in `case` for any
/// input string. Distinct inputs may map to the same identifier; [`Namer`] resolves that.
pub fn ident(raw: &str, case: Case) -> String {
    // Make symbols and non-ASCII characters explicit words first, so heck sees word breaks
    // where the wire name has punctuation and never drops a character silently.
    let mut words = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            words.push(c);
        } else if c.is_ascii() {
            words.push(' ');
        } else {
            words.push_str(&format!(" u{:x} ", c as u32));
        }
    }
    let words = plural_acronyms(&words);
    let mut name = match case {
        Case::Snake => words.to_snake_case(),
        Case::Camel => words.to_upper_camel_case(),
    };
    if name.is_empty() {
        name = match case {
            Case::Snake => "empty".to_owned(),
            Case::Camel => "Empty".to_owned(),
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, if case == Case::Snake { "n_" } else { "N" });
    }
    if name.len() > MAX_IDENT_LEN {
        name = shorten(&name, raw, case);
    }
    if reserved::KEYWORDS.contains(&name.as_str()) || reserved::PRELUDE.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// An acronym's plural as one word: `URLs` → `Urls`, `IDs` → `Ids` (heck would split the last
/// capital off, `ur_ls`), where the `s` ends the word (the end, a break or a capital follows).
fn plural_acronyms(words: &str) -> String {
    let chars: Vec<char> = words.chars().collect();
    let mut out = String::with_capacity(words.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        let after = chars.get(i + run + 1);
        let is_plural = run >= 2
            && chars.get(i + run) == Some(&'s')
            && !after.is_some_and(|c| c.is_ascii_lowercase());
        if is_plural {
            out.push(chars[i]);
            out.extend(chars[i + 1..i + run].iter().map(char::to_ascii_lowercase));
            out.push('s');
            i += run + 1;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The longest identifier [`ident`] returns. Names built from names (a nested type is named
/// after its parents) would otherwise grow with every level; the upstream docs' longest
/// summary makes a 70-character function name.
pub const MAX_IDENT_LEN: usize = 80;

/// A name cut to [`MAX_IDENT_LEN`]: its first words, then a hash of the whole input, so two
/// long names that share their start stay apart, and the same input always gives the same
/// name.
fn shorten(name: &str, raw: &str, case: Case) -> String {
    // FNV-1a: stable across Rust versions and platforms, unlike `DefaultHasher`.
    let hash = raw.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let tag = format!("{:08x}", hash & 0xffff_ffff);
    let keep = MAX_IDENT_LEN - tag.len() - 1;
    // ASCII only (ident's output), so any byte index is a character boundary.
    let mut cut = &name[..keep];
    if let Some(at) = match case {
        Case::Snake => cut.rfind('_'),
        Case::Camel => cut
            .rfind(|c: char| c.is_ascii_uppercase())
            .filter(|&i| i > 0),
    } && at > keep / 2
    {
        cut = &cut[..at];
    }
    let cut = cut.trim_end_matches('_');
    match case {
        Case::Snake => format!("{cut}_{tag}"),
        Case::Camel => format!("{cut}H{}", tag.to_ascii_uppercase()),
    }
}

/// Hands out identifiers unique within one scope (a module's types, a struct's fields, a
/// function's arguments). The first request for a name gets it; later ones get `_2`, `_3`…
/// (`2`, `3` in camel case), so the result depends only on the order of requests in this
/// scope.
#[derive(Debug, Default, Clone)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    pub fn new() -> Namer {
        Namer::default()
    }

    /// A scope in which `names` (already identifiers) are taken from the start.
    pub fn reserving(names: &[&str]) -> Namer {
        let mut namer = Namer::new();
        for name in names {
            namer.reserve(name);
        }
        namer
    }

    /// Marks `name` (already an identifier) as used without handing it out.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// Whether `name` is already in use in this scope.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// A fresh identifier for `raw` in `case`.
    pub fn fresh(&mut self, raw: &str, case: Case) -> String {
        self.fresh_ident(ident(raw, case), case)
    }

    /// A fresh identifier based on `base`, which must already be a valid identifier.
    pub fn fresh_ident(&mut self, base: String, case: Case) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let sep = if case == Case::Snake { "_" } else { "" };
        let stem = base.trim_end_matches('_');
        (2u32..)
            .map(|n| format!("{stem}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded counter always finds a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitises_every_kind_of_key() {
        let cases = [
            ("type", "type_", "Type"),
            ("$type", "type_", "Type"),
            ("self", "self_", "Self_"),
            ("Self", "self_", "Self_"),
            ("_", "empty", "Empty"),
            ("", "empty", "Empty"),
            ("1.1.1.1", "n_1_1_1_1", "N1111"),
            (
                "TLS 1.3 / AES_128_GCM",
                "tls_1_3_aes_128_gcm",
                "Tls13Aes128Gcm",
            ),
            ("CVE-2021-44228", "cve_2021_44228", "Cve202144228"),
            ("newValue", "new_value", "NewValue"),
            ("ip_address", "ip_address", "IpAddress"),
            ("ümlaut", "ufc_mlaut", "UfcMlaut"),
            ("str", "str_", "Str"),
            ("async", "async_", "Async"),
            // An acronym's plural stays one word.
            (
                "requireSignedURLs",
                "require_signed_urls",
                "RequireSignedUrls",
            ),
            ("Get logs RayIDs", "get_logs_ray_ids", "GetLogsRayIds"),
            ("short-lived CAs", "short_lived_cas", "ShortLivedCas"),
            ("uniqIPs2", "uniq_ips2", "UniqIps2"),
            ("IDsOnly", "ids_only", "IdsOnly"),
            ("HTTPSettings", "http_settings", "HttpSettings"),
            ("URLsafe", "ur_lsafe", "UrLsafe"),
        ];
        for (raw, snake, camel) in cases {
            assert_eq!(ident(raw, Case::Snake), snake, "snake of {raw:?}");
            assert_eq!(ident(raw, Case::Camel), camel, "camel of {raw:?}");
        }
    }

    #[test]
    fn every_output_parses_as_an_identifier() {
        let nasty = [
            "", "_", "__", "0", "a-b", "é", "日本", "self", "r#type", "crate", "Self",
        ];
        for raw in nasty {
            for case in [Case::Snake, Case::Camel] {
                let id = ident(raw, case);
                assert!(
                    syn::parse_str::<syn::Ident>(&id).is_ok(),
                    "{raw:?} → {id:?}"
                );
            }
        }
    }

    #[test]
    fn long_names_are_shortened_the_same_way_every_time() {
        let long = "a very long summary ".repeat(20);
        for case in [Case::Snake, Case::Camel] {
            let a = ident(&long, case);
            assert!(a.len() <= MAX_IDENT_LEN, "{a}");
            assert_eq!(a, ident(&long, case));
            assert!(syn::parse_str::<syn::Ident>(&a).is_ok(), "{a}");
            let b = ident(&format!("{long}x"), case);
            assert_ne!(a, b, "inputs that share their start stay apart");
        }
        assert!(ident(&long, Case::Snake).starts_with("a_very_long_summary_a_very"));
        let short = "get account audit logs version 2 beta release";
        assert_eq!(
            ident(short, Case::Snake),
            "get_account_audit_logs_version_2_beta_release"
        );
    }

    #[test]
    fn namer_resolves_collisions_in_request_order() {
        let mut n = Namer::new();
        assert_eq!(n.fresh("type", Case::Snake), "type_");
        assert_eq!(n.fresh("$type", Case::Snake), "type_2");
        assert_eq!(n.fresh("Type", Case::Snake), "type_3");
        let mut t = Namer::new();
        t.reserve("Item");
        assert_eq!(t.fresh("item", Case::Camel), "Item2");
    }
}
