//! What is checked of an evidence file before anything is uploaded, and what the screen shows of
//! it. The type is read from the file's first bytes, never from its name: a program renamed
//! `receipt.pdf` is refused, and named for what it really is when we can tell.
//!
//! Stripe's limits (API 2023-08-16):
//! - one file: PDF, JPEG or PNG, at most 5 MB — the table of purposes in Stripe's file upload guide
//!   (<https://stripe.com/docs/guides/file-upload>: "dispute_evidence | Evidence to submit with a
//!   dispute response. | PDF JPEG PNG | 5MB"). We check 5,000,000 bytes: the lower reading of
//!   "5MB", and the one that matches the decimal sizes the screen shows (the emulator takes 5 MiB).
//! - one PDF: at most 50 pages — Stripe's upload error "The file you uploaded was too long. Please
//!   upload a file with fewer than 50 pages.", while a file of exactly 50 pages was taken (reported
//!   in <https://github.com/Automattic/woocommerce-payments/issues/555>).
//! - all files of one dispute together: about 4.5 MB. Stripe does not document it; saving evidence
//!   over it fails with "The files you've attached to this dispute as evidence will exceed the
//!   limit for a dispute's total size" (same issue, and #559 there: "couldn't find such a limit
//!   documented"); WooCommerce Payments checks 4.5 MB before upload (its pull request #2046). We
//!   check 4,500,000 bytes, the lower reading, so nothing we let through is refused at Save.
//!   (API 2026-09-30 adds a compiled page-count check on saving; our pinned version predates it.)

use serde::Serialize;
use specta::Type;

/// Stripe's limit for one dispute evidence file (see the module notes).
pub const MAX_FILE_BYTES: u64 = 5_000_000;

/// The most pages Stripe takes in one evidence PDF.
pub const MAX_PDF_PAGES: usize = 50;

/// What Stripe takes of evidence files for one dispute, all files together (see the module notes).
pub const MAX_COMBINED_BYTES: u64 = 4_500_000;

/// The file types Stripe takes as dispute evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    /// The type from the file's first bytes (its "magic number").
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if bytes.starts_with(PNG_SIGNATURE) {
            Some(FileKind::Png)
        } else {
            None
        }
    }

    /// The content type the upload carries.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }

    /// What the screen calls it.
    pub fn words(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF document",
            FileKind::Jpeg => "JPEG image",
            FileKind::Png => "PNG image",
        }
    }
}

const PNG_SIGNATURE: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// What the screen shows of a file that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AttachmentView {
    /// The file's name as picked, without its folders.
    pub name: String,
    pub kind: FileKind,
    /// "PDF document", "JPEG image", "PNG image".
    pub kind_words: String,
    #[specta(type = specta_typescript::Number)]
    pub bytes: u64,
    /// "1.2 MB", "350 KB", "900 bytes".
    pub size_words: String,
    /// A PDF's pages.
    #[specta(type = Option<specta_typescript::Number>)]
    pub pages: Option<usize>,
    /// An image's width and height in pixels.
    pub pixels: Option<(u32, u32)>,
    /// What the file is, in a line: "PDF document · 3 pages · 1.2 MB", "PNG image · 1200 × 900
    /// pixels · 350 KB".
    pub summary: String,
}

/// Why a file cannot be sent as evidence, in words for the manager who picked it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("“{name}” is empty: there is nothing in it to send. Pick the file again, or another one.")]
    Empty { name: String },
    #[error(
        "“{name}” is {}, not a PDF, JPEG or PNG file. Stripe takes only PDF documents and JPEG or PNG images as evidence: open it and save or export it as one of those, or pick another file.",
        .actually.unwrap_or("another kind of file")
    )]
    NotEvidenceType { name: String, actually: Option<&'static str> },
    #[error("“{name}” is {size}; Stripe takes evidence files of at most {limit} each. Make it smaller (a photo at a lower resolution, a PDF with fewer pages) and attach it again.")]
    TooLarge { name: String, size: String, limit: String },
    #[error("“{name}” has {pages} pages; Stripe takes PDFs of at most {limit} pages. Keep the pages that show your case and attach that file instead.")]
    TooManyPages { name: String, pages: usize, limit: usize },
    #[error("“{name}” is protected by a password, so the bank could not open it. Save a copy without the password and attach that.")]
    Encrypted { name: String },
    #[error("“{name}” looks like a {kind} but cannot be read: it may be damaged or incomplete. Open it on this computer, save it again, and attach the new copy.")]
    Damaged { name: String, kind: &'static str },
    #[error("Together the evidence files come to {total}; Stripe takes at most {limit} of files for one dispute. Remove a file or attach smaller copies.")]
    CombinedTooLarge { total: String, limit: String },
}

impl AttachmentError {
    /// A stable code for the screen to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            AttachmentError::Empty { .. } => "evidence_file_empty",
            AttachmentError::NotEvidenceType { .. } => "evidence_file_type",
            AttachmentError::TooLarge { .. } => "evidence_file_too_large",
            AttachmentError::TooManyPages { .. } => "evidence_file_too_many_pages",
            AttachmentError::Encrypted { .. } => "evidence_file_encrypted",
            AttachmentError::Damaged { .. } => "evidence_file_damaged",
            AttachmentError::CombinedTooLarge { .. } => "evidence_files_too_large",
        }
    }
}

/// Checks a picked file — type by content, size, a PDF's pages — and describes it, before
/// anything is sent. `name` may be a full path; only its last part is kept.
pub fn check(name: &str, bytes: &[u8]) -> Result<AttachmentView, AttachmentError> {
    let name = file_name(name);
    if bytes.is_empty() {
        return Err(AttachmentError::Empty { name });
    }
    let Some(kind) = FileKind::sniff(bytes) else {
        return Err(AttachmentError::NotEvidenceType { name, actually: what_it_is(bytes) });
    };
    let size = bytes.len() as u64;
    if size > MAX_FILE_BYTES {
        let (size, limit) = over_limit_words(size, MAX_FILE_BYTES);
        return Err(AttachmentError::TooLarge { name, size, limit });
    }
    let (pages, pixels) = match kind {
        FileKind::Pdf => (Some(pdf_pages(&name, bytes)?), None),
        FileKind::Png => {
            (None, Some(png_pixels(bytes).ok_or(AttachmentError::Damaged { name: name.clone(), kind: "PNG image" })?))
        }
        FileKind::Jpeg => {
            (None, Some(jpeg_pixels(bytes).ok_or(AttachmentError::Damaged { name: name.clone(), kind: "JPEG image" })?))
        }
    };
    if let Some(pages) = pages.filter(|&p| p > MAX_PDF_PAGES) {
        return Err(AttachmentError::TooManyPages { name, pages, limit: MAX_PDF_PAGES });
    }
    let mut summary = vec![kind.words().to_string()];
    match (pages, pixels) {
        (Some(1), _) => summary.push("1 page".into()),
        (Some(p), _) => summary.push(format!("{p} pages")),
        (_, Some((w, h))) => summary.push(format!("{w} × {h} pixels")),
        _ => {}
    }
    summary.push(size_words(size));
    Ok(AttachmentView {
        name,
        kind,
        kind_words: kind.words().into(),
        bytes: size,
        size_words: size_words(size),
        pages,
        pixels,
        summary: summary.join(" · "),
    })
}

/// Checks the files of one dispute together against Stripe's combined limit; the total if they fit.
pub fn check_combined(sizes: impl IntoIterator<Item = u64>) -> Result<u64, AttachmentError> {
    let total = sizes.into_iter().fold(0u64, u64::saturating_add);
    if total > MAX_COMBINED_BYTES {
        let (total, limit) = over_limit_words(total, MAX_COMBINED_BYTES);
        return Err(AttachmentError::CombinedTooLarge { total, limit });
    }
    Ok(total)
}

/// A size and the limit it is over, in words; in bytes when the rounded words would read the same
/// ("5,000,001 bytes" over "5 MB", never "5 MB" over "5 MB").
fn over_limit_words(size: u64, limit: u64) -> (String, String) {
    let (size_text, limit_text) = (size_words(size), size_words(limit));
    if size_text != limit_text {
        return (size_text, limit_text);
    }
    let digits = size.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    (format!("{grouped} bytes"), limit_text)
}

/// A size in words, in decimal units with one decimal below 10 ("850 KB", "1.2 MB", "12 MB"),
/// rounded down as file managers do.
pub fn size_words(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "KB")];
    for (unit, label) in UNITS {
        if bytes >= unit {
            let tenths = bytes / (unit / 10);
            return if tenths < 100 && tenths % 10 != 0 {
                format!("{}.{} {label}", tenths / 10, tenths % 10)
            } else {
                format!("{} {label}", tenths / 10)
            };
        }
    }
    if bytes == 1 {
        "1 byte".into()
    } else {
        format!("{bytes} bytes")
    }
}

fn file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    if last.is_empty() {
        "The file".into()
    } else {
        last.into()
    }
}

/// What a refused file really is, when its first bytes tell.
fn what_it_is(bytes: &[u8]) -> Option<&'static str> {
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..).is_some_and(|b| b.starts_with(magic));
    let known: &[(bool, &'static str)] = &[
        (at(0, b"MZ"), "a Windows program"),
        (at(0, b"\x7FELF"), "a Linux program"),
        (
            at(0, &[0xCF, 0xFA, 0xED, 0xFE]) || at(0, &[0xCE, 0xFA, 0xED, 0xFE]) || at(0, &[0xCA, 0xFE, 0xBA, 0xBE]),
            "a Mac program",
        ),
        (at(0, b"#!"), "a script (a program)"),
        (at(0, b"PK\x03\x04"), "a ZIP archive (Word and Excel documents are ones too)"),
        (at(0, &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]), "an older Word or Excel document"),
        (at(0, b"Rar!"), "a RAR archive"),
        (at(0, &[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]), "a 7-Zip archive"),
        (at(0, b"GIF87a") || at(0, b"GIF89a"), "a GIF image"),
        (at(0, b"II*\0") || at(0, b"MM\0*"), "a TIFF image"),
        (at(0, b"BM"), "a BMP image"),
        (at(0, b"RIFF") && at(8, b"WEBP"), "a WebP image"),
        (
            at(4, b"ftypheic") || at(4, b"ftypheix") || at(4, b"ftypmif1") || at(4, b"ftyphevc"),
            "a HEIC photo (the iPhone's usual format)",
        ),
        (at(4, b"ftyp"), "a video"),
        (at(0, b"{\\rtf"), "an RTF document"),
        (looks_like_html(bytes), "a web page"),
    ];
    known.iter().find(|(hit, _)| *hit).map(|(_, words)| *words)
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).trim_start().to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// A PDF's pages, read with a real parser (object streams, incremental updates and broken
/// cross-reference tables included) rather than by counting `/Type /Page` in the bytes.
fn pdf_pages(name: &str, bytes: &[u8]) -> Result<usize, AttachmentError> {
    use hayro::hayro_syntax::{LoadPdfError, Pdf};
    match Pdf::new(bytes.to_vec()) {
        Ok(pdf) if !pdf.pages().is_empty() => Ok(pdf.pages().len()),
        Ok(_) | Err(LoadPdfError::Invalid) => {
            Err(AttachmentError::Damaged { name: name.to_string(), kind: "PDF document" })
        }
        Err(LoadPdfError::Decryption(_)) => Err(AttachmentError::Encrypted { name: name.to_string() }),
    }
}

/// A PNG's size from its header chunk (IHDR), which must come first.
fn png_pixels(bytes: &[u8]) -> Option<(u32, u32)> {
    let ihdr = bytes.get(8..24)?;
    if &ihdr[4..8] != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes(ihdr[8..12].try_into().ok()?);
    let height = u32::from_be_bytes(ihdr[12..16].try_into().ok()?);
    (width > 0 && height > 0).then_some((width, height))
}

/// A JPEG's size from its frame header (SOF0–SOF15, but not DHT, JPG or DAC), walking the
/// segments from the start of the file.
fn jpeg_pixels(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        // Markers may be padded with any number of 0xFF bytes.
        while *bytes.get(at)? == 0xFF && *bytes.get(at + 1)? == 0xFF {
            at += 1;
        }
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        match marker {
            // Markers without a length: TEM, RST0–7.
            0x01 | 0xD0..=0xD7 => {
                at += 2;
                continue;
            }
            // Start of scan or end of image before any frame header.
            0xDA | 0xD9 => return None,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at + 2)?, *bytes.get(at + 3)?]));
        if length < 2 {
            return None;
        }
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let frame = bytes.get(at + 4..at + 9)?;
            let height = u32::from(u16::from_be_bytes([frame[1], frame[2]]));
            let width = u32::from(u16::from_be_bytes([frame[3], frame[4]]));
            return (width > 0 && height > 0).then_some((width, height));
        }
        at += 2 + length;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real one-page PDF, made by our own cover letter writer.
    fn one_page_pdf() -> Vec<u8> {
        crate::disputes::cover_letter::cover_letter_pdf(&crate::disputes::cover_letter::CoverLetter::default())
            .expect("the empty letter is written")
    }

    /// A PDF of `n` empty pages, written by hand with a correct cross-reference table.
    fn pdf_with_pages(n: usize) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", i + 3)).collect();
        let mut objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
        ];
        objects.extend((0..n).map(|_| "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>".to_string()));
        for (i, object) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for offset in offsets {
            out.extend(format!("{offset:010} 00000 n \n").as_bytes());
        }
        out.extend(
            format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
        );
        out
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = PNG_SIGNATURE.to_vec();
        out.extend(13u32.to_be_bytes());
        out.extend(b"IHDR");
        out.extend(width.to_be_bytes());
        out.extend(height.to_be_bytes());
        out.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
        out
    }

    fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8];
        // APP0 (JFIF), then a baseline frame header.
        out.extend([0xFF, 0xE0, 0x00, 0x10]);
        out.extend(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        out.extend([0xFF, 0xC0, 0x00, 0x11, 0x08]);
        out.extend(height.to_be_bytes());
        out.extend(width.to_be_bytes());
        out.extend([0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        out.extend([0xFF, 0xD9]);
        out
    }

    #[test]
    fn evidence_types_are_told_by_their_content() {
        let pdf = check("/home/ana/Receipts/receipt.pdf", &one_page_pdf()).expect("a PDF passes");
        assert_eq!((pdf.name.as_str(), pdf.kind, pdf.pages, pdf.pixels), ("receipt.pdf", FileKind::Pdf, Some(1), None));
        assert!(pdf.summary.starts_with("PDF document · 1 page · "), "{}", pdf.summary);

        let photo = check("delivery.JPG", &jpeg(1600, 1200)).expect("a JPEG passes");
        assert_eq!((photo.kind, photo.pixels, photo.pages), (FileKind::Jpeg, Some((1600, 1200)), None));
        assert_eq!(photo.kind.mime(), "image/jpeg");

        let shot = check(r"C:\Users\ana\chat.png", &png(1200, 900)).expect("a PNG passes");
        assert_eq!((shot.name.as_str(), shot.pixels), ("chat.png", Some((1200, 900))));
        assert_eq!(shot.summary, "PNG image · 1200 × 900 pixels · 33 bytes");
    }

    #[test]
    fn a_renamed_program_is_refused_and_named() {
        let exe = b"MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode";
        let err = check("receipt.pdf", exe).unwrap_err();
        assert_eq!(
            err,
            AttachmentError::NotEvidenceType { name: "receipt.pdf".into(), actually: Some("a Windows program") }
        );
        assert_eq!(err.code(), "evidence_file_type");
        let text = err.to_string();
        assert!(text.starts_with("“receipt.pdf” is a Windows program, not a PDF, JPEG or PNG file."), "{text}");

        let heic = [&[0, 0, 0, 0x18][..], b"ftypheic"].concat();
        assert!(check("IMG_0042.jpg", &heic).unwrap_err().to_string().contains("a HEIC photo"));
        assert!(check("menu.pdf", b"PK\x03\x04...").unwrap_err().to_string().contains("Word and Excel"));
        let unknown = check("notes.pdf", b"just some text").unwrap_err().to_string();
        assert!(unknown.starts_with("“notes.pdf” is another kind of file, not a PDF"), "{unknown}");
        assert_eq!(check("empty.png", b"").unwrap_err().code(), "evidence_file_empty");
    }

    #[test]
    fn a_file_over_stripes_limit_is_refused_before_upload() {
        let mut big = png(4000, 3000);
        big.resize(MAX_FILE_BYTES as usize, 0);
        assert!(check("photo.png", &big).is_ok(), "exactly the limit is taken");
        big.push(0);
        let err = check("photo.png", &big).unwrap_err();
        assert_eq!(err.code(), "evidence_file_too_large");
        assert_eq!(err.to_string(), "“photo.png” is 5,000,001 bytes; Stripe takes evidence files of at most 5 MB each. Make it smaller (a photo at a lower resolution, a PDF with fewer pages) and attach it again.");
        big.resize(7_350_000, 0);
        assert!(check("photo.png", &big)
            .unwrap_err()
            .to_string()
            .starts_with("“photo.png” is 7.3 MB; Stripe takes evidence files of at most 5 MB each."));
    }

    #[test]
    fn pdf_pages_are_counted_and_limited() {
        assert_eq!(check("a.pdf", &pdf_with_pages(3)).unwrap().pages, Some(3));
        assert_eq!(check("a.pdf", &pdf_with_pages(50)).unwrap().summary.split(" · ").nth(1), Some("50 pages"));
        let err = check("statement.pdf", &pdf_with_pages(51)).unwrap_err();
        assert_eq!(err, AttachmentError::TooManyPages { name: "statement.pdf".into(), pages: 51, limit: 50 });
    }

    #[test]
    fn damaged_files_are_refused_with_what_they_seemed() {
        assert_eq!(check("a.pdf", b"%PDF-1.7\n garbage").unwrap_err().code(), "evidence_file_damaged");
        let err = check("b.png", PNG_SIGNATURE).unwrap_err();
        assert!(err.to_string().starts_with("“b.png” looks like a PNG image but cannot be read"), "{err}");
        assert_eq!(check("c.jpg", &[0xFF, 0xD8, 0xFF, 0xD9]).unwrap_err().code(), "evidence_file_damaged");
        // A frame header cut short never reads past the end.
        let cut = &jpeg(10, 10)[..25];
        assert!(check("d.jpg", cut).is_err());
    }

    #[test]
    fn the_files_of_a_dispute_are_limited_together() {
        assert_eq!(check_combined([1_000_000, 3_500_000]), Ok(4_500_000));
        let err = check_combined([3_000_000, 1_600_000]).unwrap_err();
        assert_eq!(err.to_string(), "Together the evidence files come to 4.6 MB; Stripe takes at most 4.5 MB of files for one dispute. Remove a file or attach smaller copies.");
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size_words(0), "0 bytes");
        assert_eq!(size_words(1), "1 byte");
        assert_eq!(size_words(999), "999 bytes");
        assert_eq!(size_words(1_000), "1 KB");
        assert_eq!(size_words(1_250), "1.2 KB");
        assert_eq!(size_words(350_400), "350 KB");
        assert_eq!(size_words(1_234_567), "1.2 MB");
        assert_eq!(size_words(12_345_678), "12 MB");
        assert_eq!(size_words(4_500_000), "4.5 MB");
        assert_eq!(size_words(u64::MAX), "18446744073 GB");
    }
}
