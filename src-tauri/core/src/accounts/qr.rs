//! A QR code for an onboarding link, so the owner across the counter can open it on their phone.
//!
//! `fast_qr` computes the module matrix (no dependencies of its own); the SVG is drawn here from
//! that matrix, so no image or rasterising crate is pulled in. The screen shows it as a `data:` URL
//! because the CSP allows `img-src 'self' data:` and nothing else. The matrix is public so that
//! tests (and the end-to-end test) can turn it back into the link.

use base64::Engine as _;
use fast_qr::qr::QRBuilder;
use fast_qr::ECL;

/// Light modules around the code; the QR specification asks for four so phones find the edges.
pub const QUIET_ZONE: usize = 4;

/// Pixels per module in the SVG's intrinsic size; the screen may scale it (the SVG stays sharp).
const PIXELS_PER_MODULE: usize = 6;

/// The code's modules, row by row, `true` for dark, without the quiet zone.
///
/// Error correction M (15 %): a phone held at an angle to a screen with glare still reads it,
/// and a 200-character link stays small enough (version 8, 49×49) to show at a glance.
pub fn matrix(link: &str) -> Result<Vec<Vec<bool>>, String> {
    if link.trim().is_empty() {
        return Err("There is no link to show as a QR code".into());
    }
    let code = QRBuilder::new(link.as_bytes()).ecl(ECL::M).build().map_err(|_| {
        format!("This link is too long for a QR code ({} characters); copy it instead", link.chars().count())
    })?;
    let n = code.size;
    Ok((0..n).map(|row| code[row].iter().map(|m| m.value()).collect()).collect())
}

/// The link as an SVG document: a white square with the quiet zone and one black path.
pub fn svg(link: &str) -> Result<String, String> {
    Ok(svg_of(&matrix(link)?))
}

/// The SVG as a `data:image/svg+xml;base64,…` URL for an `<img>`.
pub fn svg_data_url(link: &str) -> Result<String, String> {
    Ok(data_url(&svg(link)?))
}

/// Any SVG text as a `data:` URL.
pub fn data_url(svg: &str) -> String {
    format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg))
}

/// Draws a module matrix. Dark modules next to each other in a row are one rectangle, which keeps
/// a version-8 code near 5 KB; `crispEdges` stops anti-aliasing from blurring module borders.
pub fn svg_of(modules: &[Vec<bool>]) -> String {
    let side = modules.len() + 2 * QUIET_ZONE;
    let pixels = side * PIXELS_PER_MODULE;
    let mut path = String::new();
    for (y, row) in modules.iter().enumerate() {
        let mut x = 0;
        while x < row.len() {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < row.len() && row[x] {
                x += 1;
            }
            let run = x - start;
            path.push_str(&format!("M{} {}h{run}v1h-{run}z", start + QUIET_ZONE, y + QUIET_ZONE));
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{pixels}\" height=\"{pixels}\" \
         viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://connect.stripe.com/setup/e/acct_1PqRsTuVwXyZ0123/aBcDeFgHiJkLmNoPqRsTuVwXyZ";

    /// Decodes a bitmap (`true` dark) the way a phone would: find the finder patterns, read.
    fn decode(bitmap: &[Vec<bool>]) -> String {
        let (h, w) = (bitmap.len(), bitmap[0].len());
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| if bitmap[y][x] { 0 } else { 255 });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code in the picture");
        grids[0].decode().expect("decodes").1
    }

    /// The matrix with its quiet zone, each module `scale` pixels wide.
    fn bitmap_of(modules: &[Vec<bool>], scale: usize) -> Vec<Vec<bool>> {
        let side = (modules.len() + 2 * QUIET_ZONE) * scale;
        (0..side)
            .map(|py| {
                (0..side)
                    .map(|px| {
                        let (x, y) = (px / scale, py / scale);
                        (QUIET_ZONE..QUIET_ZONE + modules.len()).contains(&x)
                            && (QUIET_ZONE..QUIET_ZONE + modules.len()).contains(&y)
                            && modules[y - QUIET_ZONE][x - QUIET_ZONE]
                    })
                    .collect()
            })
            .collect()
    }

    /// Paints the SVG's path (the `M x y h w v1 h-w z` runs this module writes) into a bitmap,
    /// so the test reads what the screen would show, not only the matrix behind it.
    fn bitmap_of_svg(svg: &str, scale: usize) -> Vec<Vec<bool>> {
        let side: usize = svg.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let mut bitmap = vec![vec![false; side * scale]; side * scale];
        for run in d.split('M').filter(|r| !r.is_empty()) {
            let (xy, rest) = run.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let w: usize = rest.split('v').next().unwrap().parse().unwrap();
            for row in bitmap.iter_mut().skip(y * scale).take(scale) {
                row[x * scale..(x + w) * scale].iter_mut().for_each(|p| *p = true);
            }
        }
        bitmap
    }

    #[test]
    fn the_matrix_decodes_back_to_the_link() {
        let modules = matrix(LINK).unwrap();
        assert!(modules.iter().all(|row| row.len() == modules.len()));
        assert_eq!((modules.len() - 17) % 4, 0, "a QR side is 17 + 4 × version");
        assert_eq!(decode(&bitmap_of(&modules, 4)), LINK);
        // Several versions (sizes), including ones with alignment and version-information modules.
        for n in [1, 40, 130, 300, 600] {
            let link =
                format!("https://connect.stripe.com/setup/s/{}", "Ab9_-".repeat(n).chars().take(n).collect::<String>());
            assert_eq!(decode(&bitmap_of(&matrix(&link).unwrap(), 3)), link, "{n} characters");
        }
    }

    #[test]
    fn the_svg_shows_the_same_code() {
        let svg = svg(LINK).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.len() < 12_000, "{} bytes", svg.len());
        let painted = bitmap_of_svg(&svg, 3);
        assert_eq!(painted, bitmap_of(&matrix(LINK).unwrap(), 3));
        assert_eq!(decode(&painted), LINK);
    }

    #[test]
    fn the_data_url_carries_the_svg() {
        let url = svg_data_url(LINK).unwrap();
        let b64 = url.strip_prefix("data:image/svg+xml;base64,").unwrap();
        let bytes = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), svg(LINK).unwrap());
    }

    #[test]
    fn refuses_nothing_and_too_much() {
        assert!(matrix("  ").unwrap_err().contains("no link"));
        let long = format!("https://example.com/{}", "a".repeat(3000));
        assert!(matrix(&long).unwrap_err().contains("too long"));
    }
}
