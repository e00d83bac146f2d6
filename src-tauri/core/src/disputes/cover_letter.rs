//! The cover letter: one page that a bank's reviewer reads first, summing up the order, the
//! payment, the customer, the dispute, what happened when, and what each attached file shows.
//!
//! The page is laid out once, here, into positioned lines and shapes; the PDF is written from that
//! with `pdf-writer`, and the preview the screen shows is that very PDF rasterized by `hayro` — so
//! the manager sees exactly what the bank will. Text is set in the PDF's standard Helvetica, which
//! every reader has, so no font is embedded and the letter stays a few KB of Stripe's size limit
//! for a dispute's files. Standard fonts read Windows-1252 text: other characters (Greek, CJK…)
//! print as "?".
//!
//! Nothing spills onto a second page: long text wraps and is cut with "…", a long timeline or
//! list of files shows its first entries and how many more there are.

use serde::Deserialize;
use specta::Type;

/// What the letter says, already in words: amounts and dates as the screen formats them.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct CoverLetter {
    pub restaurant: String,
    /// The day the letter is written, as the screen shows dates ("12 March 2025").
    pub prepared_on: String,
    pub order_number: String,
    /// "Delivery", "Dine-in", "Takeaway / pickup", "Catering or event".
    pub order_type: String,
    /// "$48.20".
    pub payment_amount: String,
    pub payment_date: String,
    /// "Visa •••• 4242".
    pub card: String,
    pub customer_name: String,
    pub customer_email: String,
    /// The dispute's reason in words ("Product not received").
    pub dispute_reason: String,
    pub disputed_amount: String,
    /// The restaurant's case in a few sentences; may be empty. Newlines start paragraphs.
    #[serde(default)]
    pub statement: String,
    /// What happened, oldest first.
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    /// The other files sent with this letter.
    #[serde(default)]
    pub attachments: Vec<AttachmentNote>,
    #[serde(default)]
    pub paper: Paper,
}

/// One line of the timeline: when, and what happened.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct TimelineEntry {
    /// "3 March 2025, 19:42".
    pub when: String,
    pub what: String,
}

/// One attached file and what it shows the reviewer.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct AttachmentNote {
    pub name: String,
    pub shows: String,
}

/// The paper the letter is set on: US Letter in North America, A4 elsewhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    #[default]
    Letter,
    A4,
}

impl Paper {
    /// Width and height in points (1/72 inch).
    fn size(self) -> (f32, f32) {
        match self {
            Paper::Letter => (612.0, 792.0),
            Paper::A4 => (595.28, 841.89),
        }
    }
}

/// Why no letter or preview could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoverLetterError {
    #[error("The preview can be {min} to {max} pixels wide; {asked} was asked.")]
    PreviewWidth { asked: u32, min: u32, max: u32 },
    /// Our own PDF could not be read back or drawn: a fault of ours, never of the input.
    #[error("The cover letter's preview could not be drawn ({0}). The letter itself is not affected.")]
    Preview(String),
}

impl CoverLetterError {
    /// A stable code for the screen to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            CoverLetterError::PreviewWidth { .. } => "cover_letter_preview_width",
            CoverLetterError::Preview(_) => "cover_letter_preview",
        }
    }
}

/// The narrowest and widest preview drawn.
pub const PREVIEW_WIDTH: std::ops::RangeInclusive<u32> = 200..=3000;

/// The one-page cover letter as a PDF.
pub fn cover_letter_pdf(letter: &CoverLetter) -> Result<Vec<u8>, CoverLetterError> {
    Ok(write_pdf(&layout(letter), letter))
}

/// The cover letter's preview as a PNG `width_px` wide, drawn from the PDF itself.
pub fn cover_letter_png(letter: &CoverLetter, width_px: u32) -> Result<Vec<u8>, CoverLetterError> {
    if !PREVIEW_WIDTH.contains(&width_px) {
        return Err(CoverLetterError::PreviewWidth {
            asked: width_px,
            min: *PREVIEW_WIDTH.start(),
            max: *PREVIEW_WIDTH.end(),
        });
    }
    rasterize(&cover_letter_pdf(letter)?, width_px)
}

fn rasterize(pdf: &[u8], width_px: u32) -> Result<Vec<u8>, CoverLetterError> {
    use hayro::hayro_interpret::util::TransformExt;
    use hayro::hayro_interpret::InterpreterSettings;
    use hayro::kurbo::Affine;
    use hayro::vello_cpu::color::palette::css::WHITE;
    use hayro::vello_cpu::{Pixmap, RasterizerSettings, RenderContext, Resources, TargetInit};

    let doc = hayro::hayro_syntax::Pdf::new(pdf.to_vec()).map_err(|e| CoverLetterError::Preview(format!("{e:?}")))?;
    let page = doc.pages().first().ok_or_else(|| CoverLetterError::Preview("no page".into()))?;
    let (page_w, page_h) = page.render_dimensions();
    let scale = width_px as f32 / page_w;
    let height_px = (page_h * scale).round();
    let (width, height) = (
        u16::try_from(width_px).map_err(|_| CoverLetterError::Preview("too wide".into()))?,
        u16::try_from(height_px as u32).map_err(|_| CoverLetterError::Preview("too tall".into()))?,
    );
    let mut ctx = RenderContext::new(width, height);
    let transform = Affine::scale(f64::from(scale)) * page.initial_transform(true).to_kurbo();
    let cache = hayro::RenderCache::new();
    let settings = InterpreterSettings::default();
    hayro::render_into(page, &cache, &settings, &hayro::RenderSettings::default(), &mut ctx, transform);
    ctx.flush();
    let mut pixmap = Pixmap::new(width, height);
    ctx.render_with(
        &mut pixmap,
        &mut Resources::default(),
        RasterizerSettings { target_init: TargetInit::Clear(WHITE), ..Default::default() },
    );
    pixmap.into_png().map_err(|e| CoverLetterError::Preview(e.to_string()))
}

// ---- Layout -------------------------------------------------------------------------------------

const MARGIN: f32 = 54.0;
const INK: Rgb = Rgb(0.10, 0.11, 0.13);
const MUTED: Rgb = Rgb(0.38, 0.40, 0.44);
const ACCENT: Rgb = Rgb(0.11, 0.27, 0.49);
const PANEL: Rgb = Rgb(0.95, 0.96, 0.98);
const BODY: f32 = 10.0;
const LEADING: f32 = 1.38;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(f32, f32, f32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
}

/// Something drawn on the page; `y` runs down from the top edge (a text's baseline).
#[derive(Debug, Clone, PartialEq)]
enum Mark {
    Text { x: f32, y: f32, size: f32, font: Font, color: Rgb, text: String },
    Fill { x: f32, y: f32, w: f32, h: f32, color: Rgb },
    Rule { x1: f32, x2: f32, y: f32, width: f32, color: Rgb },
}

struct Page {
    width: f32,
    height: f32,
    marks: Vec<Mark>,
}

/// A block of lines of one size, placed by [`Page::lines`], `skip` lines below the top.
#[derive(Debug, Clone)]
struct Lines {
    x: f32,
    size: f32,
    font: Font,
    color: Rgb,
    lines: Vec<String>,
    skip: usize,
}

impl Lines {
    /// Body-sized lines at `x`.
    fn new(x: f32, font: Font, color: Rgb, lines: Vec<String>) -> Self {
        Lines { x, size: BODY, font, color, lines, skip: 0 }
    }

    fn height(&self) -> f32 {
        if self.lines.is_empty() {
            return 0.0;
        }
        (self.skip + self.lines.len()) as f32 * self.size * LEADING
    }
}

impl Page {
    fn text(&mut self, x: f32, y: f32, size: f32, font: Font, color: Rgb, text: String) {
        if !text.is_empty() {
            self.marks.push(Mark::Text { x, y, size, font, color, text });
        }
    }

    /// Places blocks side by side from `top`; returns the bottom of the tallest.
    fn lines(&mut self, top: f32, blocks: &[Lines]) -> f32 {
        let mut bottom = top;
        for block in blocks {
            let step = block.size * LEADING;
            for (i, line) in block.lines.iter().enumerate() {
                // The baseline sits a little under one size below the line's top.
                let y = top + (block.skip + i) as f32 * step + block.size * 0.95;
                self.text(block.x, y, block.size, block.font, block.color, line.clone());
            }
            bottom = bottom.max(top + block.height());
        }
        bottom
    }
}

/// One entry of a list section (a timeline line, an attached file): blocks set side by side.
#[derive(Debug, Clone)]
struct Entry(Vec<Lines>);

impl Entry {
    fn height(&self) -> f32 {
        self.0.iter().map(Lines::height).fold(0.0, f32::max)
    }
}

/// A titled part of the letter below the facts.
struct Section {
    title: &'static str,
    entries: Vec<Entry>,
    /// Entries shown; the rest are counted in a closing "… and N more" line.
    shown: usize,
    gap: f32,
    more_x: f32,
}

const TITLE_SIZE: f32 = 9.0;
const TITLE_HEIGHT: f32 = TITLE_SIZE * LEADING + 5.0;
const SECTION_GAP: f32 = 16.0;

impl Section {
    fn height(&self) -> f32 {
        if self.entries.is_empty() {
            return 0.0;
        }
        let entries: f32 = self.entries[..self.shown].iter().map(|e| e.height() + self.gap).sum();
        let more = if self.shown < self.entries.len() { BODY * LEADING } else { 0.0 };
        SECTION_GAP + TITLE_HEIGHT + entries + more
    }
}

/// A panel of facts: its title, and label and value pairs.
type Panel<'a> = (&'static str, Vec<(&'static str, &'a str)>);

/// The page: the header, the facts, then the response, the timeline and the files, shortened
/// until they fit above the footer.
fn layout(letter: &CoverLetter) -> Page {
    let (width, height) = letter.paper.size();
    let mut page = Page { width, height, marks: Vec::new() };
    let (left, right) = (MARGIN, width - MARGIN);
    let content = right - left;
    let clean = |s: &str| clean_line(s);
    let top = header(&mut page, letter);
    let mut top = facts(&mut page, letter, top);

    // What the restaurant says, what happened, and what each file shows.
    let bottom = height - MARGIN - 22.0;
    let statement_lines = |cap: usize| wrap(&letter.statement, Font::Regular, 10.5, content, cap);
    let when_w = 120.0;
    let timeline = |cap: usize| -> Vec<Entry> {
        letter
            .timeline
            .iter()
            .map(|e| {
                Entry(vec![
                    Lines::new(left, Font::Bold, INK, vec![fit(&clean(&e.when), Font::Bold, BODY, when_w - 8.0)]),
                    Lines::new(
                        left + when_w,
                        Font::Regular,
                        INK,
                        wrap(&e.what, Font::Regular, BODY, content - when_w, cap),
                    ),
                ])
            })
            .collect()
    };
    let number_w = 18.0;
    let files = |cap: usize| -> Vec<Entry> {
        letter
            .attachments
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let (x, w) = (left + number_w, content - number_w);
                Entry(vec![
                    Lines::new(left, Font::Bold, ACCENT, vec![format!("{}.", i + 1)]),
                    Lines::new(x, Font::Bold, INK, vec![fit(&clean(&a.name), Font::Bold, BODY, w)]),
                    // What it shows, under the file's name.
                    Lines { skip: 1, ..Lines::new(x, Font::Regular, INK, wrap(&a.shows, Font::Regular, BODY, w, cap)) },
                ])
            })
            .collect()
    };

    // Shrink until it fits: the statement to four lines, then each timeline line and each file's
    // description down to one line, then the longer list loses its last entries.
    let (mut statement_cap, mut entry_cap) = (8, 3);
    let (mut timeline_shown, mut files_shown) = (letter.timeline.len(), letter.attachments.len());
    let (statement, sections) = loop {
        let statement = statement_lines(statement_cap);
        let mut sections = [
            Section {
                title: "WHAT HAPPENED",
                entries: timeline(entry_cap),
                shown: timeline_shown,
                gap: 4.0,
                more_x: left + when_w,
            },
            Section {
                title: "EVIDENCE ATTACHED",
                entries: files(entry_cap.min(2)),
                shown: files_shown,
                gap: 6.0,
                more_x: left + number_w,
            },
        ];
        let statement_h = if statement.is_empty() {
            0.0
        } else {
            SECTION_GAP + TITLE_HEIGHT + statement.len() as f32 * 10.5 * LEADING
        };
        let total = statement_h + sections.iter().map(Section::height).sum::<f32>();
        if top + total <= bottom {
            break (statement, sections);
        }
        if statement_cap > 4 {
            statement_cap -= 1;
        } else if entry_cap > 1 {
            entry_cap -= 1;
        } else {
            let [t, f] = &mut sections;
            let (longer, shorter) = if t.height() >= f.height() { (t, f) } else { (f, t) };
            if longer.shown > 1 {
                longer.shown -= 1;
            } else if shorter.shown > 1 {
                shorter.shown -= 1;
            } else {
                // Nothing left to shorten: the page is cut at its foot below.
                break (statement, sections);
            }
            timeline_shown = sections[0].shown;
            files_shown = sections[1].shown;
        }
    };

    let cut_at = page.marks.len();
    if !statement.is_empty() {
        top += SECTION_GAP;
        page.text(left, top + TITLE_SIZE, TITLE_SIZE, Font::Bold, ACCENT, "OUR RESPONSE".into());
        page.marks.push(Mark::Rule { x1: left, x2: right, y: top + TITLE_SIZE + 3.5, width: 0.5, color: MUTED });
        top += TITLE_HEIGHT;
        top = page.lines(top, &[Lines { size: 10.5, ..Lines::new(left, Font::Regular, INK, statement) }]);
    }
    for section in sections.iter().filter(|s| !s.entries.is_empty()) {
        top += SECTION_GAP;
        page.text(left, top + TITLE_SIZE, TITLE_SIZE, Font::Bold, ACCENT, section.title.into());
        page.marks.push(Mark::Rule { x1: left, x2: right, y: top + TITLE_SIZE + 3.5, width: 0.5, color: MUTED });
        top += TITLE_HEIGHT;
        for entry in &section.entries[..section.shown] {
            top = page.lines(top, &entry.0) + section.gap;
        }
        let hidden = section.entries.len() - section.shown;
        if hidden > 0 {
            let more = format!("… and {hidden} more");
            top = page.lines(top, &[Lines::new(section.more_x, Font::Regular, MUTED, vec![more])]);
        }
    }
    cut_at_foot(&mut page, cut_at, bottom);

    // Footer: what this page is, should it be separated from the rest.
    let foot = height - MARGIN;
    page.marks.push(Mark::Rule { x1: left, x2: right, y: foot - 12.0, width: 0.5, color: MUTED });
    let mut footer = vec![clean(&letter.restaurant)];
    if !letter.order_number.trim().is_empty() {
        footer.push(format!("Order {}", clean(&letter.order_number)));
    }
    footer.push("Cover letter, page 1 of 1".into());
    let footer = fit(
        &footer.into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("  ·  "),
        Font::Regular,
        8.0,
        content,
    );
    page.text(left, foot, 8.0, Font::Regular, MUTED, footer);
    page
}

/// The restaurant's name, what this is, the one-sentence ask; returns where the facts start.
fn header(page: &mut Page, letter: &CoverLetter) -> f32 {
    let (left, right) = (MARGIN, page.width - MARGIN);
    let content = right - left;
    let clean = |s: &str| clean_line(s);
    // Header: who writes, about what, when. A long name takes a second line rather than being cut.
    let name = wrap(&letter.restaurant, Font::Bold, 20.0, content, 2);
    let below_name =
        page.lines(MARGIN, &[Lines { size: 20.0, ..Lines::new(left, Font::Bold, INK, name) }]).max(MARGIN + 20.0);
    let mut subtitle = vec!["Response to a card dispute".to_string()];
    if !letter.order_number.trim().is_empty() {
        subtitle.push(format!("Order {}", clean(&letter.order_number)));
    }
    if !letter.prepared_on.trim().is_empty() {
        subtitle.push(format!("Written {}", clean(&letter.prepared_on)));
    }
    let subtitle = fit(&subtitle.join("  ·  "), Font::Regular, 11.0, content);
    page.text(left, below_name + 13.0, 11.0, Font::Regular, MUTED, subtitle);
    page.marks.push(Mark::Rule { x1: left, x2: right, y: below_name + 24.0, width: 1.5, color: ACCENT });

    // What the letter asks, in a sentence, before the facts.
    let disputed = clean(&letter.disputed_amount);
    let of = if disputed.is_empty() { String::new() } else { format!(" of {disputed}") };
    let who = match clean(&letter.restaurant) {
        name if name.is_empty() => "The restaurant".to_string(),
        name => name,
    };
    let intro = format!(
        "{who} contests this dispute{of}. The facts of the order are set out below, and each attached file is listed with what it shows."
    );
    let intro = wrap(&intro, Font::Regular, 10.5, content, 3);
    page.lines(below_name + 36.0, &[Lines { size: 10.5, ..Lines::new(left, Font::Regular, INK, intro) }]) + 10.0
}

/// The facts, in four panels a reviewer scans in seconds; returns where they end.
fn facts(page: &mut Page, letter: &CoverLetter, mut top: f32) -> f32 {
    let left = MARGIN;
    let content = page.width - 2.0 * MARGIN;
    let gap = 18.0;
    let column = (content - gap) / 2.0;
    let l = letter;
    let rows: [[Panel<'_>; 2]; 2] = [
        [
            ("THE ORDER", vec![("Order number", l.order_number.as_str()), ("Order type", l.order_type.as_str())]),
            (
                "THE PAYMENT",
                vec![
                    ("Amount", l.payment_amount.as_str()),
                    ("Date", l.payment_date.as_str()),
                    ("Card", l.card.as_str()),
                ],
            ),
        ],
        [
            ("THE CUSTOMER", vec![("Name", l.customer_name.as_str()), ("Email", l.customer_email.as_str())]),
            (
                "THE DISPUTE",
                vec![("Reason", l.dispute_reason.as_str()), ("Amount disputed", l.disputed_amount.as_str())],
            ),
        ],
    ];
    let label_width = 88.0;
    let pad = 10.0;
    let value_w = column - 2.0 * pad - label_width;
    for row in rows {
        // A value takes two lines rather than being cut (a long email address is evidence too).
        let row = row.map(|(title, facts)| {
            let facts: Vec<(&str, Vec<String>)> = facts
                .into_iter()
                .map(|(label, value)| match wrap(value, Font::Bold, BODY, value_w, 2) {
                    lines if lines.is_empty() => (label, vec!["—".to_string()]),
                    lines => (label, lines),
                })
                .collect();
            (title, facts)
        });
        let lines = row.iter().map(|(_, facts)| facts.iter().map(|(_, v)| v.len()).sum::<usize>()).max().unwrap_or(0);
        let panel_h = pad + TITLE_HEIGHT + lines as f32 * BODY * LEADING + pad;
        for (i, (title, facts)) in row.into_iter().enumerate() {
            let x = left + i as f32 * (column + gap);
            page.marks.push(Mark::Fill { x, y: top, w: column, h: panel_h, color: PANEL });
            page.text(x + pad, top + pad + TITLE_SIZE, TITLE_SIZE, Font::Bold, ACCENT, title.to_string());
            let mut y = top + pad + TITLE_HEIGHT;
            for (label, value) in facts {
                y = page.lines(
                    y,
                    &[
                        Lines::new(x + pad, Font::Regular, MUTED, vec![label.into()]),
                        Lines::new(x + pad + label_width, Font::Bold, INK, value),
                    ],
                );
            }
        }
        top += panel_h + 10.0;
    }
    top - 10.0
}

/// Drops what would run into the footer (marks from `from` on) and ends the last line kept with
/// "…": the last resort when even the shortest letter is too long (a statement of one endless
/// word, say).
fn cut_at_foot(page: &mut Page, from: usize, bottom: f32) {
    let before = page.marks.len();
    let mut i = from;
    page.marks.retain(|m| {
        let keep = i < from || !matches!(m, Mark::Text { y, .. } | Mark::Rule { y, .. } if *y > bottom);
        i += 1;
        keep
    });
    if page.marks.len() == before {
        return;
    }
    let room_from = |x: f32| page.width - MARGIN - x;
    if let Some(Mark::Text { text, font, size, x, .. }) =
        page.marks[from..].iter_mut().rev().find(|m| matches!(m, Mark::Text { .. }))
    {
        *text = with_ellipsis(text.trim_end_matches(ELLIPSIS), *font, *size, room_from(*x));
    }
}

// ---- Text: Windows-1252 for the standard fonts, widths from Adobe's metrics -----------------------

const ELLIPSIS: char = '…';

/// One line of text: control characters and runs of spaces become one space, characters the
/// standard fonts cannot show become "?".
fn clean_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            c if c.is_whitespace() => ' ',
            c if c.is_control() || c == '\u{AD}' => continue,
            '\u{2010}' | '\u{2011}' | '\u{2212}' => '-',
            c if win_ansi(c).is_some() => c,
            _ => '?',
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// `text` wrapped to `width`, paragraphs kept, at most `max_lines` lines (the last ending in "…"
/// when text is left over).
fn wrap(text: &str, font: Font, size: f32, width: f32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.split('\n').map(clean_line).filter(|p| !p.is_empty()) {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if text_width(&candidate, font, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is broken where it must be.
            let mut rest = word.to_string();
            while text_width(&rest, font, size) > width {
                let mut head = String::new();
                for c in rest.chars() {
                    if text_width(&format!("{head}{c}"), font, size) > width && !head.is_empty() {
                        break;
                    }
                    head.push(c);
                }
                rest = rest[head.len()..].to_string();
                lines.push(head);
            }
            line = rest;
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            *last = with_ellipsis(last, font, size, width);
        }
    }
    lines
}

/// `text` on one line of `width`, cut with "…" if it is longer.
fn fit(text: &str, font: Font, size: f32, width: f32) -> String {
    if text_width(text, font, size) <= width {
        return text.to_string();
    }
    with_ellipsis(text, font, size, width)
}

/// `text` shortened until it and a closing "…" fit `width`, cut at a word if one ends near.
fn with_ellipsis(text: &str, font: Font, size: f32, width: f32) -> String {
    let mut kept: String = text.trim_end().to_string();
    while !kept.is_empty() && text_width(&format!("{kept}{ELLIPSIS}"), font, size) > width {
        kept.pop();
    }
    let kept = kept.trim_end();
    format!("{kept}{ELLIPSIS}")
}

fn text_width(text: &str, font: Font, size: f32) -> f32 {
    let widths = match font {
        Font::Regular => &HELVETICA,
        Font::Bold => &HELVETICA_BOLD,
    };
    let units: u32 =
        text.chars().filter_map(win_ansi).map(|b| u32::from(widths[usize::from(b.saturating_sub(32))])).sum();
    units as f32 * size / 1000.0
}

/// The Windows-1252 (PDF WinAnsiEncoding) byte of a character, if it has one.
fn win_ansi(c: char) -> Option<u8> {
    let code = u32::from(c);
    match code {
        0x20..=0x7E => Some(code as u8),
        0xA0 => Some(b' '),
        0xA1..=0xFF => Some(code as u8),
        _ => {
            const HIGH: [(char, u8); 27] = [
                ('€', 0x80),
                ('‚', 0x82),
                ('ƒ', 0x83),
                ('„', 0x84),
                ('…', 0x85),
                ('†', 0x86),
                ('‡', 0x87),
                ('ˆ', 0x88),
                ('‰', 0x89),
                ('Š', 0x8A),
                ('‹', 0x8B),
                ('Œ', 0x8C),
                ('Ž', 0x8E),
                ('‘', 0x91),
                ('’', 0x92),
                ('“', 0x93),
                ('”', 0x94),
                ('•', 0x95),
                ('–', 0x96),
                ('—', 0x97),
                ('˜', 0x98),
                ('™', 0x99),
                ('š', 0x9A),
                ('›', 0x9B),
                ('œ', 0x9C),
                ('ž', 0x9E),
                ('Ÿ', 0x9F),
            ];
            // Spaces some locales put in numbers and times ("12 345 €", "7:42 PM").
            if matches!(c, '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}') {
                return Some(b' ');
            }
            HIGH.iter().find(|(h, _)| *h == c).map(|(_, b)| *b)
        }
    }
}

fn encode(text: &str) -> Vec<u8> {
    text.chars().map(|c| win_ansi(c).unwrap_or(b'?')).collect()
}

/// Advance widths (1/1000 em) of WinAnsi codes 32–255 in Helvetica, from Adobe's Core 14 AFM
/// metrics (freely distributable); codes the encoding leaves empty are 0 and never written.
#[rustfmt::skip]
const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// The same for Helvetica-Bold.
#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

// ---- PDF ----------------------------------------------------------------------------------------

fn write_pdf(page: &Page, letter: &CoverLetter) -> Vec<u8> {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

    let (catalog, tree, page_id, regular, bold, content_id, info) =
        (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5), Ref::new(6), Ref::new(7));
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page_id]).count(1);
    let mut p = pdf.page(page_id);
    p.media_box(Rect::new(0.0, 0.0, page.width, page.height));
    p.parent(tree);
    p.contents(content_id);
    p.resources().fonts().pair(Name(b"F1"), regular).pair(Name(b"F2"), bold);
    p.finish();
    for (id, base) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
        pdf.type1_font(id).base_font(Name(base)).encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let title = match clean_line(&letter.order_number) {
        order if order.is_empty() => "Cover letter".to_string(),
        order => format!("Cover letter, order {order}"),
    };
    pdf.document_info(info).title(TextStr(&title)).producer(TextStr("Merchant Desk"));

    let mut c = Content::new();
    let flip = |y: f32| page.height - y;
    for mark in &page.marks {
        match mark {
            Mark::Fill { x, y, w, h, color: Rgb(r, g, b) } => {
                c.set_fill_rgb(*r, *g, *b).rect(*x, flip(y + h), *w, *h).fill_nonzero();
            }
            Mark::Rule { x1, x2, y, width, color: Rgb(r, g, b) } => {
                c.set_stroke_rgb(*r, *g, *b)
                    .set_line_width(*width)
                    .move_to(*x1, flip(*y))
                    .line_to(*x2, flip(*y))
                    .stroke();
            }
            Mark::Text { x, y, size, font, color: Rgb(r, g, b), text } => {
                let name = match font {
                    Font::Regular => Name(b"F1"),
                    Font::Bold => Name(b"F2"),
                };
                c.begin_text().set_fill_rgb(*r, *g, *b).set_font(name, *size).next_line(*x, flip(*y));
                c.show(Str(&encode(text))).end_text();
            }
        }
    }
    pdf.stream(content_id, &c.finish());
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> CoverLetter {
        CoverLetter {
            restaurant: "Harbor & Vine Lakeside Kitchen".into(),
            prepared_on: "12 March 2025".into(),
            order_number: "A-1042".into(),
            order_type: "Delivery".into(),
            payment_amount: "$48.20".into(),
            payment_date: "3 March 2025, 19:42".into(),
            card: "Visa •••• 4242".into(),
            customer_name: "Jane Doe".into(),
            customer_email: "jane.doe@example.com".into(),
            dispute_reason: "Product not received".into(),
            disputed_amount: "$48.20".into(),
            statement: "The customer ordered dinner for delivery through our website and the courier \
                handed it over at the door at 20:21, as the photo and the courier's log show."
                .into(),
            timeline: vec![
                TimelineEntry { when: "3 Mar 2025, 19:42".into(), what: "Order placed and paid online.".into() },
                TimelineEntry { when: "3 Mar 2025, 20:21".into(), what: "Delivered to the door; photo taken.".into() },
            ],
            attachments: vec![AttachmentNote {
                name: "delivery-photo.png".into(),
                shows: "The order at the customer's door.".into(),
            }],
            paper: Paper::Letter,
        }
    }

    fn texts(page: &Page) -> Vec<&str> {
        page.marks
            .iter()
            .filter_map(|m| match m {
                Mark::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn text_is_measured_with_helveticas_widths() {
        // "Hello" in Helvetica: H 722 + e 556 + l 222 + l 222 + o 556 = 2278 units.
        assert!((text_width("Hello", Font::Regular, 10.0) - 22.78).abs() < 0.001);
        assert!(text_width("Hello", Font::Bold, 10.0) > text_width("Hello", Font::Regular, 10.0));
        assert_eq!(encode("Café …€ •"), b"Caf\xe9 \x85\x80 \x95");
        assert_eq!(clean_line("  a\tb\r\n c\u{AD}d 東京 "), "a b cd ??");
        assert_eq!(clean_line("7:42\u{202F}PM"), "7:42 PM");
    }

    #[test]
    fn long_text_wraps_and_is_cut_with_an_ellipsis() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let lines = wrap(text, Font::Regular, 10.0, 60.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| text_width(l, Font::Regular, 10.0) <= 60.0), "{lines:?}");
        assert!(lines[2].ends_with('…'), "{lines:?}");
        assert_eq!(wrap("short", Font::Regular, 10.0, 60.0, 3), ["short"]);
        assert_eq!(wrap("first\n\nsecond", Font::Regular, 10.0, 200.0, 5), ["first", "second"]);
        let word = wrap(&"x".repeat(100), Font::Regular, 10.0, 60.0, 10);
        assert!(word.len() > 1 && word.iter().all(|l| text_width(l, Font::Regular, 10.0) <= 60.0));
        assert_eq!(fit("A very long restaurant name indeed", Font::Bold, 12.0, 80.0).chars().last(), Some('…'));
    }

    #[test]
    fn the_letter_says_what_a_reviewer_needs() {
        let page = layout(&sample());
        let all = texts(&page).join("\n");
        for needed in [
            "Harbor & Vine Lakeside Kitchen",
            "A-1042",
            "Delivery",
            "$48.20",
            "Visa •••• 4242",
            "Jane Doe",
            "Product not received",
            "Order placed and paid online.",
            "delivery-photo.png",
            "The order at the customer's door.",
        ] {
            assert!(all.contains(needed), "{needed} missing from\n{all}");
        }
        let bottom = page.height - MARGIN;
        assert!(page.marks.iter().all(|m| match m {
            Mark::Text { y, x, text, size, font, .. } =>
                *y <= bottom && x + text_width(text, *font, *size) <= page.width - MARGIN + 0.01,
            _ => true,
        }));
    }

    #[test]
    fn too_much_is_cut_to_one_page_never_spilled() {
        let mut letter = sample();
        letter.statement = "We delivered the order. ".repeat(200);
        letter.timeline = (0..60)
            .map(|i| TimelineEntry {
                when: format!("Day {i}"),
                what:
                    "Something happened that takes quite a few words to tell, more than fit on one line of the letter. "
                        .repeat(3),
            })
            .collect();
        letter.attachments = (0..40)
            .map(|i| AttachmentNote {
                name: format!("file-{i}.pdf"),
                shows: "What this file shows, at length. ".repeat(10),
            })
            .collect();
        let page = layout(&letter);
        let all = texts(&page);
        let foot = page.height - MARGIN - 22.0;
        assert!(page.marks.iter().all(|m| match m {
            Mark::Text { y, text, .. } => *y <= foot || text.starts_with("Harbor & Vine"),
            _ => true,
        }));
        assert!(all.iter().any(|t| t.starts_with("… and ") && t.ends_with(" more")), "{all:?}");
        assert!(all.contains(&"Day 0") && all.contains(&"file-0.pdf"), "both lists keep their first entries: {all:?}");
        assert!(all.iter().any(|t| t.ends_with('…')));

        // One endless word leaves nothing to shorten but the page's foot.
        letter.timeline.clear();
        letter.attachments.clear();
        letter.statement = "x".repeat(30_000);
        let page = layout(&letter);
        let last = texts(&page).into_iter().rev().nth(1).unwrap_or_default().to_string();
        assert!(last.ends_with('…'), "{last}");
    }

    #[test]
    fn an_empty_letter_is_still_a_page() {
        let page = layout(&CoverLetter::default());
        assert!(texts(&page).contains(&"Response to a card dispute"));
        assert!(texts(&page).contains(&"—"));
    }

    #[test]
    fn the_pdf_has_one_page_with_the_order_number() {
        let pdf = cover_letter_pdf(&sample()).expect("written");
        assert!(pdf.starts_with(b"%PDF-"));
        let doc = hayro::hayro_syntax::Pdf::new(pdf.clone()).expect("our PDF reads back");
        assert_eq!(doc.pages().len(), 1);
        // Content streams are not compressed: the order number is there as written.
        assert!(pdf.windows(8).any(|w| w == b"(A-1042)"));
        assert!(pdf.len() < 20_000, "a few KB of the evidence limit, not {}", pdf.len());
    }

    #[test]
    fn the_preview_is_the_asked_width_and_not_blank() {
        let png = cover_letter_png(&sample(), 400).expect("drawn");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader.next_frame(&mut buf).expect("a frame");
        assert_eq!((info.width, info.height), (400, 518));
        assert!(buf.iter().any(|&b| b < 128));
        assert_eq!(cover_letter_png(&sample(), 50).unwrap_err().code(), "cover_letter_preview_width");
    }
}
