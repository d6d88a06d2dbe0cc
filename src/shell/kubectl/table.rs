//! kubectl's table layout (Go's `text/tabwriter`, as kubectl configures it) and its `AGE` format.
//!
//! A tabwriter pads each tab-terminated cell to the widest cell of its *column block*: the run
//! of consecutive lines that have a tab-terminated cell in that column (a block of column n+1
//! never spans two blocks of column n). The last cell of a line is never padded.

use std::time::Duration;

/// Lays out `rows` (the first being the header) as `kubectl get` does: padding 3, minimum
/// width 6.
pub fn render(rows: &[Vec<String>]) -> String {
    let text: String = rows.iter().map(|r| format!("{}\n", r.join("\t"))).collect();
    tabwrite(&text, 6, 3)
}

/// Aligns tab-separated `text` exactly as Go's tabwriter with `minwidth` and `padding`.
pub fn tabwrite(text: &str, minwidth: usize, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text.split_terminator('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut widths = Vec::new();
    format_block(&lines, 0, lines.len(), &mut widths, minwidth, padding, &mut out);
    out
}

/// Go's `Writer.format`: finds the column blocks of column `widths.len()` in `lines[from..to]`,
/// sizes each, and recurses into the next column within it.
fn format_block(
    lines: &[Vec<&str>],
    from: usize,
    to: usize,
    widths: &mut Vec<usize>,
    minwidth: usize,
    padding: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut line0 = from;
    let mut this = from;
    while this < to {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut width = minwidth;
        while this < to && column + 1 < lines[this].len() {
            width = width.max(lines[this][column].chars().count() + padding);
            this += 1;
        }
        widths.push(width);
        format_block(lines, line0, this, widths, minwidth, padding, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, to, widths, out);
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in &lines[from..to] {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j + 1 < line.len() {
                let w = widths.get(j).copied().unwrap_or(0);
                out.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.chars().count())));
            }
        }
        out.push('\n');
    }
}

/// A duration as kubectl's `AGE` column shows it (`45s`, `3m2s`, `2d4h`, `3y12d`): precise
/// when short, coarser as it grows.
pub fn human_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 120 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        return match secs % 60 {
            0 => format!("{minutes}m"),
            s => format!("{minutes}m{s}s"),
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        return match minutes % 60 {
            0 => format!("{hours}h"),
            m => format!("{hours}h{m}m"),
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if hours < 24 * 8 {
        return match hours % 24 {
            0 => format!("{days}d"),
            h => format!("{days}d{h}h"),
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if hours < 24 * 365 * 8 {
        return match days % 365 {
            0 => format!("{years}y"),
            dy => format!("{years}y{dy}d"),
        };
    }
    format!("{years}y")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_column_matches_kubectl_at_each_boundary() {
        let cases = [
            (0, "0s"),
            (119, "119s"),
            (120, "2m"),
            (125, "2m5s"),
            (599, "9m59s"),
            (600, "10m"),
            (179 * 60 + 59, "179m"),
            (3 * 3600, "3h"),
            (3 * 3600 + 60, "3h1m"),
            (8 * 3600, "8h"),
            (47 * 3600, "47h"),
            (48 * 3600, "2d"),
            (52 * 3600, "2d4h"),
            (8 * 86_400, "8d"),
            (729 * 86_400, "729d"),
            (730 * 86_400, "2y"),
            (742 * 86_400, "2y12d"),
            (9 * 365 * 86_400, "9y"),
        ];
        for (secs, want) in cases {
            assert_eq!(human_duration(Duration::from_secs(secs)), want, "{secs}s");
        }
    }

    #[test]
    fn columns_pad_to_widest_plus_three() {
        let rows = vec![
            vec!["NAME".into(), "STATUS".into(), "AGE".into()],
            vec!["default".into(), "Active".into(), "5s".into()],
        ];
        assert_eq!(render(&rows), "NAME      STATUS   AGE\ndefault   Active   5s\n");
    }

    #[test]
    fn column_blocks_break_where_a_line_lacks_the_column() {
        // "b" has no second tab-terminated cell, so "x" and "long-x" are separate blocks of column 1.
        let text = "a\tx\t1\nb\tlast\nccc\tlong-x\t2\nplain\nd\te\n";
        assert_eq!(tabwrite(text, 0, 2), "a    x  1\nb    last\nccc  long-x  2\nplain\nd  e\n");
    }
}
