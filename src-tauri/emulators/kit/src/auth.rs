//! HTTP Basic credentials, which both gateways accept (Stripe with the key as user name,
//! CardPointe with an API user and password).

use axum::http::HeaderMap;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

/// The scheme and the rest of the `Authorization` header, scheme lower-cased.
pub fn authorization(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get("authorization")?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(' ')?;
    Some((scheme.to_ascii_lowercase(), rest.trim().to_string()))
}

/// User name and password from `Authorization: Basic …`; `None` for any other scheme or a header
/// that does not decode.
pub fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let (scheme, encoded) = authorization(headers)?;
    if scheme != "basic" {
        return None;
    }
    let decoded = String::from_utf8(BASE64.decode(encoded).ok()?).ok()?;
    let (user, password) = decoded.split_once(':').unwrap_or((decoded.as_str(), ""));
    Some((user.to_string(), password.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_basic_credentials() {
        let mut headers = HeaderMap::new();
        // "user:pa:ss" — a colon may appear in the password.
        headers.insert("authorization", HeaderValue::from_static("Basic dXNlcjpwYTpzcw=="));
        assert_eq!(basic(&headers), Some(("user".into(), "pa:ss".into())));
        headers.insert("authorization", HeaderValue::from_static("Bearer abc"));
        assert_eq!(basic(&headers), None);
        assert_eq!(authorization(&headers), Some(("bearer".into(), "abc".into())));
        headers.insert("authorization", HeaderValue::from_static("Basic ???"));
        assert_eq!(basic(&headers), None);
    }
}
