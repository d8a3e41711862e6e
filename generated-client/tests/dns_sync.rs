//! A user's code and its tests against the local Cloudflare API (feature `mock`): a function
//! that syncs a zone's A records, tested for paging, a rate limit and an error the API answers.
//! The README's "Testing your code" section shows this file whole; runtime/tests/readme.rs
//! keeps that copy true.

use std::collections::BTreeMap;
use std::time::Duration;

use cloudflare_client::dns_records_for_a_zone::{
    CreateDnsRecordBodyARecord, ListDnsRecordsItem, ListDnsRecordsParams, Type,
};
use cloudflare_client::mock::{self, Fault, Times};
use cloudflare_client::{Client, Error};
use futures::TryStreamExt;

/// What [`sync_a_records`] did.
#[derive(Debug, Default, PartialEq)]
pub struct Synced {
    pub created: Vec<String>,
    pub deleted: Vec<String>,
    /// The records the API refused, with its error codes.
    pub refused: Vec<(String, Vec<i64>)>,
}

/// The code under test: makes the zone's A records those of `desired` (name to address),
/// creating what is missing and deleting what differs. A record the API refuses (HTTP 400) is
/// reported, and the others are still synced.
pub async fn sync_a_records(
    client: &Client,
    zone_id: &str,
    desired: &BTreeMap<String, String>,
) -> Result<Synced, Error> {
    let dns = client.dns_records_for_a_zone();
    let a_records = ListDnsRecordsParams::new().type_(Type::A);
    let existing: Vec<ListDnsRecordsItem> = dns
        .list_dns_records(zone_id, &a_records)
        .items()
        .try_collect()
        .await?;
    let mut synced = Synced::default();
    let mut in_place = Vec::new();
    for record in &existing {
        let (Some(id), Some(name)) = (&record.id, &record.name) else {
            continue;
        };
        match desired.get(name) {
            Some(address) if record.content.as_ref() == Some(address) => in_place.push(name),
            _ => {
                dns.delete_dns_record(zone_id, id).send().await?;
                synced.deleted.push(name.clone());
            }
        }
    }
    for (name, address) in desired {
        if in_place.contains(&name) {
            continue;
        }
        let record = CreateDnsRecordBodyARecord::new()
            .name(name)
            .content(address)
            .ttl(1.0);
        match dns.create_dns_record(zone_id, &record.into()).send().await {
            Ok(_) => synced.created.push(name.clone()),
            Err(error) if error.status().is_some_and(|s| s.as_u16() == 400) => {
                synced.refused.push((name.clone(), error.codes()));
            }
            Err(error) => return Err(error),
        }
    }
    Ok(synced)
}

const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";

fn hosts(range: std::ops::Range<usize>, address: &str) -> BTreeMap<String, String> {
    range
        .map(|i| (format!("host-{i:02}.example.com"), address.to_owned()))
        .collect()
}

/// The zone's A records as the API lists them now.
async fn records(client: &Client) -> Result<BTreeMap<String, String>, Error> {
    let all: Vec<ListDnsRecordsItem> = client
        .dns_records_for_a_zone()
        .list_dns_records(ZONE, &ListDnsRecordsParams::new())
        .items()
        .try_collect()
        .await?;
    Ok(all
        .into_iter()
        .filter_map(|r| Some((r.name?, r.content?)))
        .collect())
}

#[tokio::test]
async fn sync_reads_every_page_and_changes_only_what_differs()
-> Result<(), Box<dyn std::error::Error>> {
    let server = mock::start().await?;
    let client: Client = server.client();
    // The zone starts with 45 records: the mock keeps what is created, and lists it (filtered
    // by the documented parameters, `type=A` here) in pages of `mock::PAGE_SIZE` (20).
    sync_a_records(&client, ZONE, &hosts(0..45, "192.0.2.1")).await?;
    assert_eq!(records(&client).await?, hosts(0..45, "192.0.2.1"));

    // One record gone, one moved, one new.
    let mut desired = hosts(0..43, "192.0.2.1");
    desired.insert("host-44.example.com".into(), "192.0.2.2".into());
    desired.insert("www.example.com".into(), "192.0.2.3".into());
    let list = &mock::dns_records_for_a_zone::LIST_DNS_RECORDS;
    let listed_before = server.requests_to(list).len();
    let synced = sync_a_records(&client, ZONE, &desired).await?;
    assert_eq!(
        synced.deleted,
        ["host-43.example.com", "host-44.example.com"]
    );
    assert_eq!(synced.created, ["host-44.example.com", "www.example.com"]);
    assert!(synced.refused.is_empty());
    // 45 records: three pages, the last one short, and not one request more.
    let pages: Vec<String> = server.requests_to(list)[listed_before..]
        .iter()
        .map(|r| {
            let pairs: Vec<String> = r.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            pairs.join("&")
        })
        .collect();
    assert_eq!(pages, ["type=A", "type=A&page=2", "type=A&page=3"]);
    assert_eq!(records(&client).await?, desired);
    Ok(())
}

#[tokio::test]
async fn sync_waits_out_a_rate_limit() -> Result<(), Box<dyn std::error::Error>> {
    let server = mock::start().await?;
    let list = &mock::dns_records_for_a_zone::LIST_DNS_RECORDS;
    let retry_after = Duration::from_millis(50);
    server.fail(list, Fault::RateLimited { retry_after }, Times::Once);
    let client: Client = server.client();
    let synced = sync_a_records(&client, ZONE, &hosts(0..2, "192.0.2.1")).await?;
    assert_eq!(synced.created.len(), 2);
    // The client waited as told, then asked again.
    let statuses: Vec<u16> = server.requests_to(list).iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 200]);
    Ok(())
}

#[tokio::test]
async fn sync_reports_a_record_the_api_refuses_and_goes_on()
-> Result<(), Box<dyn std::error::Error>> {
    let server = mock::start().await?;
    let create = &mock::dns_records_for_a_zone::CREATE_DNS_RECORD;
    // What Cloudflare answers for an address it does not take; the docs cannot predict it, so
    // the test says it.
    let invalid = Fault::Error {
        status: 400,
        code: 9005,
        message: "Content for A record is invalid. Must be a valid IPv4 address".into(),
    };
    server.fail(create, invalid, Times::Once);
    let client: Client = server.client();
    let synced = sync_a_records(&client, ZONE, &hosts(0..3, "192.0.2.1")).await?;
    assert_eq!(
        synced.refused,
        [("host-00.example.com".to_owned(), vec![9005])]
    );
    assert_eq!(
        synced.created,
        ["host-01.example.com", "host-02.example.com"]
    );
    // What the code sent, as the mock received it (credentials never recorded).
    let sent = server.requests_to(create);
    assert_eq!(sent.len(), 3);
    let body = sent[0].json().expect("a JSON body");
    assert_eq!(body["name"], "host-00.example.com");
    assert_eq!(body["type"], "A");
    assert_eq!(sent[0].header("authorization"), Some("<redacted>"));
    Ok(())
}
