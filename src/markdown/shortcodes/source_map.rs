//! Offsets in a shortcode-expanded body back to the body as written, so that warnings
//! about the expanded text name the lines the writer sees.

/// Offsets in an expanded body back to offsets in the body as written.
#[derive(Debug, Default)]
pub struct SourceMap {
    /// `(expanded offset, original offset, copied as written)`, in order.
    segments: Vec<(usize, usize, bool)>,
}

impl SourceMap {
    /// Text copied as written maps offset for offset; inserted text maps to the start of
    /// the shortcode it came from.
    pub fn original(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|s| s.0 <= offset);
        match i.checked_sub(1).map(|i| self.segments[i]) {
            Some((expanded, original, true)) => original + (offset - expanded),
            Some((_, original, false)) => original,
            None => offset,
        }
    }
}

/// Builds the expanded text and its map together.
pub struct Builder<'t> {
    pub src: &'t str,
    pub out: String,
    pub map: SourceMap,
    pub copied_to: usize,
}

impl Builder<'_> {
    pub fn copy_to(&mut self, end: usize) {
        if end > self.copied_to {
            self.map
                .segments
                .push((self.out.len(), self.copied_to, true));
            self.out.push_str(&self.src[self.copied_to..end]);
            self.copied_to = end;
        }
    }

    /// Replaces `src[range]` by `text`.
    pub fn replace(&mut self, range: std::ops::Range<usize>, text: &str) {
        self.copy_to(range.start);
        self.map.segments.push((self.out.len(), range.start, false));
        self.out.push_str(text);
        self.copied_to = range.end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_map_points_into_the_original() {
        let mut b = Builder {
            src: "ab{{< x >}}cd",
            out: String::new(),
            map: SourceMap::default(),
            copied_to: 0,
        };
        b.replace(2..11, "\nLONG INSERTED\n");
        b.copy_to(13);
        assert_eq!(b.out, "ab\nLONG INSERTED\ncd");
        assert_eq!(b.map.original(1), 1);
        assert_eq!(b.map.original(5), 2);
        assert_eq!(b.map.original(b.out.len() - 1), 12);
    }
}
