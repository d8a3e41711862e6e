//! The README quotes the retry constants and a listing's kept warnings, and shows a test file
//! whole; this keeps the quotes true.

use std::time::Duration;

use cloudflare_client_runtime::{LISTING_WARNINGS_KEPT, retry};

fn human(d: Duration) -> String {
    if d.as_millis() % 1000 == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

#[test]
fn readme_quotes_the_retry_constants() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README");
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let quotes = [
        format!("DEFAULT_MAX_RETRIES = {}", retry::DEFAULT_MAX_RETRIES),
        format!("INITIAL_BACKOFF = {}", human(retry::INITIAL_BACKOFF)),
        format!("MAX_BACKOFF = {}", human(retry::MAX_BACKOFF)),
        format!("BACKOFF_JITTER = {}", retry::BACKOFF_JITTER),
        format!("MAX_RETRY_AFTER = {}", human(retry::MAX_RETRY_AFTER)),
        format!("DEFAULT_TIMEOUT = {}", human(retry::DEFAULT_TIMEOUT)),
        format!(
            "DEFAULT_CONNECT_TIMEOUT = {}",
            human(retry::DEFAULT_CONNECT_TIMEOUT)
        ),
        format!("the first {LISTING_WARNINGS_KEPT} are kept in full"),
    ];
    for quote in quotes {
        assert!(readme.contains(&quote), "README.md should say `{quote}`");
    }
}

/// The README's mock example is generated-client/tests/dns_sync.rs whole, which `cargo test`
/// runs: the copy must not drift from the file.
#[test]
fn readme_shows_the_mock_example_as_tested() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README");
    let test = std::fs::read_to_string(format!("{root}/generated-client/tests/dns_sync.rs"))
        .expect("generated-client/tests/dns_sync.rs");
    assert!(
        readme.contains(&format!("```rust,ignore\n{test}```\n")),
        "README.md should show generated-client/tests/dns_sync.rs whole, in a rust,ignore block"
    );
}
