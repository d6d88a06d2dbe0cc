//! Memory a simulated program allocates: what the interpreters' translations and the `stress`
//! tool hand to the internal `__alloc_bytes`, which the kubelet compares with the container's
//! limit (OOMKilled) and `kubectl top` shows.

/// The bytes a Python or JavaScript statement allocates and keeps, if it is one of the forms
/// memory demos use: `x = bytearray(N)`, `bytes(N)`, `b'x' * N`, `'x' * N`, `[0] * N` (Python),
/// `Buffer.alloc(N)` / `Buffer.allocUnsafe(N)` (Node). `N` may be a product of integers
/// (`512 * 1024 * 1024`, `10**8`).
pub fn allocation(stmt: &str) -> Option<u64> {
    let expr = match stmt.split_once('=') {
        Some((name, rest)) if is_target(name) && !rest.starts_with('=') => rest.trim(),
        _ => stmt.trim(),
    };
    let expr = expr.trim_end_matches(';').trim();
    for call in ["bytearray", "bytes", "Buffer.alloc", "Buffer.allocUnsafe", "new Uint8Array", "new ArrayBuffer"] {
        if let Some(args) = expr.strip_prefix(call).and_then(|r| r.trim_start().strip_prefix('(')?.strip_suffix(')')) {
            return product(args);
        }
    }
    let (unit, count) = expr.split_once('*')?;
    let unit = unit.trim();
    let per = if unit == "[0]" || unit == "[None]" {
        // A list holds a pointer per element.
        8
    } else {
        let inner = unit.strip_prefix('b').unwrap_or(unit);
        let quoted =
            (inner.starts_with('\'') && inner.ends_with('\'')) || (inner.starts_with('"') && inner.ends_with('"'));
        if !quoted || inner.len() < 2 {
            return None;
        }
        (inner.len() - 2) as u64
    };
    product(count).map(|n| n.saturating_mul(per))
}

/// `x`, `const x`, `let buf`, `var a`: the left side of an assignment.
fn is_target(name: &str) -> bool {
    let name = name.trim();
    let name = ["const ", "let ", "var "].iter().find_map(|k| name.strip_prefix(k)).unwrap_or(name).trim();
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `512 * 1024 * 1024`, `10**8`, `100_000_000`, `(1 << 20)`: a product of integers.
fn product(expr: &str) -> Option<u64> {
    let expr = expr.trim().trim_start_matches('(').trim_end_matches(')');
    if let Some((base, exp)) = expr.split_once("**") {
        let base = product(base)?;
        let exp: u32 = exp.trim().parse().ok()?;
        return Some(base.saturating_pow(exp.min(64)));
    }
    if let Some((a, b)) = expr.split_once("<<") {
        let shift: u32 = b.trim().parse().ok()?;
        return product(a).map(|a| a.checked_shl(shift.min(63)).unwrap_or(u64::MAX));
    }
    let mut total: u64 = 1;
    for part in expr.split('*') {
        let n: u64 = part.trim().replace('_', "").parse().ok()?;
        total = total.saturating_mul(n);
    }
    Some(total)
}

/// `150M`, `1G`, `512k`, `4096`: a size as `stress --vm-bytes` takes it (powers of 1024).
pub fn size(text: &str) -> Option<u64> {
    let t = text.trim();
    let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let n: u64 = digits.parse().ok()?;
    let unit = match t[digits.len()..].to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" => 1 << 10,
        "M" | "MB" => 1 << 20,
        "G" | "GB" => 1 << 30,
        _ => return None,
    };
    Some(n.saturating_mul(unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocations_of_memory_demos_are_recognized() {
        assert_eq!(allocation("x = bytearray(512 * 1024 * 1024)"), Some(512 << 20));
        assert_eq!(allocation("data = b'a' * 10**8"), Some(100_000_000));
        assert_eq!(allocation("s = ' ' * 1_000_000"), Some(1_000_000));
        assert_eq!(allocation("l = [0] * 1000"), Some(8000));
        assert_eq!(allocation("const buf = Buffer.alloc(200 * 1024 * 1024)"), Some(200 << 20));
        assert_eq!(allocation("x = compute(3)"), None);
        assert_eq!(allocation("x == bytearray(3)"), None);
        assert_eq!(size("150M"), Some(150 << 20));
        assert_eq!(size("1g"), Some(1 << 30));
        assert_eq!(size("12x"), None);
    }
}
