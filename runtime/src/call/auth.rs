//! Credentials and the [`Secret`] wrapper that keeps them out of logs.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use crate::error::Error;

/// Text that must never be printed: an API token, an API key, a user service key.
///
/// `Debug` and `Display` print `[redacted]`; the value is only read when the
/// request headers are built, and those headers are marked sensitive so the
/// HTTP stack does not log them either.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself. Use it only to hand the value to something that
    /// needs it, never to print it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// The credentials a [`Client`](crate::Client) sends with every request.
///
/// Every configured kind is sent, as the official SDKs do: an API token as
/// `Authorization: Bearer …`, an API key with its e-mail as `X-Auth-Key` and
/// `X-Auth-Email`, a user service key as `X-Auth-User-Service-Key`.
/// `Debug` shows which kinds are configured, never their values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// API token, sent as `Authorization: Bearer <token>`.
    pub api_token: Option<Secret>,
    /// Global API key and the account e-mail, sent as `X-Auth-Key` and `X-Auth-Email`.
    pub api_key: Option<(Secret, Secret)>,
    /// Origin CA user service key, sent as `X-Auth-User-Service-Key`.
    pub user_service_key: Option<Secret>,
}

impl Credentials {
    /// True when no credential is configured.
    pub fn is_empty(&self) -> bool {
        self.api_token.is_none() && self.api_key.is_none() && self.user_service_key.is_none()
    }

    /// The names of the configured kinds, for diagnostics.
    pub fn kinds(&self) -> Vec<&'static str> {
        let mut kinds = Vec::new();
        if self.api_token.is_some() {
            kinds.push("api_token");
        }
        if self.api_key.is_some() {
            kinds.push("api_key+email");
        }
        if self.user_service_key.is_some() {
            kinds.push("user_service_key");
        }
        kinds
    }

    /// Builds the authentication headers, each marked sensitive.
    pub(crate) fn headers(&self) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        if let Some(token) = &self.api_token {
            insert(
                &mut headers,
                AUTHORIZATION,
                &format!("Bearer {}", token.expose()),
                "api_token",
            )?;
        }
        if let Some((key, email)) = &self.api_key {
            insert(
                &mut headers,
                HeaderName::from_static("x-auth-key"),
                key.expose(),
                "api_key",
            )?;
            insert(
                &mut headers,
                HeaderName::from_static("x-auth-email"),
                email.expose(),
                "email",
            )?;
        }
        if let Some(key) = &self.user_service_key {
            insert(
                &mut headers,
                HeaderName::from_static("x-auth-user-service-key"),
                key.expose(),
                "user_service_key",
            )?;
        }
        Ok(headers)
    }
}

fn insert(headers: &mut HeaderMap, name: HeaderName, value: &str, what: &str) -> Result<(), Error> {
    // The error names the credential, never its value.
    let mut value = HeaderValue::from_str(value).map_err(|_| Error::Config {
        message: format!("the {what} contains characters that are not allowed in an HTTP header"),
    })?;
    value.set_sensitive(true);
    headers.insert(name, value);
    Ok(())
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |present: bool| if present { Some("[redacted]") } else { None };
        f.debug_struct("Credentials")
            .field("api_token", &redacted(self.api_token.is_some()))
            .field("api_key", &redacted(self.api_key.is_some()))
            .field(
                "user_service_key",
                &redacted(self.user_service_key.is_some()),
            )
            .finish()
    }
}
