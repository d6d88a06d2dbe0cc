//! diff's command line, split as glibc's `getopt_long` splits it (GNU's and busybox's diff
//! both use it): short options in clusters, long ones by any unambiguous prefix, options
//! after operands, `--`; and getopt's complaints, word for word.

/// How an option takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Arg {
    No,
    Required,
    Optional,
}

/// GNU diff's long options: name, value, and the key diff's option loop matches.
pub(super) const GNU_LONG: &[(&str, Arg, &str)] = &[
    ("binary", Arg::No, "binary"),
    ("brief", Arg::No, "q"),
    ("changed-group-format", Arg::Required, "changed-group-format"),
    ("color", Arg::Optional, "color"),
    ("context", Arg::Optional, "C"),
    ("ed", Arg::No, "e"),
    ("exclude", Arg::Required, "x"),
    ("exclude-from", Arg::Required, "X"),
    ("expand-tabs", Arg::No, "t"),
    ("forward-ed", Arg::No, "f"),
    ("from-file", Arg::Required, "from-file"),
    ("help", Arg::No, "help"),
    ("horizon-lines", Arg::Required, "horizon-lines"),
    ("ifdef", Arg::Required, "D"),
    ("ignore-all-space", Arg::No, "w"),
    ("ignore-blank-lines", Arg::No, "B"),
    ("ignore-case", Arg::No, "i"),
    ("ignore-file-name-case", Arg::No, "ignore-file-name-case"),
    ("ignore-matching-lines", Arg::Required, "I"),
    ("ignore-space-change", Arg::No, "b"),
    ("ignore-tab-expansion", Arg::No, "E"),
    ("ignore-trailing-space", Arg::No, "Z"),
    ("inhibit-hunk-merge", Arg::No, "inhibit-hunk-merge"),
    ("initial-tab", Arg::No, "T"),
    ("label", Arg::Required, "L"),
    ("left-column", Arg::No, "left-column"),
    ("line-format", Arg::Required, "line-format"),
    ("minimal", Arg::No, "d"),
    ("new-file", Arg::No, "N"),
    ("new-group-format", Arg::Required, "new-group-format"),
    ("new-line-format", Arg::Required, "new-line-format"),
    ("no-dereference", Arg::No, "no-dereference"),
    ("no-ignore-file-name-case", Arg::No, "no-ignore-file-name-case"),
    ("normal", Arg::No, "normal"),
    ("old-group-format", Arg::Required, "old-group-format"),
    ("old-line-format", Arg::Required, "old-line-format"),
    ("paginate", Arg::No, "l"),
    ("palette", Arg::Required, "palette"),
    ("rcs", Arg::No, "n"),
    ("recursive", Arg::No, "r"),
    ("report-identical-files", Arg::No, "s"),
    ("sdiff-merge-assist", Arg::No, "sdiff-merge-assist"),
    ("show-c-function", Arg::No, "p"),
    ("show-function-line", Arg::Required, "F"),
    ("side-by-side", Arg::No, "y"),
    ("speed-large-files", Arg::No, "H"),
    ("starting-file", Arg::Required, "S"),
    ("strip-trailing-cr", Arg::No, "strip-trailing-cr"),
    ("suppress-blank-empty", Arg::No, "suppress-blank-empty"),
    ("suppress-common-lines", Arg::No, "suppress-common-lines"),
    ("tabsize", Arg::Required, "tabsize"),
    ("text", Arg::No, "a"),
    ("to-file", Arg::Required, "to-file"),
    ("unchanged-group-format", Arg::Required, "unchanged-group-format"),
    ("unchanged-line-format", Arg::Required, "unchanged-line-format"),
    ("unidirectional-new-file", Arg::No, "P"),
    ("unified", Arg::Optional, "U"),
    ("version", Arg::No, "v"),
    ("width", Arg::Required, "W"),
];

/// GNU diff's short options (`C:` takes a value).
pub(super) const GNU_SHORT: &str = "0123456789abBcC:dD:eEfF:hHiI:lL:nNpPqrsS:tTuU:vwW:x:X:yZ";

/// busybox diff's long options.
pub(super) const BUSYBOX_LONG: &[(&str, Arg, &str)] = &[
    ("ignore-case", Arg::No, "i"),
    ("ignore-tab-expansion", Arg::No, "E"),
    ("ignore-space-change", Arg::No, "b"),
    ("ignore-all-space", Arg::No, "w"),
    ("ignore-blank-lines", Arg::No, "B"),
    ("text", Arg::No, "a"),
    ("unified", Arg::Required, "U"),
    ("label", Arg::Required, "L"),
    ("show-c-function", Arg::No, "p"),
    ("brief", Arg::No, "q"),
    ("expand-tabs", Arg::No, "t"),
    ("initial-tab", Arg::No, "T"),
    ("recursive", Arg::No, "r"),
    ("new-file", Arg::No, "N"),
    ("report-identical-files", Arg::No, "s"),
    ("starting-file", Arg::Required, "S"),
    ("minimal", Arg::No, "d"),
];

/// busybox diff's short options.
pub(super) const BUSYBOX_SHORT: &str = "abdiL:NqrsS:tTU:wupBE";

/// The command line split as glibc's `getopt_long` splits it (options may follow operands).
#[derive(Debug, Default)]
pub(super) struct Parsed {
    /// (key, value, as typed) in order.
    pub options: Vec<(String, Option<String>, String)>,
    pub operands: Vec<String>,
    /// The words that were options, for GNU's `diff -r a/x b/x` lines.
    pub words: Vec<String>,
}

/// Splits `args` into options and operands; `Err` is getopt's complaint.
// SIM: Alpine's busybox is built on musl, whose getopt words its complaints otherwise
// (`unrecognized option: foo`); the sandbox says glibc's everywhere.
pub(super) fn getopt(args: &[&str], short: &str, long: &[(&str, Arg, &str)]) -> Result<Parsed, String> {
    let takes = |c: char| short.find(c).map(|i| short[i + c.len_utf8()..].starts_with(':'));
    let mut p = Parsed::default();
    let mut i = 0;
    let mut done = false;
    while i < args.len() {
        let a = args[i];
        i += 1;
        if done || a == "-" || !a.starts_with('-') {
            p.operands.push(a.to_string());
            continue;
        }
        if a == "--" {
            done = true;
            p.words.push(a.to_string());
            continue;
        }
        p.words.push(a.to_string());
        if let Some(body) = a.strip_prefix("--") {
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let exact = long.iter().find(|(n, ..)| *n == name);
            let found: Vec<&(&str, Arg, &str)> = long.iter().filter(|(n, ..)| n.starts_with(name)).collect();
            let &(full, arg, key) = match (exact, found.as_slice()) {
                (Some(e), _) => e,
                (None, [one]) => one,
                (None, []) => return Err(format!("unrecognized option '{a}'")),
                (None, many) => {
                    let names: Vec<String> = many.iter().map(|(n, ..)| format!("'--{n}'")).collect();
                    return Err(format!("option '{a}' is ambiguous; possibilities: {}", names.join(" ")));
                }
            };
            let value = match (arg, value) {
                (Arg::No, Some(_)) => return Err(format!("option '--{full}' doesn't allow an argument")),
                (Arg::Required, None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        p.words.push(v.to_string());
                        Some(v.to_string())
                    }
                    None => return Err(format!("option '--{full}' requires an argument")),
                },
                (_, v) => v,
            };
            p.options.push((key.to_string(), value, format!("--{full}")));
            continue;
        }
        let cluster = &a[1..];
        for (k, c) in cluster.char_indices() {
            let Some(needs) = takes(c).filter(|_| c != ':') else {
                return Err(format!("invalid option -- '{c}'"));
            };
            if !needs {
                p.options.push((c.to_string(), None, format!("-{c}")));
                continue;
            }
            let rest = &cluster[k + c.len_utf8()..];
            let value = if !rest.is_empty() {
                rest.to_string()
            } else if let Some(v) = args.get(i) {
                i += 1;
                p.words.push(v.to_string());
                v.to_string()
            } else {
                return Err(format!("option requires an argument -- '{c}'"));
            };
            p.options.push((c.to_string(), Some(value), format!("-{c}")));
            break;
        }
    }
    Ok(p)
}

/// A word as the shell would read it back (GNU quotes the options it repeats).
pub(super) fn shell_quote(w: &str) -> String {
    let plain = !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_=+,./:@%^".contains(c));
    if plain {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}
