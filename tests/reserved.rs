//! The reserved-name list (`codegen::names::reserved`) against what it protects: every method
//! the runtime's `Client` has, and every name the committed generated files use unqualified.
//! Adding a `Client` method, or generated code that names a new prelude item, fails here until
//! the list has it.

use std::collections::BTreeSet;
use std::path::Path;

use codegen::names::reserved;
use syn::visit::{self, Visit};

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "Client"))
}

/// The methods a derive gives a type, callable with method syntax.
fn derived_methods(derive: &str) -> &'static [&'static str] {
    match derive {
        "Clone" => &["clone", "clone_from"],
        "Debug" => &["fmt"],
        "Default" => &["default"],
        "PartialEq" => &["eq", "ne"],
        "Hash" => &["hash"],
        "Copy" | "Eq" => &[],
        other => panic!("teach this test the methods `#[derive({other})]` gives `Client`"),
    }
}

/// Every method `Client` has in the runtime: the functions of each `impl Client` and
/// `impl Trait for Client` block in any runtime file (whatever their visibility: generated
/// accessors live in the same crate, so any name clash is a duplicate definition or shadows a
/// trait method), and those its derives give it.
fn client_methods() -> BTreeSet<String> {
    fn walk(items: &[syn::Item], methods: &mut BTreeSet<String>) {
        for item in items {
            match item {
                syn::Item::Impl(block) if is_client(&block.self_ty) => {
                    for item in &block.items {
                        // The group accessors, each behind its group's feature: the names
                        // this list keeps them from taking.
                        if let syn::ImplItem::Fn(f) = item
                            && !f.attrs.iter().any(|a| a.path().is_ident("cfg"))
                        {
                            methods.insert(f.sig.ident.to_string());
                        }
                    }
                }
                syn::Item::Struct(s) if s.ident == "Client" => {
                    for attr in s.attrs.iter().filter(|a| a.path().is_ident("derive")) {
                        attr.parse_nested_meta(|meta| {
                            let name = meta
                                .path
                                .segments
                                .last()
                                .expect("a derive name")
                                .ident
                                .to_string();
                            methods.extend(derived_methods(&name).iter().map(|m| (*m).to_owned()));
                            Ok(())
                        })
                        .expect("a derive list");
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        walk(items, methods);
                    }
                }
                _ => {}
            }
        }
    }
    let mut methods = BTreeSet::new();
    // The generated `Client` (in every generated `mod.rs`) and, through `Deref`, the runtime's
    // (every file of runtime/src, its rooms' folders included).
    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = vec![workspace_root().join("generated-client/src/generated/mod.rs")];
    let mut runtime = Vec::new();
    rust_files(&workspace_root().join("runtime/src"), &mut runtime);
    runtime.sort();
    files.extend(runtime);
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a readable source file");
        let file =
            syn::parse_file(&text).unwrap_or_else(|e| panic!("{} parses: {e}", path.display()));
        walk(&file.items, &mut methods);
    }
    methods
}

#[test]
fn client_methods_are_exactly_the_reserved_accessors() {
    let found = client_methods();
    assert!(
        found.contains("builder"),
        "the runtime scan finds Client's methods: {found:?}"
    );
    let listed: BTreeSet<String> = reserved::CLIENT_METHODS
        .iter()
        .map(|m| (*m).to_owned())
        .collect();
    let missing: Vec<_> = found.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "Client has methods a group accessor could take; add them to names::reserved::CLIENT_METHODS: {missing:?}"
    );
    let stale: Vec<_> = listed.difference(&found).collect();
    assert!(
        stale.is_empty(),
        "names::reserved::CLIENT_METHODS lists methods Client does not have: {stale:?}"
    );
}

/// The first segment of every path a generated file writes without `::`, `crate::` or
/// `Self::`, and every type and enum it defines.
#[derive(Default)]
struct Names {
    used: BTreeSet<String>,
    defined: BTreeSet<String>,
    /// The `setter!` lines read, whose types the scan must see too.
    setters: usize,
}

impl Names {
    /// `always`: the path is a type or trait, so even a lone lowercase segment (`str`, `i64`)
    /// is a name looked up in scope; in expressions a lone lowercase segment is a local.
    fn path(&mut self, path: &syn::Path, always: bool) {
        if path.leading_colon.is_some() {
            return;
        }
        let Some(first) = path.segments.first() else {
            return;
        };
        let name = first.ident.to_string();
        if ["crate", "self", "super", "Self"].contains(&name.as_str()) {
            return;
        }
        if always || path.segments.len() > 1 || name.starts_with(|c: char| c.is_ascii_uppercase()) {
            self.used.insert(name);
        }
    }
}

impl<'ast> Visit<'ast> for Names {
    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        self.defined.insert(item.ident.to_string());
        visit::visit_item_struct(self, item);
    }

    fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
        self.defined.insert(item.ident.to_string());
        visit::visit_item_enum(self, item);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.defined.insert(item.ident.to_string());
        visit::visit_item_mod(self, item);
    }

    /// `use a::b;` brings `b` into scope (a group's module re-exported from its part crate).
    fn visit_use_name(&mut self, item: &'ast syn::UseName) {
        self.defined.insert(item.ident.to_string());
        visit::visit_use_name(self, item);
    }

    fn visit_item_type(&mut self, item: &'ast syn::ItemType) {
        self.defined.insert(item.ident.to_string());
        visit::visit_item_type(self, item);
    }

    fn visit_type_path(&mut self, ty: &'ast syn::TypePath) {
        if ty.qself.is_none() {
            self.path(&ty.path, true);
        }
        visit::visit_type_path(self, ty);
    }

    fn visit_trait_bound(&mut self, bound: &'ast syn::TraitBound) {
        self.path(&bound.path, true);
        visit::visit_trait_bound(self, bound);
    }

    fn visit_expr_path(&mut self, expr: &'ast syn::ExprPath) {
        self.path(&expr.path, false);
        visit::visit_expr_path(self, expr);
    }

    fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
        self.path(&expr.path, true);
        visit::visit_expr_struct(self, expr);
    }

    /// `runtime::setter!("doc", name, kind Type, …)`: the macro names `Type` in the module's
    /// scope, as the method it expands to would.
    fn visit_impl_item_macro(&mut self, item: &'ast syn::ImplItemMacro) {
        let path = &item.mac.path;
        if path.segments.last().is_some_and(|s| s.ident == "setter") {
            let ty = item
                .mac
                .parse_body_with(|input: syn::parse::ParseStream| {
                    input.parse::<syn::LitStr>()?;
                    input.parse::<syn::Token![,]>()?;
                    input.parse::<syn::Ident>()?;
                    input.parse::<syn::Token![,]>()?;
                    let kind: syn::Ident = input.parse()?;
                    let ty = if kind == "insert" {
                        input.parse::<syn::Ident>()?;
                        None
                    } else {
                        Some(input.parse::<syn::Type>()?)
                    };
                    if input.parse::<Option<syn::Token![,]>>()?.is_some() {
                        // `, null name "doc"`
                        input.parse::<syn::Ident>()?;
                        input.parse::<syn::Ident>()?;
                        input.parse::<syn::LitStr>()?;
                    }
                    Ok(ty)
                })
                .expect("a setter! the test understands");
            if let Some(ty) = ty {
                self.visit_type(&ty);
            }
            self.setters += 1;
        }
        visit::visit_impl_item_macro(self, item);
    }

    /// Derives name macros, which no type shadows; but serde resolves the paths in
    /// `skip_serializing_if = "…"` in the module's scope.
    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        if !attr.path().is_ident("serde") {
            return;
        }
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("skip_serializing_if") {
                let text: syn::LitStr = meta.value()?.parse()?;
                self.path(&text.parse::<syn::Path>()?, true);
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        })
        .expect("a serde attribute the test understands");
    }
}

fn generated_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut dirs = vec![
        "generated-client/src/generated".to_owned(),
        "tests/fixture-client/src/generated".to_owned(),
    ];
    // The part crates of a client too large for one (codegen::plan::parts).
    for krate in ["generated-client", "tests/fixture-client"] {
        let Ok(parts) = std::fs::read_dir(workspace_root().join(krate).join("groups")) else {
            continue;
        };
        let mut parts: Vec<String> = parts
            .map(|e| {
                e.expect("a directory entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|name| !name.starts_with('.'))
            .map(|name| format!("{krate}/groups/{name}/src/generated"))
            .collect();
        parts.sort();
        dirs.extend(parts);
    }
    assert!(
        dirs.len() > 2,
        "the whole API is compiled in parts: generated-client/groups/*"
    );
    for dir in dirs {
        let mut entries: Vec<_> = std::fs::read_dir(workspace_root().join(&dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "rs"))
            .collect();
        entries.sort();
        for path in entries {
            let text = std::fs::read_to_string(&path).expect("generated files are UTF-8");
            files.push((path.display().to_string(), text));
        }
    }
    files
}

#[test]
fn generated_code_names_only_reserved_prelude_items_unqualified() {
    // The crates a generated file may name by path: the generated crate's own dependencies.
    let crates: BTreeSet<String> = codegen::assemble::standalone::GENERATED_CODE_DEPENDENCIES
        .lines()
        .filter_map(|line| line.split_once(" = "))
        .map(|(name, _)| name.trim().replace('-', "_"))
        .collect();
    let mut all_used = BTreeSet::new();
    let mut setters = 0;
    for (path, text) in generated_files() {
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{path} parses: {e}"));
        let mut names = Names::default();
        names.visit_file(&file);
        let shadowing: Vec<_> = names
            .defined
            .iter()
            .filter(|n| reserved::PRELUDE.contains(&n.as_str()))
            .collect();
        assert!(
            shadowing.is_empty(),
            "{path} defines types that shadow prelude names: {shadowing:?}"
        );
        let unlisted: Vec<_> = names
            .used
            .iter()
            .filter(|n| {
                !names.defined.contains(*n)
                    && !crates.contains(*n)
                    && !reserved::PRELUDE.contains(&n.as_str())
            })
            .collect();
        assert!(
            unlisted.is_empty(),
            "{path} names {unlisted:?} unqualified; add them to names::reserved::PRELUDE so no generated type shadows them"
        );
        all_used.extend(names.used);
        setters += names.setters;
    }
    assert!(setters > 0, "the scan reads the setter! lines");
    // The scan sees the names it exists for.
    for name in [
        "Option",
        "Some",
        "String",
        "Vec",
        "Into",
        "i64",
        "serde_json",
    ] {
        assert!(
            all_used.contains(name),
            "the scan missed `{name}`: {all_used:?}"
        );
    }
}
