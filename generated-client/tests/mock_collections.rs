//! The collections the crate's local API keeps state for (feature `mock`), over the whole API:
//! each found by the REST pattern must take a POST and have an endpoint one `{id}` below it. `cargo test -p cloudflare-client --test mock_collections -- --nocapture` prints
//! them, with their count.

use cloudflare_client::mock;

#[test]
fn every_collection_takes_a_post_and_has_an_item_path_below_it() {
    let endpoints = mock::endpoints();
    let collections = mock::collections(&endpoints);
    let by_name = |name: &str| {
        endpoints
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("`{name}` is an endpoint"))
    };
    let mut acting = 0;
    for (template, names) in &collections {
        let acts: Vec<(&str, &str)> = names
            .iter()
            .map(|name| {
                let endpoint = by_name(name);
                (endpoint.method, endpoint.template)
            })
            .collect();
        assert!(
            acts.contains(&("POST", template)),
            "{template}: no POST in {acts:?}"
        );
        // An item below it, one `{id}` down (its own data may sit outside the envelope, so
        // not every such endpoint acts on the state).
        let below = |t: &str| {
            t.strip_prefix(template).is_some_and(|rest| {
                rest.starts_with("/{") && rest.ends_with('}') && !rest[1..].contains('/')
            })
        };
        assert!(
            endpoints.iter().any(|e| below(e.template)),
            "{template}: no endpoint one {{id}} below it"
        );
        acting += names.len();
        eprintln!("{template}: {}", names.join(", "));
    }
    // The one the README's example syncs.
    let dns = &collections["/zones/{zone_id}/dns_records"];
    for name in [
        "dns_records_for_a_zone::create_dns_record",
        "dns_records_for_a_zone::list_dns_records",
        "dns_records_for_a_zone::delete_dns_record",
    ] {
        assert!(dns.contains(&name), "{name} in {dns:?}");
    }
    eprintln!(
        "{} collections, {acting} of the {} endpoints acting on them",
        collections.len(),
        endpoints.len()
    );
}
