//! Uploading dispute evidence to Stripe: `POST /v1/files` as `multipart/form-data` with
//! `purpose=dispute_evidence`, keyed, pinned and retried like every other call of the client.
//!
//! Stripe takes uploads on its own host, `https://files.stripe.com` (its file upload guide: "Note
//! that the subdomain files.stripe.com is different than most of Stripe's API endpoints"). Any other
//! base (the emulator, a test proxy) serves `/v1/files` beside the rest of the API, so uploads go
//! there. A live key only ever reaches Stripe's hosts: [`StripeClient::new`] refused it elsewhere.
//!
//! The body is written here rather than by reqwest's `multipart` form, whose boundary is random per
//! form: a retry must send the very same bytes under the same idempotency key, or Stripe (and the
//! emulator) would take it for another request with that key (`idempotency_error`) instead of
//! answering with the file the first attempt made.

use std::time::Duration;

use serde_json::Value;

use super::{is_stripe, Response, StripeClient, StripeError, API_VERSION};

/// Where Stripe takes file uploads when the client talks to Stripe itself.
pub const FILES_BASE: &str = "https://files.stripe.com";

/// The purpose every upload of ours carries: evidence for a dispute.
pub const PURPOSE: &str = "dispute_evidence";

/// How long one attempt may take: a 5 MB file over a restaurant's slow upstream line (about
/// 300 kbit/s) still arrives, where the client's 60 s for ordinary calls would cut it off.
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(180);

/// The base an upload goes to: Stripe's file host for Stripe's API, the same base otherwise.
pub fn files_base_url(api_base: &str) -> &str {
    if is_stripe(api_base) {
        FILES_BASE
    } else {
        api_base
    }
}

impl StripeClient {
    /// Uploads `bytes` as dispute evidence (`purpose=dispute_evidence`), as the platform
    /// (`account = None`) or as a connected account, under the idempotency key `key`, retried on
    /// transient failures with the same key and the same bytes. `name` is the file's name as the
    /// person picked it (only its last path component is sent: Stripe never learns where the file
    /// lay on this computer); `mime` its content type. Check the file first
    /// ([`crate::disputes::attachments::check`]): Stripe refuses other types and larger files.
    pub async fn upload_file(
        &self,
        account: Option<&str>,
        name: &str,
        mime: &str,
        bytes: Vec<u8>,
        key: &str,
    ) -> Result<Response<Value>, StripeError> {
        let (content_type, body) = multipart_body(name, mime, &bytes, key);
        let url = format!("{}/v1/files", files_base_url(&self.base_url));
        self.with_retries("POST", "/v1/files", || {
            let mut request = self
                .http
                .post(&url)
                .bearer_auth(self.key.expose())
                .header("Stripe-Version", API_VERSION)
                .header("Idempotency-Key", key)
                .header(reqwest::header::CONTENT_TYPE, content_type.as_str())
                .timeout(UPLOAD_TIMEOUT)
                .body(body.clone());
            if let Some(account) = account {
                request = request.header("Stripe-Account", account);
            }
            request
        })
        .await
    }
}

/// The `Content-Type` header and the body: the purpose, then the file. The boundary comes from
/// the idempotency key, so every attempt of one upload is byte for byte the same request.
fn multipart_body(name: &str, mime: &str, bytes: &[u8], key: &str) -> (String, Vec<u8>) {
    let boundary = boundary_for(key, bytes);
    let mut body = Vec::with_capacity(bytes.len() + 512);
    let part = |body: &mut Vec<u8>, headers: &str| {
        body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
    };
    part(&mut body, "Content-Disposition: form-data; name=\"purpose\"");
    body.extend_from_slice(PURPOSE.as_bytes());
    body.extend_from_slice(b"\r\n");
    let headers = format!(
        "Content-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: {}",
        quoted_file_name(name),
        content_type(mime)
    );
    part(&mut body, &headers);
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A boundary the file does not contain, the same for the same key and file.
fn boundary_for(key: &str, bytes: &[u8]) -> String {
    (0u32..)
        .map(|round| format!("MerchantDesk-{:016x}{:08x}", fnv1a(key.as_bytes(), round), round))
        .find(|b| !contains(bytes, b.as_bytes()))
        .unwrap_or_default()
}

fn fnv1a(data: &[u8], salt: u32) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in salt.to_le_bytes().iter().chain(data) {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The file's own name, without the folders it lay in, fit for a quoted header parameter (quotes
/// and line breaks percent-encoded, as browsers do); `evidence` if nothing is left.
fn quoted_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let last = if last.is_empty() { "evidence" } else { last };
    last.chars()
        .map(|c| match c {
            '"' => "%22".to_string(),
            '\r' => "%0D".to_string(),
            '\n' => "%0A".to_string(),
            c if c.is_control() => String::new(),
            c => c.to_string(),
        })
        .collect()
}

/// `mime` if it is a plain `type/subtype`, else the neutral `application/octet-stream`: a header
/// is never built from text that could break out of it.
fn content_type(mime: &str) -> &str {
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b));
    match mime.split_once('/') {
        Some((kind, sub)) if plain(kind) && plain(sub) => mime,
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_go_to_files_stripe_com_only_from_stripe_itself() {
        assert_eq!(files_base_url("https://api.stripe.com"), FILES_BASE);
        assert_eq!(files_base_url("http://127.0.0.1:12111"), "http://127.0.0.1:12111");
        assert_eq!(files_base_url("https://stripe-proxy.example.com"), "https://stripe-proxy.example.com");
    }

    #[test]
    fn the_body_is_the_same_for_the_same_key_and_differs_for_another() {
        let (ct1, b1) = multipart_body("receipt.png", "image/png", b"PNG data", "key-1");
        let (ct2, b2) = multipart_body("receipt.png", "image/png", b"PNG data", "key-1");
        let (ct3, _) = multipart_body("receipt.png", "image/png", b"PNG data", "key-2");
        assert_eq!((ct1.as_str(), &b1), (ct2.as_str(), &b2));
        assert_ne!(ct1, ct3);
        let text = String::from_utf8_lossy(&b1);
        assert!(text.contains("name=\"purpose\"\r\n\r\ndispute_evidence\r\n"), "{text}");
        assert!(text.contains("filename=\"receipt.png\"\r\nContent-Type: image/png\r\n\r\nPNG data\r\n--"), "{text}");
        let boundary = ct1.trim_start_matches("multipart/form-data; boundary=");
        assert!(text.ends_with(&format!("\r\n--{boundary}--\r\n")));
    }

    #[test]
    fn a_boundary_never_occurs_in_the_file() {
        let first = boundary_for("k", b"");
        let (_, body) = multipart_body("x.pdf", "application/pdf", first.as_bytes(), "k");
        let text = String::from_utf8_lossy(&body);
        let used = text.lines().next().unwrap_or_default().trim_start_matches("--").to_string();
        assert_ne!(used, first);
        assert_eq!(text.matches(&format!("--{used}")).count(), 3);
    }

    #[test]
    fn names_and_types_cannot_break_the_headers() {
        assert_eq!(quoted_file_name(r"C:\Users\ana\Desktop\receipt 12.pdf"), "receipt 12.pdf");
        assert_eq!(quoted_file_name("/home/ana/a\"b\r\nc.png"), "a%22b%0D%0Ac.png");
        assert_eq!(quoted_file_name("/tmp/"), "evidence");
        assert_eq!(quoted_file_name("Café menu.pdf"), "Café menu.pdf");
        assert_eq!(content_type("application/pdf"), "application/pdf");
        assert_eq!(content_type("image/png\r\nX-Evil: 1"), "application/octet-stream");
        assert_eq!(content_type(""), "application/octet-stream");
    }
}
