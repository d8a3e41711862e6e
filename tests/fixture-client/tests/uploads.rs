//! Bodies of other media types than JSON on the wire (`uploads.md` and its overlay), against
//! a wiremock server on 127.0.0.1, byte for byte: a Workers-style module upload (`metadata`
//! as one `application/json` part, two files each a part with its file name and media type),
//! an image upload (text parts, a list as a part each), an ndjson body of bytes, a form body,
//! and a JSON body of its own media type (`application/scim+json`).

use fixture_client::Error;
use fixture_client::runtime::FilePart;
use fixture_client::uploads::{
    CreateLogoBody, CreateScimUserBody, UploadImageBody, UploadWorkerModuleBody,
    UploadWorkerModuleBodyMetadata, UploadWorkerModuleBodyMetadataBindingsItem,
    UploadWorkerModuleBodyMetadataBindingsItemType,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

const OK: &str = r#"{"success":true,"errors":[],"messages":[],"result":{"id":"x"}}"#;

async fn server(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_string(OK))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> fixture_client::Client {
    fixture_client::Client::builder()
        .base_url(server.uri())
        .api_token("token")
        .max_retries(0)
        .build()
        .unwrap()
}

/// The request's one `Content-Type`.
fn content_type(request: &wiremock::Request) -> String {
    let values: Vec<_> = request.headers.get_all("content-type").iter().collect();
    assert_eq!(values.len(), 1, "{values:?}");
    values[0].to_str().unwrap().to_owned()
}

/// The body with the boundary its `Content-Type` names written `BOUNDARY`.
fn multipart_body(request: &wiremock::Request) -> String {
    let content_type = content_type(request);
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    assert!(!boundary.is_empty() && boundary.len() <= 70, "{boundary}");
    String::from_utf8(request.body.clone())
        .unwrap()
        .replace(boundary, "BOUNDARY")
}

#[tokio::test]
async fn a_worker_module_upload_sends_metadata_as_one_json_part_and_a_part_per_file() {
    let server = server(200).await;
    let body = UploadWorkerModuleBody::new()
        .metadata(
            UploadWorkerModuleBodyMetadata::new()
                .main_module("worker.js")
                .compatibility_date("2026-12-01")
                .bindings([UploadWorkerModuleBodyMetadataBindingsItem::new()
                    .name("CACHE")
                    .type_(UploadWorkerModuleBodyMetadataBindingsItemType::KvNamespace)]),
        )
        .files([
            FilePart::new(
                "worker.js",
                "application/javascript+module",
                "import { x } from \"./lib.js\";\nexport default { fetch() { return x(); } };\n",
            ),
            FilePart::new(
                "lib.js",
                "application/javascript+module",
                "export const x = () => new Response(\"hi\");\n",
            ),
        ]);
    client(&server)
        .uploads()
        .upload_worker_module("acc", "my-worker", &body)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(
        request.url.path(),
        "/accounts/acc/workers/scripts/my-worker"
    );
    assert_eq!(
        multipart_body(request),
        "--BOUNDARY\r\n\
         Content-Disposition: form-data; name=\"metadata\"\r\n\
         Content-Type: application/json\r\n\
         \r\n\
         {\"main_module\":\"worker.js\",\"compatibility_date\":\"2026-12-01\",\"bindings\":[{\"name\":\"CACHE\",\"type\":\"kv_namespace\"}]}\r\n\
         --BOUNDARY\r\n\
         Content-Disposition: form-data; name=\"files\"; filename=\"worker.js\"\r\n\
         Content-Type: application/javascript+module\r\n\
         \r\n\
         import { x } from \"./lib.js\";\nexport default { fetch() { return x(); } };\n\r\n\
         --BOUNDARY\r\n\
         Content-Disposition: form-data; name=\"files\"; filename=\"lib.js\"\r\n\
         Content-Type: application/javascript+module\r\n\
         \r\n\
         export const x = () => new Response(\"hi\");\n\r\n\
         --BOUNDARY--\r\n"
    );
}

#[tokio::test]
async fn a_required_part_left_unset_fails_before_sending() {
    let server = server(200).await;
    let body = UploadWorkerModuleBody::new().files([FilePart::new("a.js", "text/plain", "1")]);
    let error = client(&server)
        .uploads()
        .upload_worker_module("acc", "w", &body)
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::InvalidRequest { message } => {
            assert_eq!(message, "missing required body field metadata")
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn text_fields_are_parts_without_a_media_type_and_a_list_is_a_part_each() {
    let server = server(200).await;
    let body = UploadImageBody::new()
        .file(FilePart::new(
            "cat.png",
            "image/png",
            vec![0x89, b'P', b'N', b'G'],
        ))
        .require_signed_urls(true)
        .tags(["a", "b"])
        .metadata(serde_json::json!({"k": 1}));
    client(&server)
        .uploads()
        .upload_image("acc", &body)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let content_type = content_type(&requests[0]);
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let mut expected = Vec::new();
    expected.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    expected.extend_from_slice(&[0x89, b'P', b'N', b'G']);
    expected.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"requireSignedURLs\"\r\n\r\ntrue\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nb\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":1}}\r\n\
             --{boundary}--\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(requests[0].body, expected);
}

#[tokio::test]
async fn a_retried_upload_sends_the_same_bytes() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_string(OK))
        .mount(&server)
        .await;
    let client = fixture_client::Client::builder()
        .base_url(server.uri())
        .api_token("token")
        .max_retries(1)
        .build()
        .unwrap();
    let body = UploadImageBody::new().url("https://example.com/cat.png");
    client
        .uploads()
        .upload_image("acc", &body)
        .retry_non_idempotent(true)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(content_type(&requests[0]), content_type(&requests[1]));
}

#[tokio::test]
async fn an_ndjson_body_is_sent_as_the_bytes_given() {
    let server = server(200).await;
    let lines = "{\"id\":\"a\",\"values\":[0.1,0.2]}\n{\"id\":\"b\",\"values\":[0.3,0.4]}\n";
    client(&server)
        .uploads()
        .insert_vectors("acc", "idx", lines)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(content_type(&requests[0]), "application/x-ndjson");
    assert_eq!(requests[0].body, lines.as_bytes());
}

#[tokio::test]
async fn bytes_go_out_unchanged() {
    let server = server(200).await;
    let bytes: Vec<u8> = (0..=255).collect();
    client(&server)
        .uploads()
        .put_object("acc", "b", "dir/k.bin", bytes.clone())
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(content_type(&requests[0]), "application/octet-stream");
    assert_eq!(
        requests[0].url.path(),
        "/accounts/acc/buckets/b/objects/dir%2Fk.bin"
    );
    assert_eq!(requests[0].body, bytes);
}

#[tokio::test]
async fn a_form_body_is_sent_as_form_pairs() {
    let server = server(200).await;
    let body = CreateLogoBody::new()
        .url("https://example.com/logo.png?a=1&b=2")
        .tag("brand & co")
        .sizes([16, 32]);
    client(&server)
        .uploads()
        .create_logo("acc", &body)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        content_type(&requests[0]),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        String::from_utf8(requests[0].body.clone()).unwrap(),
        "url=https%3A%2F%2Fexample.com%2Flogo.png%3Fa%3D1%26b%3D2&tag=brand+%26+co&sizes=16&sizes=32"
    );
}

#[tokio::test]
async fn a_json_body_of_its_own_media_type_says_it() {
    let server = server(201).await;
    let body = CreateScimUserBody::new().user_name("ada").active(true);
    client(&server)
        .uploads()
        .create_scim_user("acc", &body)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(content_type(&requests[0]), "application/scim+json");
    assert_eq!(
        String::from_utf8(requests[0].body.clone()).unwrap(),
        r#"{"userName":"ada","active":true}"#
    );
}
