//! HTML remnants in text that is not an HTML document: entities
//! (`&ldquo;` `&nbsp;` `&#8220;` `&amp;`) and stray tags (`<p>`, `</p>`,
//! `<br>`) left behind by a scraper.
//!
//! The decision is made from the evidence of the whole text, because the same
//! characters are correct in other texts: `Use &lt;b&gt; for bold` (a UI
//! string about HTML) or a shell snippet with `<` are right as written.
//!
//! * A text that *is* HTML (`<html`, `<!doctype`, `<head`, `<body`) is left
//!   alone: it is a document, not remnants.
//! * Strong evidence of damage: a typographic entity (`&nbsp;` `&ldquo;`
//!   `&hellip;` …, or a numeric entity of a non-ASCII character), or a block
//!   tag (`p`, `br`, `div`, `li`, `td` …) touching CJK text or a line end in a
//!   line that contains CJK text.
//! * Only with strong evidence are entities decoded (all of them, `&lt;`
//!   included) and tags of known HTML elements removed. `&nbsp;` becomes a
//!   space between two ASCII letters or digits, and nothing elsewhere
//!   (Chinese text has no spaces).

use crate::explain::Log;
use crate::script::{is_cjk_punct, is_han, is_hangul, is_kana};
use std::borrow::Cow;

/// Fix kind recorded for each decoded entity.
pub const KIND_ENTITY: &str = "html:entity";
/// Fix kind recorded for each removed tag.
pub const KIND_TAG: &str = "html:tag";

/// Named entities decoded, and whether each is typographic (strong evidence).
const ENTITIES: &[(&str, &str, bool)] = &[
    ("nbsp", "\u{A0}", true),
    ("ldquo", "“", true),
    ("rdquo", "”", true),
    ("lsquo", "‘", true),
    ("rsquo", "’", true),
    ("hellip", "…", true),
    ("mdash", "—", true),
    ("ndash", "–", true),
    ("middot", "·", true),
    ("bull", "•", true),
    ("times", "×", true),
    ("divide", "÷", true),
    ("deg", "°", true),
    ("copy", "©", true),
    ("reg", "®", true),
    ("trade", "™", true),
    ("laquo", "«", true),
    ("raquo", "»", true),
    ("yen", "¥", true),
    ("emsp", "\u{2003}", true),
    ("ensp", "\u{2002}", true),
    ("amp", "&", false),
    ("lt", "<", false),
    ("gt", ">", false),
    ("quot", "\"", false),
    ("apos", "'", false),
];

/// Block-level elements whose stray tags are strong evidence.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "td",
    "tr",
    "th",
    "table",
    "tbody",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "section",
    "article",
    "blockquote",
    "center",
    "dd",
    "dt",
    "dl",
];

/// Inline elements removed too once the text is known to be damaged.
const INLINE_TAGS: &[&str] = &[
    "span", "font", "b", "i", "u", "em", "strong", "a", "img", "sub", "sup", "small", "big",
    "strike", "s", "label", "tt", "wbr",
];

fn is_cjk(c: char) -> bool {
    is_han(c) || is_kana(c) || is_hangul(c) || is_cjk_punct(c)
}

/// A parsed entity at the start of `s` (which begins with `&`): its length and
/// its value, and whether it is typographic.
fn entity(s: &str) -> Option<(usize, String, bool)> {
    let end = s.get(1..)?.find(';')? + 1;
    if end > 12 {
        return None;
    }
    let name = &s[1..end];
    let len = end + 1;
    if let Some(num) = name.strip_prefix('#') {
        let v = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        let c = char::from_u32(v).filter(|c| !c.is_control() || *c == '\n')?;
        return Some((len, c.to_string(), !c.is_ascii()));
    }
    ENTITIES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(_, v, strong)| (len, v.to_owned(), strong))
}

/// A tag of a known element at the start of `s` (which begins with `<`): its
/// length and whether the element is block-level.
fn tag(s: &str) -> Option<(usize, bool)> {
    let end = s.find('>')?;
    // Tags of a scraped page are ASCII; `<table 這裡 >` is prose about HTML.
    if end > 200 || s[1..end].contains(['\n', '<']) || !s[1..end].is_ascii() {
        return None;
    }
    let inner = s[1..end].trim_start_matches('/').trim_end_matches('/');
    let name_len = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let name = inner[..name_len].to_ascii_lowercase();
    let rest = &inner[name_len..];
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    if BLOCK_TAGS.contains(&name.as_str()) {
        Some((end + 1, true))
    } else if INLINE_TAGS.contains(&name.as_str()) {
        Some((end + 1, false))
    } else {
        None
    }
}

fn looks_like_html_document(text: &str) -> bool {
    let mut cut = text.len().min(4096);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    let lower = head.to_ascii_lowercase();
    ["<html", "<!doctype", "<head", "<body", "<?xml"]
        .iter()
        .any(|m| lower.contains(m))
}

/// Whether the text carries strong evidence of HTML remnants: a block tag
/// that opens or closes a line of Chinese prose (`党员不退。”</p>`: nobody
/// writes that on purpose, while `插入到<table>` in a manual is), or
/// entities of at least two different kinds with a typographic one among
/// them. A single entity repeated (`&#183;&#183;&#183;` as a dotted leader
/// in a review) may be how the text was written; remnants of a page come as
/// a mixture (`&nbsp;` with `&ldquo;`).
fn damaged<'t>(text: &'t str) -> bool {
    let mut strong = false;
    let mut tag_in_prose = false;
    let mut kinds: Vec<&'t str> = Vec::new();
    let mut note = |kind: &'t str, is_strong: bool| {
        strong |= is_strong;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    };
    for line in text.lines() {
        if memchr::memchr2(b'&', b'<', line.as_bytes()).is_none() {
            continue;
        }
        let cjk_line = line.chars().any(is_cjk);
        for (i, c) in line.char_indices() {
            match c {
                '&' => {
                    if let Some((len, _, is_strong)) = entity(&line[i..]) {
                        note(&line[i..i + len], is_strong);
                    }
                }
                '<' if cjk_line => {
                    if let Some((len, block)) = tag(&line[i..]) {
                        let before = line[..i].chars().next_back();
                        let after = line[i + len..].chars().next();
                        let touches = |c: Option<char>| c.is_none_or(is_cjk);
                        // Remnants sit where the scraper cut the page: a
                        // block tag opening or closing a line of Chinese
                        // prose. A tag named mid-sentence (`插入到<table>`)
                        // is documentation about HTML.
                        let at_edge =
                            line[..i].trim().is_empty() || line[i + len..].trim().is_empty();
                        let in_prose = block && at_edge && (touches(before) || touches(after));
                        tag_in_prose |= in_prose;
                        note(&line[i..i + len], in_prose);
                    }
                }
                _ => {}
            }
        }
    }
    tag_in_prose || (strong && kinds.len() >= 2)
}

/// Decode entities and remove stray tags when the text shows strong evidence
/// of HTML remnants (see the module docs).
pub fn fix<'a>(text: &'a str, log: &mut Log) -> Cow<'a, str> {
    if (!text.contains('&') && !text.contains('<'))
        || looks_like_html_document(text)
        || !damaged(text)
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let Some(c) = rest.chars().next() else { break };
        if c == '&' {
            if let Some((len, value, _)) = entity(rest) {
                let value = if value == "\u{A0}" {
                    let before = out.chars().next_back();
                    let after = text[i + len..].chars().next();
                    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                    if alnum(before) && alnum(after) {
                        " ".to_owned()
                    } else {
                        String::new()
                    }
                } else {
                    value
                };
                log.record(KIND_ENTITY, i..i + len, &rest[..len], &value, String::new);
                out.push_str(&value);
                i += len;
                continue;
            }
        } else if c == '<'
            && let Some((len, _)) = tag(rest)
        {
            log.record(KIND_TAG, i..i + len, &rest[..len], "", String::new);
            i += len;
            continue;
        }
        // Copy up to the next `&` or `<` in one go.
        let next = memchr::memchr2(b'&', b'<', &rest.as_bytes()[1..]).map_or(rest.len(), |k| k + 1);
        out.push_str(&rest[..next]);
        i += next;
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> String {
        fix(s, &mut Log::counting()).into_owned()
    }

    #[test]
    fn removes_remnants_in_chinese_prose() {
        assert_eq!(
            f("<p>还开展&ldquo;百村千户扶贫&rdquo;活动，&nbsp;驻军</p>\n下一段</p>"),
            "还开展“百村千户扶贫”活动，驻军\n下一段"
        );
        assert_eq!(
            f("第一行<br>\n第二行&amp;第三行</p>"),
            "第一行\n第二行&第三行"
        );
        // One tag mid-sentence is not enough evidence.
        assert_eq!(
            f("第一行<br>第二行&amp;第三行"),
            "第一行<br>第二行&amp;第三行"
        );
        assert_eq!(f("价格&#165;100&nbsp;USD &#x4E2D;"), "价格¥100 USD 中");
    }

    #[test]
    fn keeps_correct_text() {
        for s in [
            "Use &lt;b&gt; for bold",
            "使用 &lt;b&gt; 表示粗体",
            "echo a < b > c && ls",
            "if (a<b && c>d) { x = 1; }",
            "<html><body><p>中文</p></body></html>",
            "Tom & Jerry; R&D",
            "a <p> tag starts a paragraph",
            "使用字串來描述表的屬性,該屬性字串應該插入到<table 這裡 >\n-x <table>-attributes",
        ] {
            assert_eq!(f(s), s, "{s}");
        }
        // A long text whose 4096th byte is inside a character.
        let long = format!("<b>{}&amp;", "中".repeat(2000));
        {
            let s = long.as_str();
            assert_eq!(f(s), s, "{s}");
        }
    }
}
