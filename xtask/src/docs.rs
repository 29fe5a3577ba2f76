//! Documentation strings: spec text -> Markdown that rustdoc renders without warnings.

/// Turns the small HTML subset of Smithy documentation into plain Markdown paragraphs.
///
/// Line breaks in the HTML source are whitespace, as a browser reads them: only block tags
/// start paragraphs and list items, so a list item never runs on over several lines. Inline
/// markers hug their text (`<i> Guide </i>` becomes `*Guide*`), as Markdown needs.
pub fn from_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // Set after an opening inline marker: whitespace right after it is dropped.
    let mut hug = false;
    let push_text = |out: &mut String, text: &str, hug: &mut bool| {
        let text = text.replace(['\n', '\r', '\t'], " ");
        let text = if *hug { text.trim_start() } else { &text[..] };
        if !text.is_empty() {
            *hug = false;
        }
        out.push_str(text);
    };
    let open = |out: &mut String, marker: &str, hug: &mut bool| {
        out.push_str(marker);
        *hug = true;
    };
    let close = |out: &mut String, marker: &str, hug: &mut bool| {
        let trimmed = out.trim_end_matches(' ').len();
        let had_space = trimmed < out.len();
        out.truncate(trimmed);
        out.push_str(marker);
        if had_space {
            out.push(' ');
        }
        *hug = false;
    };
    while let Some(start) = rest.find('<') {
        push_text(&mut out, &rest[..start], &mut hug);
        let Some(end) = rest[start..].find('>') else {
            push_text(&mut out, &rest[start..], &mut hug);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("");
        let marker = match name {
            "code" => Some("`"),
            "b" | "strong" => Some("**"),
            "i" | "em" => Some("*"),
            _ => None,
        };
        match (name, marker) {
            (_, Some(m)) if closing => close(&mut out, m, &mut hug),
            (_, Some(m)) => open(&mut out, m, &mut hug),
            // A paragraph that opens a list item stays on the item's line.
            ("p", _) if out.trim_end_matches(' ').ends_with("\n-") => {}
            ("p" | "br" | "ul" | "ol", _) => out.push_str("\n\n"),
            ("li", _) if !closing => out.push_str("\n- "),
            ("li", _) => {}
            ("a" | "div" | "span" | "note" | "important" | "dl" | "dt" | "dd" | "fullname", _) => {}
            // Not HTML: text such as `AmazonSSM.<Operation>` is kept as written.
            _ => push_text(&mut out, &rest[start..start + end + 1], &mut hug),
        }
        rest = &rest[start + end + 1..];
    }
    push_text(&mut out, rest, &mut hug);
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    normalize(&out)
}

/// Collapses runs of spaces inside lines and of blank lines between paragraphs.
pub fn normalize(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    for para in text.split("\n\n") {
        let lines: Vec<String> = para
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            paragraphs.push(lines.join("\n"));
        }
    }
    paragraphs.join("\n\n")
}

/// Escapes what rustdoc would otherwise read as links or HTML, and wraps bare URLs.
/// Code spans are left alone: a run of backticks opens one when the same paragraph has a
/// closing run of the same length, as in Markdown (three backticks in the middle of a line
/// are a code span too, and a span never crosses a blank line). Unmatched backticks are
/// plain text.
pub fn rustdoc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        let mut rest = paragraph;
        while let Some(open) = rest.find('`') {
            escape_text(&rest[..open], &mut out);
            let run = rest[open..].bytes().take_while(|b| *b == b'`').count();
            let after = &rest[open + run..];
            match closing_run(after, run) {
                Some(close) => {
                    out.push_str(&rest[open..open + run + close + run]);
                    rest = &after[close + run..];
                }
                None => {
                    out.push_str(&rest[open..open + run]);
                    rest = after;
                }
            }
        }
        escape_text(rest, &mut out);
    }
    out
}

/// Where in `text` a run of exactly `len` backticks starts.
fn closing_run(text: &str, len: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
            if run == len {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// Text outside code spans: Markdown links `[text](https://..)` kept as they are, `[`,
/// `]`, `<` and `>` escaped elsewhere, bare URLs wrapped in `<>`.
fn escape_text(part: &str, out: &mut String) {
    let mut rest = part;
    while let Some((start, end)) = markdown_link(rest) {
        escape_words(&rest[..start], out);
        out.push_str(&rest[start..end]);
        rest = &rest[end..];
    }
    escape_words(rest, out);
}

/// The first Markdown link to a web address in `text`: `[text](http..)`, without brackets
/// or line breaks in its text and without spaces or parentheses in the address.
fn markdown_link(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(open) = text[from..].find('[').map(|i| i + from) {
        from = open + 1;
        let close = text[from..].find(']').map(|i| i + from)?;
        let label = &text[from..close];
        if label.is_empty() || label.contains(['[', '\n']) {
            continue;
        }
        let Some(address) = text[close + 1..].strip_prefix('(') else {
            continue;
        };
        if !(address.starts_with("http://") || address.starts_with("https://")) {
            continue;
        }
        let Some(len) = address.find(')') else {
            continue;
        };
        if address[..len].contains([' ', '\n', '(']) {
            continue;
        }
        // `[`, the label, `](`, the address, `)`.
        return Some((open, close + 2 + len + 1));
    }
    None
}

/// Escapes `[`, `]`, `<` and `>`, and wraps each web address in `<>` (also one that starts
/// inside a word, such as `(https://example.com)`).
fn escape_words(part: &str, out: &mut String) {
    let escape = |text: &str, out: &mut String| {
        for c in text.chars() {
            if matches!(c, '[' | ']' | '<' | '>') {
                out.push('\\');
            }
            out.push(c);
        }
    };
    // Words end at spaces and line breaks; the separator is kept after each.
    for token in part.split_inclusive([' ', '\n']) {
        let word = token.trim_end_matches([' ', '\n']);
        let sep = &token[word.len()..];
        let url_at = ["https://", "http://"]
            .iter()
            .filter_map(|scheme| word.find(scheme))
            .min();
        match url_at {
            Some(at) => {
                let url = word[at..].trim_end_matches(['.', ',', ')', ';', ':', '"', '\'']);
                escape(&word[..at], out);
                out.push_str(&format!("<{url}>"));
                escape(&word[at + url.len()..], out);
            }
            None => escape(word, out),
        }
        out.push_str(sep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_to_markdown() {
        assert_eq!(
            from_html("<p>Lists <code>jobs</code>.</p> <p>Second&amp;more</p>"),
            "Lists `jobs`.\n\nSecond&more"
        );
        assert_eq!(from_html("<ul><li>a</li><li>b</li></ul>"), "- a\n- b");
        // Source line breaks are spaces; markers hug their text.
        assert_eq!(
            from_html(
                "<ul><li><p>see the <i>\n User\n Guide\n </i>\n and <code>x</code>.</p></li></ul>"
            ),
            "- see the *User Guide* and `x`."
        );
        assert_eq!(
            from_html("Target: AmazonSSM.<Operation>"),
            "Target: AmazonSSM.<Operation>"
        );
    }

    #[test]
    fn rustdoc_escapes() {
        assert_eq!(
            rustdoc("pattern [a-z]+ and <token>"),
            "pattern \\[a-z\\]+ and \\<token\\>"
        );
        assert_eq!(
            rustdoc("see `[a-z]` and https://example.com."),
            "see `[a-z]` and <https://example.com>."
        );
        assert_eq!(
            rustdoc("see https://example.com/a.html\nand more"),
            "see <https://example.com/a.html>\nand more"
        );
        // A code span of three backticks in one paragraph; an opening run without its
        // closing run in the paragraph is text (nexus's docs fence code in flowed text).
        assert_eq!(
            rustdoc("a ```x[0]``` b[1]\n\nExample ```rust\n\nlet v = d[0];\n\nend ```"),
            "a ```x[0]``` b\\[1\\]\n\nExample ```rust\n\nlet v = d\\[0\\];\n\nend ```"
        );
        assert_eq!(
            rustdoc("`a` `` b`c `` d[2] `e"),
            "`a` `` b`c `` d\\[2\\] `e"
        );
    }

    #[test]
    fn markdown_links_and_addresses_inside_words() {
        assert_eq!(
            rustdoc("See [RFD 21](https://rfd.example/0021#x) for [a] (https://b.example)."),
            "See [RFD 21](https://rfd.example/0021#x) for \\[a\\] (<https://b.example>)."
        );
        assert_eq!(
            rustdoc("[x](ftp://a) [](https://b)"),
            "\\[x\\](ftp://a) \\[\\](<https://b>)"
        );
    }
}
