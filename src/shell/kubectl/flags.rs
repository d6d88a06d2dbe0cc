//! kubectl's command-line flags as cobra/pflag read them: `--flag=value`, `--flag value`,
//! `-f value`, `-fvalue`, bundled booleans (`-it`), repeated flags, and everything after `--`
//! kept apart. Errors carry pflag's wording and kubectl's "See '… --help'" line.

/// One flag a command accepts.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub long: &'static str,
    pub short: Option<char>,
    /// Whether it takes a value (else it is a boolean).
    pub value: bool,
}

/// A flag taking a value.
pub const fn value(long: &'static str) -> Spec {
    Spec { long, short: None, value: true }
}

/// A boolean flag.
pub const fn boolean(long: &'static str) -> Spec {
    Spec { long, short: None, value: false }
}

impl Spec {
    /// The same flag with a one-letter shorthand.
    pub const fn short(self, c: char) -> Spec {
        Spec { short: Some(c), ..self }
    }
}

/// Flags every command here accepts (kubectl's global and printing flags).
const COMMON: &[Spec] = &[
    value("namespace").short('n'),
    value("output").short('o'),
    value("dry-run"),
    value("context"),
    value("kubeconfig"),
    value("field-manager"),
    boolean("show-managed-fields"),
];

/// What was given.
#[derive(Debug, Default, Clone)]
pub struct Flags {
    values: Vec<(&'static str, String)>,
    /// Words that are not flags, in order.
    pub args: Vec<String>,
    /// Words after `--`.
    pub after_dash: Vec<String>,
    /// Whether `--` was given at all.
    pub dash: bool,
    /// The command, for usage hints.
    command: String,
    /// Shorthands of the flags that have one, to name them as pflag does (`-r, --replicas`).
    shorts: Vec<(&'static str, char)>,
    /// The terminal's files and directory, for flags that name files (`--from-file`).
    pub files: Option<crate::shell::files::Files>,
    pub cwd: String,
}

impl Flags {
    /// Reads the file a flag names, from the terminal's files (the disk underneath natively).
    pub fn read_file(&self, path: &str) -> Option<String> {
        self.io().read(path)
    }

    /// Lists the directory a flag names; None when it is no directory.
    pub fn list_dir(&self, path: &str) -> Option<Vec<crate::shell::files::Entry>> {
        self.io().list(path)
    }

    fn io(&self) -> crate::shell::files::Io<'_> {
        crate::shell::files::Io { stdin: None, files: self.files.as_ref(), cwd: &self.cwd, tty: false, stream: false }
    }
}

impl Flags {
    /// The last value given for `long`.
    pub fn get(&self, long: &str) -> Option<&str> {
        self.values.iter().rev().find(|(k, _)| *k == long).map(|(_, v)| v.as_str())
    }

    /// Every value given for `long`, in order; comma-separated lists split as pflag's
    /// StringSlice does for flags declared that way.
    pub fn all(&self, long: &str) -> Vec<&str> {
        self.values.iter().filter(|(k, _)| *k == long).map(|(_, v)| v.as_str()).collect()
    }

    /// Every value of a StringSlice flag: repeated or comma-separated.
    pub fn list(&self, long: &str) -> Vec<String> {
        self.all(long).iter().flat_map(|v| v.split(',')).filter(|s| !s.is_empty()).map(str::to_string).collect()
    }

    /// Whether `long` was given.
    pub fn has(&self, long: &str) -> bool {
        self.values.iter().any(|(k, _)| *k == long)
    }

    /// An integer flag's value (`default` when absent), refused as pflag refuses it.
    pub fn int(&self, long: &str, default: i64) -> Result<i64, String> {
        let Some(v) = self.get(long) else { return Ok(default) };
        v.parse().map_err(|_| {
            let name = match self.shorts.iter().find(|(l, _)| *l == long) {
                Some((_, c)) => format!("-{c}, --{long}"),
                None => format!("--{long}"),
            };
            format!(
                "Error: invalid argument \"{v}\" for \"{name}\" flag: {}\nSee '{} --help' for usage.\n",
                go_int_error("strconv.ParseInt", v),
                self.command
            )
        })
    }

    /// A boolean flag's value (`--x`, `--x=true|false`).
    pub fn on(&self, long: &str) -> bool {
        self.get(long).is_some_and(|v| v == "true")
    }
}

/// Parses `args` for `command` (as named in kubectl's usage hint, e.g. `kubectl create deployment`).
pub fn parse(args: &[String], specs: &[Spec], command: &str) -> Result<Flags, String> {
    let see = format!("See '{command} --help' for usage.\n");
    let find_long = |name: &str| specs.iter().chain(COMMON).find(|s| s.long == name).copied();
    let find_short = |c: char| specs.iter().chain(COMMON).find(|s| s.short == Some(c)).copied();
    let mut flags = Flags {
        command: command.to_string(),
        shorts: specs.iter().chain(COMMON).filter_map(|s| s.short.map(|c| (s.long, c))).collect(),
        ..Flags::default()
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            flags.dash = true;
            flags.after_dash.extend(it.by_ref().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(spec) = find_long(name) else {
                return Err(format!("Error: unknown flag: --{name}\n{see}"));
            };
            let v = match (spec.value, inline) {
                (_, Some(v)) => v,
                (false, None) => "true".to_string(),
                (true, None) => match it.next() {
                    Some(v) => v.clone(),
                    None => return Err(format!("Error: flag needs an argument: --{name}\n{see}")),
                },
            };
            if !spec.value && !matches!(v.as_str(), "true" | "false") {
                return Err(format!(
                    "Error: invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax\n{see}"
                ));
            }
            flags.values.push((spec.long, v));
        } else if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let c = chars[i];
                let Some(spec) = find_short(c) else {
                    return Err(format!("Error: unknown shorthand flag: '{c}' in {a}\n{see}"));
                };
                if !spec.value {
                    if chars.get(i + 1) == Some(&'=') {
                        // `-w=false`: the rest is the boolean's value.
                        let v: String = chars[i + 2..].iter().collect();
                        if !matches!(v.as_str(), "true" | "false") {
                            return Err(format!(
                                "Error: invalid argument \"{v}\" for \"-{c}, --{}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax\n{see}",
                                spec.long
                            ));
                        }
                        flags.values.push((spec.long, v));
                        break;
                    }
                    flags.values.push((spec.long, "true".into()));
                    i += 1;
                    continue;
                }
                let rest: String = chars[i + 1..].iter().collect();
                let v = if !rest.is_empty() {
                    rest.strip_prefix('=').map_or(rest.clone(), str::to_string)
                } else {
                    match it.next() {
                        Some(v) => v.clone(),
                        None => return Err(format!("Error: flag needs an argument: '{c}' in -{c}\n{see}")),
                    }
                };
                flags.values.push((spec.long, v));
                break;
            }
        } else {
            flags.args.push(a.clone());
        }
    }
    Ok(flags)
}

/// Why Go's `strconv` function `func` (`strconv.ParseInt`, `strconv.Atoi`, …) refused `v`, in
/// its words: digits that do not fit are out of range, anything else is invalid syntax.
pub fn go_int_error(func: &str, v: &str) -> String {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    let unsigned = func == "strconv.ParseUint";
    let why = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && !(unsigned && v != digits) {
        "value out of range"
    } else {
        "invalid syntax"
    };
    format!("{func}: parsing \"{v}\": {why}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn reads_long_short_bundled_and_repeated_flags() {
        let specs = [value("image"), boolean("stdin").short('i'), boolean("tty").short('t'), value("env")];
        let f =
            parse(&words("web --image nginx -it --env=A=1 --env B=2 -oyaml -n shop -- sleep 1"), &specs, "kubectl run")
                .unwrap();
        assert_eq!(f.args, ["web"]);
        assert_eq!(f.get("image"), Some("nginx"));
        assert!(f.on("stdin") && f.on("tty"));
        assert_eq!(f.all("env"), ["A=1", "B=2"]);
        assert_eq!(f.get("output"), Some("yaml"));
        assert_eq!(f.get("namespace"), Some("shop"));
        assert_eq!(f.after_dash, ["sleep", "1"]);
    }

    #[test]
    fn unknown_flags_and_missing_values_read_as_pflag() {
        let err = parse(&words("--nope"), &[], "kubectl create deployment").unwrap_err();
        assert_eq!(err, "Error: unknown flag: --nope\nSee 'kubectl create deployment --help' for usage.\n");
        let err = parse(&words("--image"), &[value("image")], "kubectl run").unwrap_err();
        assert_eq!(err, "Error: flag needs an argument: --image\nSee 'kubectl run --help' for usage.\n");
        let err = parse(&words("-x"), &[], "kubectl run").unwrap_err();
        assert_eq!(err, "Error: unknown shorthand flag: 'x' in -x\nSee 'kubectl run --help' for usage.\n");
    }

    #[test]
    fn a_short_boolean_takes_a_value_after_an_equals_sign() {
        let f = parse(&words("-w=false web"), &[boolean("watch").short('w')], "kubectl rollout status").unwrap();
        assert_eq!(f.get("watch"), Some("false"));
        assert_eq!(f.args, ["web"]);
        let err = parse(&words("-w=maybe"), &[boolean("watch").short('w')], "kubectl rollout status").unwrap_err();
        assert!(err.starts_with("Error: invalid argument \"maybe\" for \"-w, --watch\" flag"), "{err}");
    }
}
