//! Documentation strings: spec text -> Markdown that rustdoc renders without warnings.

/// Turns the small HTML subset of Smithy documentation into plain Markdown paragraphs.
pub fn from_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("");
        match name {
            "p" | "br" | "ul" | "ol" if tag.starts_with('/') || name == "br" => {
                out.push_str("\n\n")
            }
            "p" | "ul" | "ol" => out.push_str("\n\n"),
            "li" if !tag.starts_with('/') => out.push_str("\n- "),
            "li" => {}
            "code" => out.push('`'),
            "b" | "strong" => out.push_str("**"),
            "i" | "em" => out.push('*'),
            "a" | "div" | "span" | "note" | "important" | "dl" | "dt" | "dd" | "fullname" => {}
            // Not HTML: text such as `AmazonSSM.<Operation>` is kept as written.
            _ => out.push_str(&rest[start..start + end + 1]),
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
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
/// Text inside backticks is left alone.
pub fn rustdoc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let mut words = Vec::new();
        for word in part.split(' ') {
            if word.starts_with("http://") || word.starts_with("https://") {
                let trimmed = word.trim_end_matches(['.', ',', ')', ';']);
                words.push(format!("<{trimmed}>{}", &word[trimmed.len()..]));
            } else {
                let mut w = String::with_capacity(word.len());
                for c in word.chars() {
                    match c {
                        '[' | ']' | '<' | '>' => {
                            w.push('\\');
                            w.push(c);
                        }
                        _ => w.push(c),
                    }
                }
                words.push(w);
            }
        }
        out.push_str(&words.join(" "));
    }
    out
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
    }
}
