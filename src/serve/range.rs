//! HTTP `Range` requests over a body of a known length, in memory or on disk: what part
//! of it a request asks for.
//!
//! Only single ranges are served (`bytes=a-b`, `bytes=a-`, `bytes=-n`), which is what
//! video and audio players send; a list of ranges, or a header this does not understand,
//! gets the whole body, as RFC 9110 allows. Nothing here knows where the bytes come from.

use std::ops::Range;

/// What to send of a body of a given length.
#[derive(Debug, PartialEq, Eq)]
pub enum Part {
    /// The whole body (no `Range`, or one to ignore).
    Whole,
    /// `206 Partial Content` with these bytes.
    Slice(Range<u64>),
    /// `416 Range Not Satisfiable`: the range starts past the end.
    Unsatisfiable,
}

/// Reads a `Range` header against a body of `len` bytes.
pub fn part(header: Option<&str>, len: u64) -> Part {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Part::Whole;
    };
    if spec.contains(',') {
        return Part::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Part::Whole;
    };
    let number = |s: &str| -> Option<Option<u64>> {
        let s = s.trim();
        if s.is_empty() {
            Some(None)
        } else if s.bytes().all(|b| b.is_ascii_digit()) {
            // A number too large for u64 is past any body's end.
            Some(Some(s.parse().unwrap_or(u64::MAX)))
        } else {
            None
        }
    };
    let (Some(first), Some(last)) = (number(first), number(last)) else {
        return Part::Whole;
    };
    match (first, last) {
        (Some(start), last) => {
            if last.is_some_and(|l| l < start) {
                return Part::Whole;
            }
            if start >= len {
                return Part::Unsatisfiable;
            }
            let end = last.map_or(len, |l| l.saturating_add(1).min(len));
            Part::Slice(start..end)
        }
        (None, Some(suffix)) => {
            if suffix == 0 || len == 0 {
                return Part::Unsatisfiable;
            }
            Part::Slice(len.saturating_sub(suffix)..len)
        }
        (None, None) => Part::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_ranges_of_every_form() {
        assert_eq!(part(Some("bytes=0-9"), 100), Part::Slice(0..10));
        assert_eq!(part(Some("bytes=90-"), 100), Part::Slice(90..100));
        assert_eq!(part(Some("bytes=-10"), 100), Part::Slice(90..100));
        assert_eq!(part(Some("bytes=-500"), 100), Part::Slice(0..100));
        assert_eq!(part(Some("bytes=50-5000"), 100), Part::Slice(50..100));
        assert_eq!(part(Some("bytes=99-99"), 100), Part::Slice(99..100));
        assert_eq!(part(Some(" bytes= 1 - 2 "), 100), Part::Slice(1..3));
    }

    #[test]
    fn past_the_end_is_unsatisfiable() {
        assert_eq!(part(Some("bytes=100-"), 100), Part::Unsatisfiable);
        assert_eq!(part(Some("bytes=100-200"), 100), Part::Unsatisfiable);
        assert_eq!(
            part(Some("bytes=99999999999999999999999-"), 100),
            Part::Unsatisfiable
        );
        assert_eq!(part(Some("bytes=-0"), 100), Part::Unsatisfiable);
        assert_eq!(part(Some("bytes=0-"), 0), Part::Unsatisfiable);
        assert_eq!(part(Some("bytes=-5"), 0), Part::Unsatisfiable);
    }

    #[test]
    fn anything_else_gets_the_whole_body() {
        for header in [
            None,
            Some("bytes=0-1,5-6"),
            Some("bytes=5-1"),
            Some("bytes=a-b"),
            Some("bytes=-"),
            Some("bytes=0-+1"),
            Some("items=0-1"),
            Some("bytes 0-1"),
            Some(""),
        ] {
            assert_eq!(part(header, 100), Part::Whole, "{header:?}");
        }
    }
}
