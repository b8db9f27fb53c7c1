//! Dates: today's, for leaving out future-dated pages as Hugo does, and which front matter
//! dates are real days.

use std::time::{SystemTime, UNIX_EPOCH};

/// Today in UTC as `YYYY-MM-DD`.
pub fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The `YYYY-MM-DD` a front matter date starts with, when it is a day of the calendar and
/// what follows is a time of day (`T10:00:00+07:00`, ` 10:00`) that exists:
/// `2025-13-45` and `2025-09-09T25:00` are no dates.
pub fn day_part(date: &str) -> Option<&str> {
    let date = date.trim();
    let b = date.as_bytes();
    let shaped = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    if !shaped {
        return None;
    }
    let number = |r: std::ops::Range<usize>| date[r].parse::<u32>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let real_day = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
    (real_day && is_time_of_day(&date[10..])).then(|| &date[..10])
}

/// Nothing, or `T`/space then `HH:MM` (and `:SS`) on a clock; a zone may follow unchecked.
fn is_time_of_day(rest: &str) -> bool {
    let Some(time) = rest.strip_prefix(['T', 't', ' ']) else {
        return rest.is_empty();
    };
    let field = |i: usize| {
        time.get(i..i + 2)
            .filter(|f| f.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|f| f.parse::<u32>().ok())
    };
    let hour_minute = matches!((field(0), time.get(2..3), field(3)), (Some(h), Some(":"), Some(m)) if h < 24 && m < 60);
    let seconds = match time.get(5..6) {
        Some(":") => field(6).is_some_and(|s| s <= 60),
        _ => true,
    };
    hour_minute && seconds
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The day `days` after the day `ymd` (`YYYY-MM-DD`), as `DD/MM/YYYY` and as weekday
/// (0 = Monday): the forms a week's table of tasks writes.
pub fn day_after(ymd: &str, days: i64) -> Option<(String, u32)> {
    let day = day_part(ymd)?;
    let number = |r: std::ops::Range<usize>| day[r].parse::<i64>().ok();
    let n = days_from_civil(number(0..4)?, number(5..7)?, number(8..10)?) + days;
    let (y, m, d) = civil_from_days(n);
    // 1970-01-01 was a Thursday.
    Some((
        format!("{d:02}/{m:02}/{y:04}"),
        (n + 3).rem_euclid(7) as u32,
    ))
}

/// A proleptic Gregorian date to days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_415), (2025, 11, 23));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(days_from_civil(2025, 11, 23), 20_415);
        assert_eq!(day_after("2025-11-03", 0), Some(("03/11/2025".into(), 0)));
        assert_eq!(day_after("2025-12-29", 4), Some(("02/01/2026".into(), 4)));
    }

    #[test]
    fn only_days_of_the_calendar_are_dates() {
        for good in [
            "2025-09-09",
            "2024-02-29",
            "2000-02-29",
            "2025-09-09T10:00:00+07:00",
            "2025-09-09 23:59:60 +0700",
            "2025-09-09T10:00Z",
        ] {
            assert_eq!(day_part(good), Some(&good[..10]), "{good}");
        }
        for bad in [
            "2025-13-45",
            "2025-00-10",
            "2025-04-31",
            "2023-02-29",
            "1900-02-29",
            "2025-09-09T25:00:00",
            "2025-09-09T10:60",
            "2025-09-09T10:00:61",
            "2025-09-09 (Tuesday)",
            "2025-9-9",
            "`r Sys.Date()`",
        ] {
            assert_eq!(day_part(bad), None, "{bad}");
        }
    }
}
