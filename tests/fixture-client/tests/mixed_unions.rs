//! Unions of values of several JSON types (`mixed_unions.md`, whose overlay says
//! `{"*one of*": ["*integer*", "*string*"]}` and the like), decoded exactly from a wiremock
//! server on 127.0.0.1: each value is the variant of its JSON type (an integral number the
//! integer's, another the number's), objects among them by their tag, a lone object any
//! object; what was read is written back as received. A value of a type no variant has is
//! kept in `Unknown` and reported (an error in strict mode), never read as another variant.

use fixture_client::mixed_unions::{
    DeleteImageResponse, GetSpectrumAppResponse, GetSpectrumAppResponseAuthentication as Auth,
    GetSpectrumAppResponseAuthenticationArray as AuthItem,
    GetSpectrumAppResponseHealthCheckTarget as Target, GetSpectrumAppResponseOriginPort as Port,
    GetSpectrumAppResponseRunWorkerFirst as RunFirst, GetSpectrumAppResponseSince as Since,
    GetSpectrumAppResponseValues as Scalar,
};
use fixture_client::{Client, Error, Response};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP: &str = "/zones/z/spectrum/apps/a";
const IMAGE: &str = "/accounts/acc/images/i";

async fn serve(verb: &str, route: &str, result: Value) -> MockServer {
    let server = MockServer::start().await;
    let body = json!({"success": true, "errors": [], "messages": [], "result": result});
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, strict: bool) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_token("token")
        .max_retries(0)
        .strict(strict)
        .build()
        .unwrap()
}

async fn app(server: &MockServer, strict: bool) -> Result<Response<GetSpectrumAppResponse>, Error> {
    client(server, strict)
        .mixed_unions()
        .get_spectrum_app("z", "a")
        .send()
        .await
}

fn basic(user: &str) -> Value {
    json!({"scheme": "httpbasic", "user": user, "password": "secret"})
}

#[tokio::test]
async fn each_value_is_the_variant_of_its_json_type_and_is_written_back() {
    let cases = [
        json!({
            "origin_port": 443,
            "since": "2026-12-01T00:00:00Z",
            "values": ["a", 7, 1.5, true],
            "run_worker_first": true,
            "health_check": {"target": {"effective": "10.0.0.1", "saved": "10.0.0.2"}},
            "authentication": basic("ann"),
        }),
        json!({
            "origin_port": "443-445",
            "since": 1764547200,
            "values": [-3, 0.25],
            "run_worker_first": ["/api/*", "!/static/*"],
            "health_check": {"target": "10.0.0.3"},
            "authentication": [basic("bob"), {"scheme": "oauthbearertoken", "token": "t"}],
        }),
    ];
    for result in cases {
        let server = serve("GET", APP, result.clone()).await;
        for strict in [false, true] {
            let response = app(&server, strict).await.unwrap();
            assert!(response.warnings.is_empty(), "{:?}", response.warnings);
            let data: GetSpectrumAppResponse = response.data;
            assert_eq!(
                serde_json::to_value(&data).unwrap(),
                result,
                "strict {strict}"
            );
            let target = data.health_check.as_ref().and_then(|h| h.target.as_ref());
            match result["origin_port"].as_i64() {
                Some(_) => {
                    assert_eq!(data.origin_port, Some(Port::Integer(443)));
                    assert_eq!(
                        data.since,
                        Some(Since::Text("2026-12-01T00:00:00Z".to_owned()))
                    );
                    assert_eq!(
                        data.values,
                        Some(vec![
                            Scalar::Text("a".to_owned()),
                            Scalar::Integer(7),
                            Scalar::Number(1.5),
                            Scalar::Boolean(true),
                        ])
                    );
                    assert_eq!(data.run_worker_first, Some(RunFirst::Boolean(true)));
                    let Some(Target::Object(object)) = target else {
                        panic!("{target:?}")
                    };
                    assert_eq!(object.effective.as_deref(), Some("10.0.0.1"));
                    assert_eq!(object.saved.as_deref(), Some("10.0.0.2"));
                    let Some(Auth::Httpbasic(auth)) = &data.authentication else {
                        panic!("{:?}", data.authentication)
                    };
                    assert_eq!(auth.user.as_deref(), Some("ann"));
                }
                None => {
                    assert_eq!(data.origin_port, Some(Port::Text("443-445".to_owned())));
                    assert_eq!(data.since, Some(Since::Integer(1764547200)));
                    assert_eq!(
                        data.values,
                        Some(vec![Scalar::Integer(-3), Scalar::Number(0.25)])
                    );
                    let patterns = vec!["/api/*".to_owned(), "!/static/*".to_owned()];
                    assert_eq!(data.run_worker_first, Some(RunFirst::Array(patterns)));
                    assert_eq!(target, Some(&Target::Text("10.0.0.3".to_owned())));
                    let Some(Auth::Array(items)) = &data.authentication else {
                        panic!("{:?}", data.authentication)
                    };
                    assert!(
                        matches!(items.as_slice(), [AuthItem::Httpbasic(b), AuthItem::Oauthbearertoken(o)]
                            if b.user.as_deref() == Some("bob") && o.token.as_deref() == Some("t")),
                        "{items:?}"
                    );
                }
            }
        }
    }
}

/// A boolean where a port is an integer or a string, an object where it is neither, a
/// fraction where only integers and strings are documented: each kept in `Unknown` as
/// received, reported with its path and what was expected, and written back.
#[tokio::test]
async fn a_value_of_a_type_no_variant_has_is_unknown_and_reported() {
    for (port, found) in [
        (json!(true), "boolean"),
        (json!({"from": 1}), "object"),
        (json!(2.5), "number"),
    ] {
        let result = json!({"id": "a", "origin_port": port});
        let server = serve("GET", APP, result.clone()).await;
        let response = app(&server, false).await.unwrap();
        assert_eq!(response.data.origin_port, Some(Port::Unknown(port.clone())));
        assert_eq!(serde_json::to_value(&response.data).unwrap(), result);
        let [warning] = response.warnings.as_slice() else {
            panic!("{:?}", response.warnings)
        };
        assert_eq!(warning.path, "result.origin_port");
        assert_eq!(&*warning.expected, "an integer or a string");
        assert_eq!(warning.found, found);
        assert_eq!(warning.raw, port);
        let strict = app(&server, true).await;
        assert!(matches!(strict, Err(Error::Decode { .. })), "{strict:?}");
    }
}

/// An object whose tag no variant lists is unknown, as in a union of objects only; so is a
/// `null` element of a list of scalars, which the docs do not let be `null`.
#[tokio::test]
async fn an_unlisted_tag_or_a_null_element_is_unknown() {
    let result = json!({
        "authentication": {"scheme": "mtls", "cert": "c"},
        "values": ["a", null],
    });
    let server = serve("GET", APP, result.clone()).await;
    let response = app(&server, false).await.unwrap();
    let data = response.data;
    assert_eq!(
        data.authentication,
        Some(Auth::Unknown(json!({"scheme": "mtls", "cert": "c"})))
    );
    assert_eq!(
        data.values,
        Some(vec![
            Scalar::Text("a".to_owned()),
            Scalar::Unknown(Value::Null)
        ])
    );
    assert_eq!(serde_json::to_value(&data).unwrap(), result);
    let mut paths: Vec<&str> = response.warnings.iter().map(|w| w.path.as_str()).collect();
    paths.sort();
    assert_eq!(paths, ["result.authentication", "result.values[1]"]);
}

/// The array variant's elements are decoded as any array's: one of another type leaves the
/// whole value in `Unknown`, as received and reported; the rest of the object decodes.
#[tokio::test]
async fn an_array_variant_with_an_element_of_another_type_is_unknown() {
    let result = json!({"id": "a", "run_worker_first": ["/api/*", 7]});
    let server = serve("GET", APP, result.clone()).await;
    let response = app(&server, false).await.unwrap();
    assert_eq!(response.data.id.as_deref(), Some("a"));
    assert_eq!(
        response.data.run_worker_first,
        Some(RunFirst::Unknown(json!(["/api/*", 7])))
    );
    assert_eq!(serde_json::to_value(&response.data).unwrap(), result);
    let [warning] = response.warnings.as_slice() else {
        panic!("{:?}", response.warnings)
    };
    assert_eq!(warning.path, "result.run_worker_first");
    assert_eq!(&*warning.expected, "an array as documented");
    assert_eq!(warning.raw, json!(["/api/*", 7]));
    let strict = app(&server, true).await;
    assert!(matches!(strict, Err(Error::Decode { .. })), "{strict:?}");
}

#[tokio::test]
async fn data_that_is_a_string_or_an_object_is_its_variant() {
    for result in [json!("deleted"), json!({"id": "i"})] {
        let server = serve("DELETE", IMAGE, result.clone()).await;
        let response = client(&server, true)
            .mixed_unions()
            .delete_image("acc", "i")
            .send()
            .await
            .unwrap();
        let data: DeleteImageResponse = response.data;
        match &data {
            DeleteImageResponse::Text(text) => assert_eq!(text, "deleted"),
            DeleteImageResponse::Object(object) => assert_eq!(object.id.as_deref(), Some("i")),
            other => panic!("{other:?}"),
        }
        assert_eq!(serde_json::to_value(&data).unwrap(), result);
    }
}
