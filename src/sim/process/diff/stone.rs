//! The common lines of two files as busybox diff finds them (its `create_J` and `stone`, from
//! OpenBSD's diff): Harold Stone's k-candidates, after setting aside the first and last lines
//! that compare equal. Where several longest common subsequences exist it picks other ones
//! than GNU does, so busybox images print busybox's hunks.
//!
//! busybox bounds the classes it tries per line (256, or the square root of the length);
//! the sandbox also counts the steps, and past the budget leaves the rest unmatched: still a
//! correct diff, only not the shortest.

use std::collections::HashMap;

use super::analyze::{normalize, Change, Options, Side, White};

/// One k-candidate: line `x` of file 0 matched with line `y` of file 1, after the candidate
/// `pred` (indexes into the list; the first is the empty start).
#[derive(Debug, Clone, Copy)]
struct Cand {
    x: usize,
    y: usize,
    pred: usize,
}

/// busybox's integer square root (Newton's iteration, stopping within one).
fn isqrt(n: usize) -> usize {
    let mut x = 1usize;
    loop {
        let y = x;
        x = (n / x + x) >> 1;
        if x <= y + 1 && x + 1 >= y {
            return x;
        }
    }
}

/// Where `y` goes among the candidates `klist[0..=k]`, ordered by their `y`.
fn search(klist: &[usize], k: usize, y: usize, clist: &[Cand]) -> usize {
    if clist[klist[k]].y < y {
        return k + 1;
    }
    let (mut i, mut j) = (0, k + 1);
    loop {
        let l = (i + j) >> 1;
        if l <= i {
            return l + 1;
        }
        let t = clist[klist[l]].y;
        if t > y {
            j = l;
        } else if t < y {
            i = l;
        } else {
            return l;
        }
    }
}

/// The changes from `a` to `b`, in order (`horizon` is not used: busybox has none).
pub fn edit_script(a: Side<'_>, b: Side<'_>, o: &Options, budget: &mut u64) -> Vec<Change> {
    let mut classes: HashMap<(String, bool), u32> = HashMap::new();
    let mut class_of = |side: &Side<'_>, i: usize| -> u32 {
        let apart = side.incomplete && i + 1 == side.lines.len() && o.white == White::Counts;
        let next = classes.len() as u32;
        *classes.entry((normalize(side.lines[i], o), apart)).or_insert(next)
    };
    let ka: Vec<u32> = (0..a.lines.len()).map(|i| class_of(&a, i)).collect();
    let kb: Vec<u32> = (0..b.lines.len()).map(|i| class_of(&b, i)).collect();
    let (n0, n1) = (ka.len(), kb.len());
    let pref = (0..n0.min(n1)).take_while(|&i| ka[i] == kb[i]).count();
    let suff = (0..(n0 - pref).min(n1 - pref)).take_while(|&k| ka[n0 - 1 - k] == kb[n1 - 1 - k]).count();
    let (xs, ys) = (&ka[pref..n0 - suff], &kb[pref..n1 - suff]);

    // J[i]: the line of file 1 (1-based) matched with line i of file 0, 0 for none.
    let mut j = vec![0usize; n0 + 2];
    for (i, m) in j.iter_mut().enumerate().take(pref + 1) {
        *m = i;
    }
    for (i, m) in j.iter_mut().enumerate().take(n0 + 1).skip(n0 - suff + 1) {
        *m = i + n1 - n0;
    }
    // Each class's lines in file 1 (1-based within the middle), in order.
    let mut members: HashMap<u32, Vec<usize>> = HashMap::new();
    for (k, c) in ys.iter().enumerate() {
        members.entry(*c).or_default().push(k + 1);
    }
    let n = xs.len();
    let bound = if o.minimal { usize::MAX } else { isqrt(n).max(256) };
    let mut clist = vec![Cand { x: 0, y: 0, pred: 0 }];
    let mut klist = vec![0usize; n + 2];
    let mut k = 0usize;
    let mut work = 0u64;
    'lines: for x in 1..=n {
        let Some(m) = members.get(&xs[x - 1]) else { continue };
        let (mut pred, mut oldl, mut tries) = (klist[0], 0, 0);
        for &y in m {
            work += 1 + k.max(1).ilog2() as u64;
            if work > *budget {
                break 'lines;
            }
            if y > clist[pred].y {
                let l = search(&klist, k, y, &clist);
                if l != oldl + 1 {
                    pred = klist[l - 1];
                }
                if l > k || clist[klist[l]].y > y {
                    clist.push(Cand { x, y, pred });
                    let tc = klist[l];
                    klist[l] = clist.len() - 1;
                    if l <= k {
                        pred = tc;
                        oldl = l;
                        tries += 1;
                    } else {
                        k += 1;
                        break;
                    }
                }
            }
            if tries >= bound {
                break;
            }
        }
    }
    *budget = budget.saturating_sub(work);
    let mut q = klist[k];
    while clist[q].y != 0 {
        j[clist[q].x + pref] = clist[q].y + pref;
        q = clist[q].pred;
    }

    // The changes lie between consecutive matched lines.
    let mut out = Vec::new();
    let (mut xa, mut ya) = (0, 0);
    for (xb, yb) in (1..=n0).filter(|&i| j[i] != 0).map(|i| (i, j[i])).chain([(n0 + 1, n1 + 1)]) {
        if xb - xa > 1 || yb - ya > 1 {
            out.push(Change { line0: xa, line1: ya, deleted: xb - xa - 1, inserted: yb - ya - 1 });
        }
        (xa, ya) = (xb, yb);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(a: &str, b: &str) -> Vec<(usize, usize, usize, usize)> {
        let (x, y): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        let (a, b) = (Side { lines: &x, incomplete: false }, Side { lines: &y, incomplete: false });
        let mut budget = super::super::analyze::MAX_WORK;
        edit_script(a, b, &Options::default(), &mut budget)
            .into_iter()
            .map(|c| (c.line0, c.line1, c.deleted, c.inserted))
            .collect()
    }

    #[test]
    fn stone_matches_other_lines_than_gnu_where_two_shortest_scripts_exist() {
        // busybox 1.35 `diff -U0`: `@@ -1 +0,0 @@ -a` and `@@ -3 +2 @@ -b +a`, where GNU
        // deletes the first two lines and appends `a`.
        assert_eq!(script("a\nb\nb\n", "b\na\n"), vec![(0, 0, 1, 0), (2, 1, 1, 1)]);
        // Both: `@@ -2,2 +1,0 @@`.
        assert_eq!(script("a\nb\na\n", "a\n"), vec![(1, 1, 2, 0)]);
        assert_eq!(script("x\n", "x\n"), vec![]);
        assert_eq!(script("", "x\ny\n"), vec![(0, 0, 0, 2)]);
    }
}
