//! Inputs for the fuzz targets: real journal files (`tests/fixtures/seeds/*.md`) mutated
//! with tokens of the syntaxes worklog reads, and URLs built from hostile pieces.
//!
//! Every input is a pure function of `(seed, iteration)`, so that any one input can be
//! made again from the two numbers a failure reports, without storing it.

/// SplitMix64: small, fast, and the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, iteration: u64) -> Rng {
        let mut rng = Rng(seed ^ iteration.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

pub const SEEDS: [&str; 3] = [
    include_str!("../fixtures/seeds/week-6-worklog.md"),
    include_str!("../fixtures/seeds/week-7-worklog.md"),
    include_str!("../fixtures/seeds/workshop-shortcodes.md"),
];

/// Pieces of Markdown, shortcodes and front matter that parsers branch on.
const TOKENS: &[&str] = &[
    "{{<",
    ">}}",
    "{{%",
    "%}}",
    "{{< /",
    "{{% /",
    "/>}}",
    "{{</*",
    "*/>}}",
    "{{%/*",
    "*/%}}",
    "{{< notice info >}}",
    "{{< /notice >}}",
    "{{% expand \"t\" %}}",
    "{{% /expand %}}",
    "{{< button href=\"/x/\" >}}",
    "{{< /button >}}",
    "{{< relref \"/5-Workshop\" >}}",
    "{{< ref \"../a.md#b\" >}}",
    "{{< figure src=\"i.png\" >}}",
    "{{% children depth=\"9\" %}}",
    "{{< attachments />}}",
    "{{< youtube x >}}",
    "{{< unknown a=b \"c d\" `e` >}}",
    "{{",
    "}}",
    "\"",
    "`",
    "```",
    "~~~",
    "\n\n",
    "\n",
    "    ",
    "\t",
    "> ",
    "> [!NOTE]\n",
    "- ",
    "1. ",
    "* ",
    "# ",
    "###### ",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "[^1]",
    "[^1]: ",
    "<!--",
    "-->",
    "<div>",
    "</div>",
    "<a href=\"",
    "<img src='",
    "href=",
    "src=",
    "|",
    "|---|\n",
    "**",
    "__",
    "~~",
    "*",
    "_",
    "&amp;",
    "&#x0;",
    "&",
    "<",
    ">",
    "\\",
    "{#id}",
    " {.c}",
    "---\n",
    "+++\n",
    "title: ",
    "date: 2025-13-45\n",
    "weight: ",
    "[params]\n",
    ": ",
    "&a ",
    "*a",
    "!!binary ",
    "<<: ",
    "? ",
    "|\n",
    "- - -",
    "=",
    "é",
    "Tổng kết",
    "\u{feff}",
    "\u{E010}",
    "\u{E011}",
    "\u{E020}",
    "\u{E000}",
    "\r",
    "\0",
    "%",
    "%2e",
    "../",
    "./",
    "/",
    "//",
    "#",
    "?",
    "http://",
    "mailto:",
    " ",
];

/// Pieces of request paths and links.
const URL_PIECES: &[&str] = &[
    "/",
    "/",
    "/",
    "//",
    ".",
    "..",
    "./",
    "../",
    "%2e",
    "%2E",
    "%2e%2e",
    "%2f",
    "%2F",
    "%5c",
    "%5C",
    "%00",
    "%",
    "%z",
    "%zz",
    "%e2%80%8f",
    "%c3%a9",
    "%ff",
    "\\",
    "\0",
    "?",
    "#",
    "?a=1",
    "#x",
    ";",
    ":",
    "j",
    "journal",
    "1-worklog",
    "1-Worklog",
    "1.1-week1",
    "1.1-Week1",
    "index.html",
    "images",
    "My Pic.png",
    "My%20Pic.png",
    "a b",
    "é",
    "__worklog",
    "live.js",
    "http:",
    "https://x.io/",
    "mailto:a@b",
    "javascript:",
    "~",
    "-",
    "_",
    "%25",
    "%252e",
    "\u{202e}",
    " ",
    "\t",
    "\n",
    "5.2-Prerequisite",
];

/// Base paths a site may have.
pub const BASE_PATHS: [&str; 4] = ["/", "/j/", "/journal/", "/a%20b/"];

/// A URL or request path: 1 to 8 pieces, sometimes mutated.
pub fn url(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.one_in(3) {
        s.push_str(rng.pick(&BASE_PATHS));
    }
    for _ in 0..=rng.below(8) {
        s.push_str(rng.pick(URL_PIECES));
    }
    if rng.one_in(4) {
        mutate(rng, &mut s, 2);
    }
    s
}

/// A whole content file: a seed whose front matter (most of the time) or whole text is
/// mutated.
pub fn file(rng: &mut Rng) -> String {
    let seed = rng.pick(&SEEDS);
    let rounds = 1 + rng.below(8);
    let block_end = seed[3..]
        .find("\n---\n")
        .or_else(|| seed[3..].find("\n+++\n"));
    match block_end {
        Some(end) if !rng.one_in(4) => {
            let mut block = seed[3..end + 4].to_string();
            mutate(rng, &mut block, rounds);
            format!("{}{block}{}", &seed[..3], &seed[end + 4..])
        }
        _ => {
            let mut s = seed.to_string();
            mutate(rng, &mut s, rounds);
            s
        }
    }
}

/// A page body: a piece of a seed without its front matter, mutated.
pub fn body(rng: &mut Rng) -> String {
    let seed = rng.pick(&SEEDS);
    let body = seed[3..]
        .find("\n---\n")
        .or_else(|| seed[3..].find("\n+++\n"));
    let body = body.map_or(seed, |i| &seed[i + 8..]);
    let mut s = if rng.one_in(2) {
        let (a, b) = (boundary(rng, body), boundary(rng, body));
        body[a.min(b)..a.max(b)].to_string()
    } else {
        body.to_string()
    };
    let rounds = 1 + rng.below(8);
    mutate(rng, &mut s, rounds);
    s
}

/// Inputs stay under this size: big enough for nesting and repetition to bite, small
/// enough for a million of them.
const MAX_LEN: usize = 256 * 1024;

/// Applies `rounds` random edits to `s`, always at character boundaries.
pub fn mutate(rng: &mut Rng, s: &mut String, rounds: usize) {
    for _ in 0..rounds {
        let at = boundary(rng, s);
        match rng.below(10) {
            0..=2 => s.insert_str(at, rng.pick(TOKENS)),
            3 => {
                let end = boundary(rng, s);
                s.replace_range(at.min(end)..at.max(end), "");
            }
            4 => {
                let end = floor(s, boundary(rng, s).max(at).min(at + 4096));
                let piece = s[at..end].to_string();
                s.insert_str(at, &piece.repeat(1 + rng.below(4)));
            }
            5 => {
                let other = rng.pick(&SEEDS);
                let (a, b) = (boundary(rng, other), boundary(rng, other));
                s.insert_str(at, &other[a.min(b)..a.max(b)]);
            }
            6 => {
                // Nesting and long runs: what recursion and quadratic work feed on.
                let token = rng.pick(TOKENS);
                let most = if rng.one_in(8) { 2000 } else { 70 };
                let n = 1 + rng.below(most);
                s.insert_str(at, &token.repeat(n));
            }
            7 => {
                let n = 1 + rng.below(80);
                let (open, close) = rng.pick(&PAIRS);
                let end = boundary(rng, s).max(at);
                let inner = s[at..end].to_string();
                let wrapped = format!("{}{inner}{}", open.repeat(n), close.repeat(n));
                s.replace_range(at..end, &wrapped);
            }
            8 => {
                let c = random_char(rng);
                s.insert(at, c);
            }
            _ => {
                let end = floor(s, boundary(rng, s).max(at).min(at + 64));
                s.replace_range(at..end, rng.pick(TOKENS));
            }
        }
        if s.len() > MAX_LEN {
            let cut = floor(s, MAX_LEN);
            s.truncate(cut);
        }
    }
}

const PAIRS: [(&str, &str); 6] = [
    ("{{% expand %}}\n", "{{% /expand %}}\n"),
    ("{{< button >}}", "{{< /button >}}"),
    ("{{% notice tip %}}", "{{% /notice %}}"),
    ("> ", "\n"),
    ("[", "](x)"),
    ("<details>", "</details>"),
];

fn random_char(rng: &mut Rng) -> char {
    match rng.below(6) {
        0 => char::from(rng.below(0x20) as u8),
        1 => char::from(0x20 + rng.below(0x5f) as u8),
        2 => char::from_u32(0x80 + rng.below(0x780) as u32).unwrap_or('é'),
        3 => char::from_u32(0xE000 + rng.below(0x100) as u32).unwrap_or('\u{E000}'),
        4 => char::from_u32(0x1F300 + rng.below(0x300) as u32).unwrap_or('😀'),
        _ => rng.pick(&['\n', ' ', '{', '}', '<', '>', '%', '/', '"', '\\', '[', ']']),
    }
}

/// A random character boundary of `s`.
fn boundary(rng: &mut Rng, s: &str) -> usize {
    floor(s, rng.below(s.len() + 1))
}

/// The largest character boundary at or before `i`.
fn floor(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
