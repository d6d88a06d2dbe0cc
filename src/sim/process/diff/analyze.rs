//! The edit script between two files' lines, found the way GNU diff finds it (diffutils'
//! `analyze.c` over gnulib's `diffseq.h`), so that where several shortest scripts exist the
//! sandbox picks the one GNU prints:
//!
//! 1. the identical first and last lines are set aside, keeping `horizon` of them (the
//!    context of `-u`) for the later steps to work with (`find_identical_ends`);
//! 2. lines fall into classes of lines that compare equal under `-i`, `-b`, `-w`, `-Z`;
//! 3. lines with no match in the other file, and runs of lines with very many, are marked
//!    changed before the search and left out of it (`discard_confusing_lines`);
//! 4. Myers' O(ND) search from both ends for the middle of a shortest script, divide and
//!    conquer (`compareseq`, `diag`), giving up on a piece past an edit distance that grows
//!    with the square root of the input (`too_expensive`), as GNU does;
//! 5. runs of changes slide down (and up, to meet a change in the other file) over equal
//!    lines, so `a b a` → `a` deletes the last two lines, not the first two (`shift_boundaries`).
//!
//! All input is untrusted: the search counts its steps, and past [`MAX_WORK`] the pieces left
//! are shown as replaced whole: still a correct diff, only not the shortest.

use std::collections::HashMap;

/// Most steps (diagonals visited and lines compared) of the search for one pair of files.
/// GNU has no such bound; past it, what is not yet compared shows as deleted and inserted.
pub const MAX_WORK: u64 = 20_000_000;

/// How lines compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// `-i`.
    pub ignore_case: bool,
    pub white: White,
    /// `-d`: no lines left out of the search, and no giving up on an expensive piece.
    pub minimal: bool,
    /// How many of the identical first and last lines the search keeps (GNU's
    /// `horizon_lines`, at least the context of `-u`/`-c`).
    pub horizon: usize,
}

/// Which white space does not count (GNU's `ignore_white_space`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum White {
    #[default]
    Counts,
    /// `-Z`: at the end of a line.
    Trailing,
    /// `-b`: a run of it is one space, none at the end of a line.
    Change,
    /// `-w`: none at all.
    All,
}

/// One hunk of the script: `deleted` lines of file 0 from `line0` replaced by `inserted`
/// lines of file 1 from `line1` (0-based; with nothing deleted, `line0` is the line the
/// insertion goes before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub line0: usize,
    pub line1: usize,
    pub deleted: usize,
    pub inserted: usize,
}

/// One file's lines without their newlines; `incomplete`: the last one has none.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub lines: &'a [&'a str],
    pub incomplete: bool,
}

impl Side<'_> {
    fn is_incomplete(&self, i: usize) -> bool {
        self.incomplete && i + 1 == self.lines.len()
    }
}

/// The changes from `a` to `b`, in order. The search takes steps from `budget` (see
/// [`MAX_WORK`]); with none left, whatever is not yet matched shows as replaced.
pub fn edit_script(a: Side<'_>, b: Side<'_>, o: &Options, budget: &mut u64) -> Vec<Change> {
    let (n0, n1) = (a.lines.len(), b.lines.len());
    // 1. Identical ends, compared byte for byte whatever the options (as GNU does).
    let same = |i: usize, j: usize| a.lines[i] == b.lines[j] && a.is_incomplete(i) == b.is_incomplete(j);
    let prefix = (0..n0.min(n1)).take_while(|&i| same(i, i)).count();
    let start = prefix.saturating_sub(o.horizon);
    let room = n0.min(n1) - start;
    let suffix = (0..room).take_while(|&k| same(n0 - 1 - k, n1 - 1 - k)).count();
    let kept = suffix.saturating_sub(o.horizon);
    let (end0, end1) = (n0 - kept, n1 - kept);

    // 2. Classes, numbered from 1 in order of first appearance.
    let mut classes: HashMap<(String, bool), u32> = HashMap::new();
    let mut class_of = |side: &Side<'_>, i: usize| -> u32 {
        // An incomplete last line matches only the other's, unless white space at the end
        // of a line does not count (GNU's `buckets[-1]`).
        let apart = side.is_incomplete(i) && o.white == White::Counts;
        let key = (normalize(side.lines[i], o), apart);
        let next = classes.len() as u32 + 1;
        *classes.entry(key).or_insert(next)
    };
    let eq0: Vec<u32> = (start..end0).map(|i| class_of(&a, i)).collect();
    let eq1: Vec<u32> = (start..end1).map(|i| class_of(&b, i)).collect();
    let max_class = classes.len() + 1;

    let mut changed = [vec![false; eq0.len()], vec![false; eq1.len()]];
    // 3. and 4.
    let kept0 = keep_for_search(&eq0, &eq1, max_class, o.minimal);
    let kept1 = keep_for_search(&eq1, &eq0, max_class, o.minimal);
    for (f, kept) in [&kept0, &kept1].into_iter().enumerate() {
        let mut next = 0;
        for &k in kept.iter() {
            changed[f][next..k].iter_mut().for_each(|c| *c = true);
            next = k + 1;
        }
        let len = changed[f].len();
        changed[f][next..len].iter_mut().for_each(|c| *c = true);
    }
    let xv: Vec<u32> = kept0.iter().map(|&i| eq0[i]).collect();
    let yv: Vec<u32> = kept1.iter().map(|&i| eq1[i]).collect();
    let (xc, yc) = Search::new(&xv, &yv, *budget).run(o.minimal, budget);
    for (k, c) in xc.into_iter().enumerate() {
        changed[0][kept0[k]] |= c;
    }
    for (k, c) in yc.into_iter().enumerate() {
        changed[1][kept1[k]] |= c;
    }
    // 5.
    shift_boundaries([&eq0, &eq1], &mut changed);
    build_script(&changed, start)
}

/// A line as its class sees it: case folded for `-i`, white space dropped or squeezed.
pub(super) fn normalize(line: &str, o: &Options) -> String {
    let space = |c: char| c.is_ascii_whitespace() || c == '\x0b';
    let mut s: String = match o.white {
        White::Counts => line.to_string(),
        White::Trailing => line.trim_end_matches(space).to_string(),
        White::All => line.chars().filter(|c| !space(*c)).collect(),
        White::Change => {
            let mut out = String::with_capacity(line.len());
            let mut pending = false;
            for c in line.chars() {
                if space(c) {
                    pending = true;
                } else {
                    if pending {
                        out.push(' ');
                        pending = false;
                    }
                    out.push(c);
                }
            }
            out
        }
    };
    if o.ignore_case {
        s = s.to_lowercase();
    }
    s
}

fn floor_log2(n: usize) -> u32 {
    usize::BITS - 1 - n.max(1).leading_zeros()
}

/// The lines of `mine` the search looks at (their indexes, in order); the others have no
/// match in `other`, or are among so many alike that they would only confuse it, and are
/// changed anyway. With `minimal`, all of them.
fn keep_for_search(mine: &[u32], other: &[u32], max_class: usize, minimal: bool) -> Vec<usize> {
    if minimal {
        return (0..mine.len()).collect();
    }
    let mut count = vec![0usize; max_class];
    for &c in other {
        count[c as usize] += 1;
    }
    let end = mine.len();
    // A line matching more than about the square root of the file's length is provisionally
    // discardable (2); one matching nothing is discarded (1).
    let many = 5usize << if end < 64 { 0 } else { (floor_log2(end) >> 1) - 3 };
    let mut d: Vec<u8> = mine
        .iter()
        .map(|&c| match count[c as usize] {
            0 => 1,
            n if n > many => 2,
            _ => 0,
        })
        .collect();
    // Provisional discards stand only inside a run of discards with real ones at both ends.
    let mut i = 0;
    while i < end {
        if d[i] == 2 {
            d[i] = 0;
        } else if d[i] != 0 {
            let mut provisional = 0;
            let mut j = i;
            while j < end && d[j] != 0 {
                provisional += usize::from(d[j] == 2);
                j += 1;
            }
            while j > i && d[j - 1] == 2 {
                j -= 1;
                d[j] = 0;
                provisional -= 1;
            }
            let length = j - i;
            if length >> 2 < provisional {
                // A quarter of the run provisional: none of them is discarded.
                for x in &mut d[i..j] {
                    if *x == 2 {
                        *x = 0;
                    }
                }
            } else {
                // A subrun of `minimum` or more provisionals inside the run is kept.
                let minimum = if length < 4 { 2 } else { (1 << ((floor_log2(length) >> 1) - 1)) + 1 };
                let mut consec = 0usize;
                let mut k = 0usize;
                while k < length {
                    if d[i + k] != 2 {
                        consec = 0;
                    } else {
                        consec += 1;
                        if consec == minimum {
                            // Back to the start of the subrun, to cancel it all.
                            k = k + 1 - consec;
                            continue;
                        } else if consec > minimum {
                            d[i + k] = 0;
                        }
                    }
                    k += 1;
                }
                // From each end, provisionals stand only past three real discards in a row
                // or past the first real one at least 8 lines in.
                let mut consec = 0;
                for k in 0..length {
                    let x = &mut d[i + k];
                    if k >= 8 && *x == 1 {
                        break;
                    }
                    match *x {
                        2 => {
                            consec = 0;
                            *x = 0;
                        }
                        0 => consec = 0,
                        _ => consec += 1,
                    }
                    if consec == 3 {
                        break;
                    }
                }
                i += length - 1;
                let mut consec = 0;
                for k in 0..length {
                    let x = &mut d[i - k];
                    if k >= 8 && *x == 1 {
                        break;
                    }
                    match *x {
                        2 => {
                            consec = 0;
                            *x = 0;
                        }
                        0 => consec = 0,
                        _ => consec += 1,
                    }
                    if consec == 3 {
                        break;
                    }
                }
            }
        }
        i += 1;
    }
    (0..end).filter(|&i| d[i] == 0).collect()
}

/// A midpoint of a shortest script, and whether each half may still be searched exactly.
struct Part {
    x: usize,
    y: usize,
    lo_minimal: bool,
    hi_minimal: bool,
}

/// The bidirectional search over the lines kept for it.
struct Search<'a> {
    xv: &'a [u32],
    yv: &'a [u32],
    /// Per diagonal `x - y` (shifted by `shift`): the furthest `x` the forward search reached,
    /// and the least the backward one did.
    fd: Vec<isize>,
    bd: Vec<isize>,
    shift: isize,
    too_expensive: isize,
    work: u64,
    limit: u64,
}

impl<'a> Search<'a> {
    fn new(xv: &'a [u32], yv: &'a [u32], limit: u64) -> Search<'a> {
        let diags = xv.len() + yv.len() + 3;
        // About the square root of the input, at least 4096 (GNU's choice).
        let too_expensive = (1isize << ((floor_log2(diags) >> 1) + 1)).max(4096);
        Search {
            xv,
            yv,
            fd: vec![0; diags],
            bd: vec![0; diags],
            shift: yv.len() as isize + 1,
            too_expensive,
            work: 0,
            limit,
        }
    }

    fn at(&self, d: isize) -> usize {
        (d + self.shift) as usize
    }

    /// Which lines of each side are changed. GNU recurses; a stack does the same here.
    fn run(mut self, minimal: bool, budget: &mut u64) -> (Vec<bool>, Vec<bool>) {
        let (mut xc, mut yc) = (vec![false; self.xv.len()], vec![false; self.yv.len()]);
        let mut pieces = vec![(0, self.xv.len(), 0, self.yv.len(), minimal)];
        while let Some((mut xoff, mut xlim, mut yoff, mut ylim, minimal)) = pieces.pop() {
            while xoff < xlim && yoff < ylim && self.xv[xoff] == self.yv[yoff] {
                xoff += 1;
                yoff += 1;
            }
            while xoff < xlim && yoff < ylim && self.xv[xlim - 1] == self.yv[ylim - 1] {
                xlim -= 1;
                ylim -= 1;
            }
            self.work += (xlim - xoff + ylim - yoff) as u64;
            if xoff == xlim || yoff == ylim || self.work > self.limit {
                xc[xoff..xlim].iter_mut().for_each(|c| *c = true);
                yc[yoff..ylim].iter_mut().for_each(|c| *c = true);
                continue;
            }
            let p = self.diag(xoff, xlim, yoff, ylim, minimal);
            // A midpoint at a corner would give back the same piece: never from the search
            // itself, but the step bound may stop a snake short.
            if (p.x, p.y) == (xoff, yoff) || (p.x, p.y) == (xlim, ylim) {
                xc[xoff..xlim].iter_mut().for_each(|c| *c = true);
                yc[yoff..ylim].iter_mut().for_each(|c| *c = true);
                continue;
            }
            pieces.push((p.x, xlim, p.y, ylim, p.hi_minimal));
            pieces.push((xoff, p.x, yoff, p.y, p.lo_minimal));
        }
        *budget = budget.saturating_sub(self.work);
        (xc, yc)
    }

    /// The midpoint of a shortest script for `x[xoff..xlim]` to `y[yoff..ylim]`, whose first
    /// and last lines differ (Myers 1986, section 4.2, with GNU's bound on the cost).
    fn diag(&mut self, xoff: usize, xlim: usize, yoff: usize, ylim: usize, minimal: bool) -> Part {
        let (xoff, xlim, yoff, ylim) = (xoff as isize, xlim as isize, yoff as isize, ylim as isize);
        let (dmin, dmax) = (xoff - ylim, xlim - yoff);
        let (fmid, bmid) = (xoff - yoff, xlim - ylim);
        let (mut fmin, mut fmax, mut bmin, mut bmax) = (fmid, fmid, bmid, bmid);
        let odd = (fmid - bmid) & 1 != 0;
        let (xv, yv) = (self.xv, self.yv);
        let part = |x: isize, y: isize, lo: bool, hi: bool| Part {
            x: x as usize,
            y: y as usize,
            lo_minimal: lo,
            hi_minimal: hi,
        };
        let i = self.at(fmid);
        self.fd[i] = xoff;
        let i = self.at(bmid);
        self.bd[i] = xlim;
        let mut c: isize = 1;
        loop {
            // One more edit on each diagonal of the forward search.
            if fmin > dmin {
                fmin -= 1;
                let i = self.at(fmin - 1);
                self.fd[i] = -1;
            } else {
                fmin += 1;
            }
            if fmax < dmax {
                fmax += 1;
                let i = self.at(fmax + 1);
                self.fd[i] = -1;
            } else {
                fmax -= 1;
            }
            let mut d = fmax;
            while d >= fmin {
                let (tlo, thi) = (self.fd[self.at(d - 1)], self.fd[self.at(d + 1)]);
                let x0 = if tlo < thi { thi } else { tlo + 1 };
                let (mut x, mut y) = (x0, x0 - d);
                while x < xlim && y < ylim && xv[x as usize] == yv[y as usize] && self.work < 2 * self.limit {
                    x += 1;
                    y += 1;
                    self.work += 1;
                }
                self.work += 1;
                let i = self.at(d);
                self.fd[i] = x;
                if odd && bmin <= d && d <= bmax && self.bd[i] <= x {
                    return part(x, y, true, true);
                }
                d -= 2;
            }
            // And on each of the backward search.
            if bmin > dmin {
                bmin -= 1;
                let i = self.at(bmin - 1);
                self.bd[i] = isize::MAX;
            } else {
                bmin += 1;
            }
            if bmax < dmax {
                bmax += 1;
                let i = self.at(bmax + 1);
                self.bd[i] = isize::MAX;
            } else {
                bmax -= 1;
            }
            let mut d = bmax;
            while d >= bmin {
                let (tlo, thi) = (self.bd[self.at(d - 1)], self.bd[self.at(d + 1)]);
                let x0 = if tlo < thi { tlo } else { thi - 1 };
                let (mut x, mut y) = (x0, x0 - d);
                while xoff < x && yoff < y && xv[x as usize - 1] == yv[y as usize - 1] && self.work < 2 * self.limit {
                    x -= 1;
                    y -= 1;
                    self.work += 1;
                }
                self.work += 1;
                let i = self.at(d);
                self.bd[i] = x;
                if !odd && fmin <= d && d <= fmax && x <= self.fd[i] {
                    return part(x, y, true, true);
                }
                d -= 2;
            }
            if (minimal || c < self.too_expensive) && self.work <= self.limit {
                c += 1;
                continue;
            }
            // Well beyond the call of duty: the better of the forward diagonal that got
            // furthest (largest x + y) and the backward one that did.
            let (mut fxybest, mut fxbest) = (-1, xoff);
            let mut d = fmax;
            while d >= fmin {
                let mut x = self.fd[self.at(d)].min(xlim);
                let mut y = x - d;
                if ylim < y {
                    x = ylim + d;
                    y = ylim;
                }
                if fxybest < x + y {
                    fxybest = x + y;
                    fxbest = x;
                }
                d -= 2;
            }
            let (mut bxybest, mut bxbest) = (isize::MAX, xlim);
            let mut d = bmax;
            while d >= bmin {
                let mut x = self.bd[self.at(d)].max(xoff);
                let mut y = x - d;
                if y < yoff {
                    x = yoff + d;
                    y = yoff;
                }
                if x + y < bxybest {
                    bxybest = x + y;
                    bxbest = x;
                }
                d -= 2;
            }
            return if (xlim + ylim) - bxybest < fxybest - (xoff + yoff) {
                part(fxbest, fxybest - fxbest, true, false)
            } else {
                part(bxbest, bxybest - bxbest, false, true)
            };
        }
    }
}

/// Slides each run of changes over the equal lines around it: first up, merging with the
/// runs before it, then down as far as it goes, merging with those after, and at last back up
/// to where it faces a run of changes in the other file, if it passed one.
fn shift_boundaries(equivs: [&[u32]; 2], changed: &mut [Vec<bool>; 2]) {
    // Lines -1 and `len` are never changed (GNU's sentinels).
    fn at(v: &[bool], i: isize) -> bool {
        i >= 0 && (i as usize) < v.len() && v[i as usize]
    }
    fn set(v: &mut [bool], i: isize, to: bool) {
        if i >= 0 && (i as usize) < v.len() {
            v[i as usize] = to;
        }
    }
    for (f, eq) in equivs.into_iter().enumerate() {
        let (first, second) = changed.split_at_mut(1);
        let (mine, other): (&mut Vec<bool>, &Vec<bool>) =
            if f == 0 { (&mut first[0], &second[0]) } else { (&mut second[0], &first[0]) };
        let len = eq.len() as isize;
        let e = |i: isize| eq[i as usize];
        let (mut i, mut j) = (0isize, 0isize);
        loop {
            // The next run of changes, and the matching point in the other file.
            while i < len && !at(mine, i) {
                loop {
                    let c = at(other, j);
                    j += 1;
                    if !c {
                        break;
                    }
                }
                i += 1;
            }
            if i == len {
                break;
            }
            let mut start = i;
            loop {
                i += 1;
                if !at(mine, i) {
                    break;
                }
            }
            while at(other, j) {
                j += 1;
            }
            let mut corresponding;
            loop {
                let runlength = i - start;
                // Up, while the line before the run equals its last line.
                while start > 0 && e(start - 1) == e(i - 1) {
                    start -= 1;
                    set(mine, start, true);
                    i -= 1;
                    set(mine, i, false);
                    while at(mine, start - 1) {
                        start -= 1;
                    }
                    loop {
                        j -= 1;
                        if !at(other, j) {
                            break;
                        }
                    }
                }
                // Where the run last faced a run of changes in the other file.
                corresponding = if at(other, j - 1) { i } else { len };
                // Down, while its first line equals the line after it.
                while i != len && e(start) == e(i) {
                    set(mine, start, false);
                    start += 1;
                    set(mine, i, true);
                    i += 1;
                    while at(mine, i) {
                        i += 1;
                    }
                    loop {
                        j += 1;
                        if !at(other, j) {
                            break;
                        }
                        corresponding = i;
                    }
                }
                if runlength == i - start {
                    break;
                }
            }
            while corresponding < i {
                start -= 1;
                set(mine, start, true);
                i -= 1;
                set(mine, i, false);
                loop {
                    j -= 1;
                    if !at(other, j) {
                        break;
                    }
                }
            }
        }
    }
}

/// The changes as hunks of consecutive changed lines, shifted by the lines set aside first.
fn build_script(changed: &[Vec<bool>; 2], offset: usize) -> Vec<Change> {
    let at = |f: usize, i: usize| changed[f].get(i).copied().unwrap_or(false);
    let (len0, len1) = (changed[0].len(), changed[1].len());
    let mut out = Vec::new();
    let (mut i0, mut i1) = (0, 0);
    while i0 < len0 || i1 < len1 {
        if at(0, i0) || at(1, i1) {
            let (line0, line1) = (i0, i1);
            while at(0, i0) {
                i0 += 1;
            }
            while at(1, i1) {
                i1 += 1;
            }
            out.push(Change {
                line0: line0 + offset,
                line1: line1 + offset,
                deleted: i0 - line0,
                inserted: i1 - line1,
            });
        }
        i0 += 1;
        i1 += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(a: &str, b: &str) -> Vec<(usize, usize, usize, usize)> {
        let (x, y): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        let (a, b) = (Side { lines: &x, incomplete: false }, Side { lines: &y, incomplete: false });
        edit_script(a, b, &Options::default(), &mut { MAX_WORK })
            .into_iter()
            .map(|c| (c.line0, c.line1, c.deleted, c.inserted))
            .collect()
    }

    #[test]
    fn a_run_of_equal_lines_loses_its_last_lines_as_gnu_shifts_it() {
        // GNU diff 3.8: `a b a` → `a` is `2,3d1`.
        assert_eq!(script("a\nb\na\n", "a\n"), vec![(1, 1, 2, 0)]);
        // And `x a a` → `x a` deletes the last `a` (`3d2`).
        assert_eq!(script("x\na\na\n", "x\na\n"), vec![(2, 2, 1, 0)]);
        // `a b b` → `b a`: `1,2d0` and `3a2` (busybox replaces the last line instead).
        assert_eq!(script("a\nb\nb\n", "b\na\n"), vec![(0, 0, 2, 0), (3, 1, 0, 1)]);
    }

    #[test]
    fn lines_without_a_match_are_changes_without_a_search() {
        assert_eq!(script("a\nb\nc\n", "d\ne\nf\n"), vec![(0, 0, 3, 3)]);
        assert_eq!(script("", "x\n"), vec![(0, 0, 0, 1)]);
        assert_eq!(script("x\n", "x\n"), vec![]);
    }
}
