//! `/v1/files`: multipart uploads (dispute evidence: PDF, JPEG or PNG up to 5 MB), list, retrieve.

use axum::extract::{Multipart, Path, State};
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::filters::{equals, Range};
use super::{list_filtered, retrieve_one};
use super::{lock, Ctx, Params};
use crate::state::Page;
use crate::{ApiError, SharedState};

/// Stripe's limit for a dispute evidence file.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;

const PURPOSES: &[&str] = &[
    "account_requirement",
    "additional_verification",
    "business_icon",
    "business_logo",
    "customer_signature",
    "dispute_evidence",
    "identity_document",
    "pci_document",
    "tax_document_user_upload",
    "terminal_reader_splashscreen",
];

/// The file type from its first bytes; the name's extension is not trusted.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF") {
        Some("pdf")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else {
        None
    }
}

pub async fn create(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    mut multipart: Multipart,
) -> Result<Json<Value>, ApiError> {
    let mut purpose = None;
    let mut file: Option<(Option<String>, Vec<u8>)> = None;
    while let Some(field) =
        multipart.next_field().await.map_err(|e| ApiError::invalid_request(format!("Malformed multipart body: {e}")))?
    {
        match field.name().unwrap_or_default() {
            "purpose" => {
                purpose = Some(field.text().await.map_err(|_| ApiError::invalid_request("Malformed purpose."))?)
            }
            "file" => {
                let name = field.file_name().map(str::to_string);
                let data = field.bytes().await.map_err(|_| ApiError::invalid_request("The file could not be read."))?;
                file = Some((name, data.to_vec()));
            }
            other => {
                if !other.starts_with("file_link_data") {
                    return Err(ApiError::invalid_param(
                        other,
                        "parameter_unknown",
                        format!("Received unknown parameter: {other}"),
                    ));
                }
            }
        }
    }
    let purpose = purpose.ok_or_else(|| super::params::missing("purpose"))?;
    if !PURPOSES.contains(&purpose.as_str()) {
        return Err(ApiError::invalid_param(
            "purpose",
            "parameter_invalid_string",
            format!("Invalid purpose: {purpose}"),
        ));
    }
    let (name, data) = file.ok_or_else(|| super::params::missing("file"))?;
    let kind = sniff(&data);
    if purpose == "dispute_evidence" {
        if kind.is_none() {
            return Err(ApiError::invalid_param(
                "file",
                "file_invalid",
                "Dispute evidence must be a PDF, JPEG or PNG file.",
            ));
        }
        if data.len() > MAX_EVIDENCE_BYTES {
            return Err(ApiError::invalid_param(
                "file",
                "file_too_large",
                format!(
                    "The file is {} bytes; dispute evidence can be at most {MAX_EVIDENCE_BYTES} bytes.",
                    data.len()
                ),
            ));
        }
    }
    let mut s = lock(&shared);
    let id = s.new_id("file");
    let now = s.now();
    let object = json!({
        "id": id,
        "object": "file",
        "created": now,
        "expires_at": now + 365 * 86_400,
        "filename": name,
        "links": { "object": "list", "data": [], "has_more": false, "url": format!("/v1/file_links?file={id}") },
        "purpose": purpose,
        "size": data.len(),
        "title": Value::Null,
        "type": kind,
        "url": format!("https://files.stripe.com/v1/files/{id}/contents"),
    });
    s.insert(ctx.scope.clone(), "file", object.clone());
    Ok(Json(object))
}

pub async fn list(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let purpose = params.str("purpose")?;
    list_filtered(&shared, &ctx, "file", "/v1/files", &page, &params, |v| {
        created.matches(v, "created") && equals(v, "purpose", &purpose)
    })
}

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    retrieve_one(&shared, &ctx, "file", &id, "file", &params)
}
