//! Apache httpd's configuration as the official httpd image reads it:
//! `/usr/local/apache2/conf/httpd.conf` and what it includes, checked as httpd checks it at
//! start (`AH00526: Syntax error on line 3 of …:` / `Invalid command 'ProxyPass', perhaps
//! misspelled or defined by a module not included in the server configuration`), and what a
//! request gets from what it declares: `Listen`, `<VirtualHost>`, `DocumentRoot`, `Alias`,
//! `Redirect`, `ProxyPass`, `DirectoryIndex`, `Options Indexes`, `Require` and `ErrorDocument`.
//!
//! Pure: the caller reads the files and carries the proxied requests.

use std::collections::BTreeMap;

use super::nginx_conf::{reason, Reply};

/// The server root, where relative paths start.
pub const ROOT: &str = "/usr/local/apache2";

/// The main configuration file.
pub const MAIN: &str = "/usr/local/apache2/conf/httpd.conf";

/// The server program's variable that keeps the configuration files as httpd read them at
/// start: it answers by those until it restarts, whatever is written there since.
pub const SNAPSHOT: &str = "__HTTPD_CONF";

/// Where the snapshot is taken from.
pub const CONF_DIR: &str = "/usr/local/apache2/conf/";

/// The image's own `conf/httpd.conf`.
// SIM: the image's file with its comments and the commented-out LoadModule lines of modules
// nobody here uses left out; every directive it sets is kept, in its order.
pub const DEFAULT_MAIN: &str = r#"#
# This is the main Apache HTTP server configuration file.
# See <URL:http://httpd.apache.org/docs/2.4/> for detailed information.
#
ServerRoot "/usr/local/apache2"

#Listen 12.34.56.78:80
Listen 80

LoadModule mpm_event_module modules/mod_mpm_event.so
#LoadModule mpm_prefork_module modules/mod_mpm_prefork.so
#LoadModule mpm_worker_module modules/mod_mpm_worker.so
LoadModule authn_file_module modules/mod_authn_file.so
LoadModule authn_core_module modules/mod_authn_core.so
LoadModule authz_host_module modules/mod_authz_host.so
LoadModule authz_groupfile_module modules/mod_authz_groupfile.so
LoadModule authz_user_module modules/mod_authz_user.so
LoadModule authz_core_module modules/mod_authz_core.so
LoadModule access_compat_module modules/mod_access_compat.so
LoadModule auth_basic_module modules/mod_auth_basic.so
LoadModule reqtimeout_module modules/mod_reqtimeout.so
LoadModule filter_module modules/mod_filter.so
#LoadModule deflate_module modules/mod_deflate.so
LoadModule mime_module modules/mod_mime.so
LoadModule log_config_module modules/mod_log_config.so
#LoadModule expires_module modules/mod_expires.so
LoadModule env_module modules/mod_env.so
LoadModule headers_module modules/mod_headers.so
LoadModule setenvif_module modules/mod_setenvif.so
LoadModule version_module modules/mod_version.so
#LoadModule proxy_module modules/mod_proxy.so
#LoadModule proxy_http_module modules/mod_proxy_http.so
#LoadModule proxy_balancer_module modules/mod_proxy_balancer.so
#LoadModule ssl_module modules/mod_ssl.so
LoadModule unixd_module modules/mod_unixd.so
LoadModule status_module modules/mod_status.so
LoadModule autoindex_module modules/mod_autoindex.so
#LoadModule cgid_module modules/mod_cgid.so
LoadModule dir_module modules/mod_dir.so
LoadModule alias_module modules/mod_alias.so
#LoadModule rewrite_module modules/mod_rewrite.so

<IfModule unixd_module>
User www-data
Group www-data
</IfModule>

ServerAdmin you@example.com

#ServerName www.example.com:80

<Directory />
    AllowOverride none
    Require all denied
</Directory>

DocumentRoot "/usr/local/apache2/htdocs"
<Directory "/usr/local/apache2/htdocs">
    Options Indexes FollowSymLinks
    AllowOverride None
    Require all granted
</Directory>

<IfModule dir_module>
    DirectoryIndex index.html
</IfModule>

<Files ".ht*">
    Require all denied
</Files>

ErrorLog /proc/self/fd/2

LogLevel warn

<IfModule log_config_module>
    LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" combined
    LogFormat "%h %l %u %t \"%r\" %>s %b" common

    CustomLog /proc/self/fd/1 common
</IfModule>

<IfModule alias_module>
    ScriptAlias /cgi-bin/ "/usr/local/apache2/cgi-bin/"
</IfModule>

<Directory "/usr/local/apache2/cgi-bin">
    AllowOverride None
    Options None
    Require all granted
</Directory>

<IfModule headers_module>
    RequestHeader unset Proxy early
</IfModule>

<IfModule mime_module>
    TypesConfig conf/mime.types
    AddType application/x-compress .Z
    AddType application/x-gzip .gz .tgz
</IfModule>

# Supplemental configuration
#Include conf/extra/httpd-vhosts.conf
#Include conf/extra/httpd-ssl.conf
"#;

/// The image's `conf/mime.types`.
// SIM: the common types only; the image's file lists about a thousand.
pub const MIME_TYPES: &str = "# MIME type\t\t\tExtensions\napplication/javascript\t\tjs\napplication/json\t\tjson\napplication/pdf\t\t\tpdf\napplication/wasm\t\twasm\napplication/xml\t\t\txml xsl\nimage/gif\t\t\tgif\nimage/jpeg\t\t\tjpeg jpg jpe\nimage/png\t\t\tpng\nimage/svg+xml\t\t\tsvg svgz\nimage/x-icon\t\t\tico\ntext/css\t\t\tcss\ntext/csv\t\t\tcsv\ntext/html\t\t\thtml htm\ntext/plain\t\t\ttxt text conf def list log in\n";

/// The modules the image ships in `modules/` (`mod_NAME.so` holds `NAME_module`).
#[rustfmt::skip]
const SHIPPED: &[&str] = &[
    "access_compat", "actions", "alias", "allowmethods", "asis", "auth_basic", "auth_digest", "auth_form",
    "authn_anon", "authn_core", "authn_dbd", "authn_dbm", "authn_file", "authn_socache", "authnz_ldap",
    "authz_core", "authz_dbd", "authz_dbm", "authz_groupfile", "authz_host", "authz_owner", "authz_user",
    "autoindex", "brotli", "buffer", "cache", "cache_disk", "cache_socache", "cgi", "cgid", "dav", "dav_fs",
    "dav_lock", "dbd", "deflate", "dir", "dumpio", "env", "expires", "ext_filter", "file_cache", "filter",
    "headers", "heartbeat", "http2", "include", "info", "ldap", "log_config", "log_debug", "log_forensic",
    "logio", "lua", "macro", "md", "mime", "mime_magic", "mpm_event", "mpm_prefork", "mpm_worker",
    "negotiation", "proxy", "proxy_ajp", "proxy_balancer", "proxy_connect", "proxy_express", "proxy_fcgi",
    "proxy_fdpass", "proxy_ftp", "proxy_hcheck", "proxy_html", "proxy_http", "proxy_http2", "proxy_scgi",
    "proxy_uwsgi", "proxy_wstunnel", "ratelimit", "remoteip", "reqtimeout", "request", "rewrite", "sed",
    "session", "session_cookie", "setenvif", "slotmem_shm", "socache_shmcb", "speling", "ssl", "status",
    "substitute", "unique_id", "unixd", "userdir", "usertrack", "version", "vhost_alias", "watchdog",
    "xml2enc",
];

/// Compiled in, always there.
const STATIC: &[&str] = &["core", "so", "http"];

/// The module that defines a directive (lower case); `core` for httpd's own.
fn module_of(directive: &str) -> Option<&'static str> {
    #[rustfmt::skip]
    const TABLE: &[(&str, &[&str])] = &[
        ("core", &[
            "acceptfilter", "acceptpathinfo", "accessfilename", "adddefaultcharset", "allowencodedslashes",
            "allowoverride", "allowoverridelist", "defaultruntimedir", "define", "documentroot", "enablemmap",
            "enablesendfile", "error", "errordocument", "errorlog", "errorlogformat", "extendedstatus",
            "fileetag", "forcetype", "hostnamelookups", "httpprotocoloptions", "include", "includeoptional",
            "keepalive", "keepalivetimeout", "limitrequestbody", "limitrequestfields", "limitrequestfieldsize",
            "limitrequestline", "loglevel", "maxkeepaliverequests", "mutex", "options", "protocol",
            "protocols", "rlimitcpu", "rlimitmem", "rlimitnproc", "servername", "serveralias", "serveradmin",
            "serverroot", "serversignature", "servertokens", "sethandler", "setinputfilter", "setoutputfilter",
            "timeout", "traceenable", "undefine", "usecanonicalname", "usecanonicalphysicalport", "loadmodule",
            "loadfile", "listen", "listenbacklog", "pidfile", "maxrequestworkers", "maxclients",
            "startservers", "minsparethreads", "maxsparethreads", "threadsperchild", "threadlimit",
            "serverlimit", "maxconnectionsperchild", "maxrequestsperchild", "minspareservers",
            "maxspareservers", "gracefulshutdowntimeout", "coredumpdirectory", "maxmemfree", "scoreboardfile",
            "sendbuffersize", "receivebuffersize", "asyncrequestworkerfactor",
        ]),
        ("unixd", &["user", "group", "chrootdir", "suexec"]),
        ("mime", &[
            "addtype", "addhandler", "addencoding", "addcharset", "addlanguage", "addinputfilter",
            "addoutputfilter", "typesconfig", "defaultlanguage", "removetype", "removehandler",
            "multiviewsmatch", "modmimeusepathinfo",
        ]),
        ("dir", &[
            "directoryindex", "directoryslash", "fallbackresource", "directorycheckhandler",
            "directoryindexredirect",
        ]),
        ("alias", &[
            "alias", "aliasmatch", "redirect", "redirectmatch", "redirectpermanent", "redirecttemp",
            "scriptalias", "scriptaliasmatch",
        ]),
        ("authz_core", &["require", "authmerging", "authzsendforbiddenonfailure"]),
        ("access_compat", &["order", "allow", "deny", "satisfy"]),
        ("log_config", &["logformat", "customlog", "transferlog", "bufferedlogs"]),
        ("headers", &["header", "requestheader"]),
        ("env", &["setenv", "unsetenv", "passenv"]),
        ("setenvif", &["setenvif", "setenvifnocase", "setenvifexpr", "browsermatch", "browsermatchnocase"]),
        ("authn_core", &["authtype", "authname"]),
        ("authn_file", &["authuserfile"]),
        ("authz_groupfile", &["authgroupfile"]),
        ("auth_basic", &[
            "authbasicprovider", "authbasicauthoritative", "authbasicfake", "authbasicusedigestalgorithm",
        ]),
        ("reqtimeout", &["requestreadtimeout"]),
        ("filter", &[
            "addoutputfilterbytype", "filterchain", "filterdeclare", "filterprovider", "filterprotocol",
            "filtertrace",
        ]),
        ("autoindex", &[
            "indexoptions", "indexignore", "indexorderdefault", "indexstylesheet", "indexheadinsert",
            "headername", "readmename", "addicon", "addiconbytype", "addiconbyencoding", "adddescription",
            "addalt", "addaltbytype", "addaltbyencoding", "defaulticon", "indexignorereset",
        ]),
        ("proxy", &[
            "proxypass", "proxypassreverse", "proxypassreversecookiedomain", "proxypassreversecookiepath",
            "proxypassmatch", "proxypreservehost", "proxyrequests", "proxytimeout", "proxyvia",
            "proxyaddheaders", "proxyset", "balancermember", "proxyerroroverride", "proxybadheader",
            "proxyiobuffersize", "proxymaxforwards", "proxyremote", "proxyremotematch", "proxystatus",
            "proxypassinherit", "proxypassinterpolateenv", "noproxy", "proxyblock", "proxydomain",
            "proxysourceaddress",
        ]),
        ("rewrite", &[
            "rewriteengine", "rewriterule", "rewritecond", "rewritebase", "rewritemap", "rewriteoptions",
        ]),
        ("ssl", &[
            "sslengine", "sslcertificatefile", "sslcertificatekeyfile", "sslcertificatechainfile",
            "sslprotocol", "sslciphersuite", "sslhonorcipherorder", "sslsessioncache",
            "sslsessioncachetimeout", "sslpassphrasedialog", "sslrandomseed", "sslproxyengine",
            "sslcacertificatefile", "sslverifyclient", "ssloptions", "sslstaplingcache", "sslusestapling",
            "sslcompression",
        ]),
        ("expires", &["expiresactive", "expiresbytype", "expiresdefault"]),
        ("deflate", &["deflatecompressionlevel", "deflatebuffersize", "deflatememlevel", "deflatewindowsize"]),
        ("cgid", &["scriptsock", "cgidscripttimeout"]),
        ("status", &[]),
        ("remoteip", &["remoteipheader", "remoteiptrustedproxy", "remoteipinternalproxy"]),
        ("userdir", &["userdir"]),
        ("http2", &["h2direct", "h2push", "h2maxsessionstreams"]),
        ("mime_magic", &["mimemagicfile"]),
        ("logio", &["logiotrackttfb"]),
        ("info", &["addmoduleinfo"]),
    ];
    TABLE.iter().find(|(_, names)| names.contains(&directive)).map(|(m, _)| *m)
}

/// The sections httpd knows, with the module that defines each.
fn section_module(name: &str) -> Option<&'static str> {
    Some(match name {
        "directory" | "directorymatch" | "files" | "filesmatch" | "location" | "locationmatch" | "virtualhost"
        | "limit" | "limitexcept" | "ifmodule" | "ifdefine" | "iffile" | "ifdirective" | "ifsection" | "if"
        | "elseif" | "else" => "core",
        "requireall" | "requireany" | "requirenone" => "authz_core",
        "proxy" | "proxymatch" => "proxy",
        "ifversion" => "version",
        "macro" => "macro",
        "authnprovideralias" => "authn_core",
        "authzprovideralias" => "authz_core",
        _ => return None,
    })
}

/// Who may read a place (`Require all granted|denied`, or the old `Order`/`Deny from all`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Granted,
    Denied,
}

/// A `<Directory>`, `<Files>` or `<Location>` section, and what it sets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// `directory`, `files` or `location` (their `…Match` forms are kept as regexes).
    pub kind: String,
    pub pattern: String,
    pub regex: bool,
    pub access: Option<Access>,
    /// `Options Indexes` on (true) or off (false), if the section says.
    pub indexes: Option<bool>,
    pub index: Option<Vec<String>>,
    /// `ProxyPass URL` (one argument) in a `<Location>`.
    pub proxy: Option<String>,
}

/// The main server, or one `<VirtualHost>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Host {
    /// The ports of its `<VirtualHost *:N>` (empty: every port).
    pub ports: Vec<u16>,
    pub names: Vec<String>,
    pub document_root: Option<String>,
    /// `ProxyPass PATH URL` (URL `!`: not proxied), in order.
    pub proxies: Vec<(String, String)>,
    /// `Redirect [status] PATH URL`.
    pub redirects: Vec<(u16, String, String)>,
    /// `Alias URL-PATH FILE-PATH`.
    pub aliases: Vec<(String, String)>,
    pub index: Option<Vec<String>>,
    /// `ErrorDocument CODE /path|"text"`.
    pub error_documents: BTreeMap<u16, String>,
}

/// The configuration httpd runs with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conf {
    /// The `Listen` ports, in order.
    pub listen: Vec<u16>,
    /// Whether `ServerName` is set outside any virtual host (no AH00558 then).
    pub named: bool,
    /// The shared modules loaded, in order (`mpm_event_module`).
    pub modules: Vec<String>,
    /// What httpd warns of at start (`AH00112: Warning: DocumentRoot [/x] does not exist`).
    pub warnings: Vec<String>,
    pub main: Host,
    pub vhosts: Vec<Host>,
    pub sections: Vec<Section>,
    /// Extension → MIME type.
    pub types: BTreeMap<String, String>,
}

impl Conf {
    fn loaded(&self, module: &str) -> bool {
        STATIC.contains(&module) || self.modules.iter().any(|m| m.strip_suffix("_module") == Some(module))
    }

    /// Whether an MPM module is loaded (httpd will not start without one).
    pub fn has_mpm(&self) -> bool {
        self.modules.iter().any(|m| m.starts_with("mpm_"))
    }

    /// The MIME type of a file httpd serves (empty when the types do not say).
    pub fn content_type(&self, file: &str) -> &str {
        let ext = file.rsplit('/').next().and_then(|n| n.rsplit_once('.')).map_or("", |(_, e)| e);
        self.types.get(&ext.to_ascii_lowercase()).map_or("", String::as_str)
    }
}

/// A line as read: its words (a section's `<Name` first, without the closing `>`), its file
/// and line number.
struct Line<'a> {
    words: Vec<String>,
    no: usize,
    file: &'a str,
}

/// Splits a file into directive lines: comments and blank lines dropped, `\` continuations
/// joined, words split as httpd does (double or single quotes group, `\` escapes in them).
fn lines<'a>(text: &'a str, file: &'a str) -> Result<Vec<Line<'a>>, String> {
    let mut out = Vec::new();
    let mut pending = String::new();
    let mut start = 0;
    for (i, raw) in text.lines().enumerate() {
        if pending.is_empty() {
            start = i + 1;
        }
        let raw = raw.trim_end();
        if let Some(cont) = raw.strip_suffix('\\') {
            pending.push_str(cont);
            pending.push(' ');
            continue;
        }
        pending.push_str(raw);
        let line = std::mem::take(&mut pending);
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut body = line.to_string();
        if body.starts_with('<') {
            match body.strip_suffix('>') {
                Some(b) => body = b.to_string(),
                None => {
                    let name = body.split_whitespace().next().unwrap_or("<");
                    return Err(syntax(start, file, &format!("{name}> directive missing closing '>'")));
                }
            }
        }
        out.push(Line { words: words(&body), no: start, file });
    }
    Ok(out)
}

fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { break };
        let mut w = String::new();
        if first == '"' || first == '\'' {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if chars.peek() == Some(&first) || chars.peek() == Some(&'\\') => {
                        w.extend(chars.next());
                    }
                    c if c == first => break,
                    c => w.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                w.push(c);
            }
        }
        out.push(w);
    }
    out
}

fn syntax(no: usize, file: &str, message: &str) -> String {
    format!("AH00526: Syntax error on line {no} of {file}:\n{message}")
}

fn invalid(no: usize, file: &str, name: &str) -> String {
    syntax(
        no,
        file,
        &format!(
            "Invalid command '{name}', perhaps misspelled or defined by a module not included in the server configuration"
        ),
    )
}

/// Where the directives being read go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Main,
    Host(usize),
    Section(usize),
    /// A section whose directives are checked but not kept (`<Limit>`, `<RequireAll>`, `<If>`…).
    Nowhere,
}

struct Frame {
    /// The section's name as written (`Directory`).
    name: String,
    no: usize,
    /// Skipped: its condition is false, nothing in it counts.
    skip: bool,
    into: Target,
}

const MAX_INCLUDES: usize = 64;

struct Reader<'a> {
    files: &'a BTreeMap<String, String>,
    conf: Conf,
    root: String,
    defines: Vec<String>,
    stack: Vec<Frame>,
    includes: usize,
}

/// Reads the configuration from the container's files, as httpd does at start; the error is
/// what httpd prints before it exits.
pub fn load(files: &BTreeMap<String, String>) -> Result<Conf, String> {
    let Some(text) = files.get(MAIN) else {
        return Err(format!("httpd: Could not open configuration file {MAIN}: No such file or directory"));
    };
    let mut r = Reader {
        files,
        conf: Conf::default(),
        root: ROOT.to_string(),
        // `httpd -D FOREGROUND`, as the image's httpd-foreground starts it.
        defines: vec!["FOREGROUND".into()],
        stack: Vec::new(),
        includes: 0,
    };
    r.file(text, MAIN)?;
    let mut conf = r.conf;
    for root in std::iter::once(&conf.main).chain(&conf.vhosts).filter_map(|h| h.document_root.as_ref()) {
        if !files.contains_key(&format!("{}/", root.trim_end_matches('/'))) && root != "/" {
            let w = format!("AH00112: Warning: DocumentRoot [{root}] does not exist");
            if !conf.warnings.contains(&w) {
                conf.warnings.push(w);
            }
        }
    }
    Ok(conf)
}

impl Reader<'_> {
    fn path(&self, p: &str) -> String {
        if p.starts_with('/') {
            p.to_string()
        } else {
            format!("{}/{p}", self.root.trim_end_matches('/'))
        }
    }

    fn target(&self) -> Target {
        self.stack.iter().rev().map(|f| f.into).find(|i| *i != Target::Main).unwrap_or(Target::Main)
    }

    fn file(&mut self, text: &str, file: &str) -> Result<(), String> {
        let base = self.stack.len();
        for line in lines(text, file)? {
            self.line(&line, base)?;
        }
        if self.stack.len() > base {
            let f = &self.stack[base];
            return Err(syntax(f.no, file, &format!("<{}> was not closed.", f.name)));
        }
        Ok(())
    }

    fn line(&mut self, line: &Line<'_>, base: usize) -> Result<(), String> {
        let Some(first) = line.words.first() else { return Ok(()) };
        let args: Vec<&str> = line.words[1..].iter().map(String::as_str).collect();
        let (no, file) = (line.no, line.file);
        if let Some(name) = first.strip_prefix("</") {
            return match self.stack.last() {
                Some(top) if self.stack.len() > base && top.name.eq_ignore_ascii_case(name) => {
                    self.stack.pop();
                    Ok(())
                }
                Some(top) if self.stack.len() > base && !top.skip => {
                    Err(syntax(no, file, &format!("Expected </{}> but saw </{name}>", top.name)))
                }
                Some(_) if self.stack.len() > base => {
                    // Inside a skipped section, another section closes.
                    self.stack.pop();
                    Ok(())
                }
                _ => Err(syntax(no, file, &format!("</{name}> without matching <{name}> section"))),
            };
        }
        let skipping = self.stack.last().is_some_and(|f| f.skip);
        if let Some(name) = first.strip_prefix('<') {
            if skipping {
                self.stack.push(Frame { name: name.into(), no, skip: true, into: Target::Nowhere });
                return Ok(());
            }
            return self.open(name, &args, no, file);
        }
        if skipping {
            return Ok(());
        }
        self.directive(first, &args, no, file)
    }

    fn open(&mut self, name: &str, args: &[&str], no: usize, file: &str) -> Result<(), String> {
        let lower = name.to_ascii_lowercase();
        let Some(module) = section_module(&lower) else {
            return Err(invalid(no, file, &format!("<{name}")));
        };
        if !self.conf.loaded(module) {
            return Err(invalid(no, file, &format!("<{name}")));
        }
        let needs_arg = !matches!(lower.as_str(), "else" | "requireall" | "requireany" | "requirenone" | "limitexcept");
        if needs_arg && args.is_empty() {
            return Err(syntax(no, file, &format!("<{name}> directive requires additional arguments")));
        }
        let negated = |a: &str| a.strip_prefix('!').map_or((false, a.to_string()), |n| (true, n.to_string()));
        let (skip, into) = match lower.as_str() {
            "ifmodule" => {
                let (not, m) = negated(args[0]);
                let m = match m.strip_prefix("mod_").and_then(|m| m.strip_suffix(".c")) {
                    Some(short) => short.to_string(),
                    None => m.strip_suffix("_module").unwrap_or(&m).to_string(),
                };
                (self.conf.loaded(&m) == not, Target::Main)
            }
            "ifdefine" => {
                let (not, d) = negated(args[0]);
                (self.defines.contains(&d) == not, Target::Main)
            }
            "iffile" => {
                let (not, f) = negated(args[0]);
                let p = self.path(&f);
                let exists = self.files.contains_key(&p) || self.files.contains_key(&format!("{p}/"));
                (exists == not, Target::Main)
            }
            // SIM: `<IfVersion>`, `<IfDirective>`, `<IfSection>` and `<If>` count as true.
            "ifversion" | "ifdirective" | "ifsection" => (false, Target::Main),
            "virtualhost" => {
                if self.target() != Target::Main {
                    return Err(syntax(no, file, "<VirtualHost> cannot occur within <VirtualHost> section"));
                }
                let ports =
                    args.iter().filter_map(|a| a.rsplit_once(':').and_then(|(_, p)| p.parse::<u16>().ok())).collect();
                self.conf.vhosts.push(Host { ports, ..Host::default() });
                (false, Target::Host(self.conf.vhosts.len() - 1))
            }
            "directory" | "directorymatch" | "files" | "filesmatch" | "location" | "locationmatch" => {
                if matches!(self.target(), Target::Section(_)) && !lower.starts_with("files") {
                    return Err(syntax(
                        no,
                        file,
                        &format!("<{name}> cannot occur within <Directory/Location/Files> section"),
                    ));
                }
                let (regex, pattern) = match args {
                    ["~", p, ..] => (true, p.to_string()),
                    [p, ..] => (lower.ends_with("match"), p.to_string()),
                    [] => (false, String::new()),
                };
                let kind = lower.trim_end_matches("match").to_string();
                let pattern = if kind == "directory" && !regex { self.path(&pattern) } else { pattern };
                self.conf.sections.push(Section { kind, pattern, regex, ..Section::default() });
                (false, Target::Section(self.conf.sections.len() - 1))
            }
            _ => (false, Target::Nowhere),
        };
        self.stack.push(Frame { name: name.into(), no, skip, into });
        Ok(())
    }

    fn directive(&mut self, name: &str, args: &[&str], no: usize, file: &str) -> Result<(), String> {
        let lower = name.to_ascii_lowercase();
        match module_of(&lower) {
            Some(m) if self.conf.loaded(m) => {}
            _ => return Err(invalid(no, file, name)),
        }
        let into = self.target();
        let wants = |n: usize| -> Result<(), String> {
            if args.len() < n {
                Err(syntax(no, file, &format!("{name} takes {} argument{}", n, if n == 1 { "" } else { "s" })))
            } else {
                Ok(())
            }
        };
        let not_here = || syntax(no, file, &format!("{name} not allowed here"));
        match lower.as_str() {
            "serverroot" => {
                wants(1)?;
                self.root = args[0].trim_end_matches('/').to_string();
            }
            "define" => {
                wants(1)?;
                self.defines.push(args[0].to_string());
            }
            "loadmodule" => {
                wants(2)?;
                let (module, so) = (args[0], args[1]);
                let path = self.path(so);
                let shipped = path
                    .strip_prefix(&format!("{ROOT}/modules/mod_"))
                    .and_then(|m| m.strip_suffix(".so"))
                    .filter(|m| SHIPPED.contains(m));
                match shipped {
                    None => {
                        return Err(format!(
                            "httpd: Syntax error on line {no} of {file}: Cannot load {so} into server: {path}: cannot open shared object file: No such file or directory"
                        ))
                    }
                    Some(m) if format!("{m}_module") != module => {
                        return Err(format!(
                            "httpd: Syntax error on line {no} of {file}: Can't locate API module structure `{module}' in file {path}: {path}: undefined symbol: {module}"
                        ))
                    }
                    Some(_) if self.conf.modules.iter().any(|m| m == module) => {
                        self.conf.warnings.push(format!("[so:warn] AH01574: module {module} is already loaded, skipping"));
                    }
                    Some(_) => self.conf.modules.push(module.to_string()),
                }
            }
            "include" | "includeoptional" => {
                wants(1)?;
                self.include(args[0], lower == "includeoptional", no, file)?;
            }
            "listen" => {
                wants(1)?;
                if into != Target::Main {
                    return Err(not_here());
                }
                let port = args[0].rsplit_once(':').map_or(args[0], |(_, p)| p);
                match port.parse::<u16>() {
                    Ok(p) if p > 0 => {
                        if !self.conf.listen.contains(&p) {
                            self.conf.listen.push(p);
                        }
                    }
                    _ => return Err(syntax(no, file, "Port must be specified")),
                }
            }
            "servername" | "serveralias" => {
                wants(1)?;
                match into {
                    Target::Main => {
                        self.conf.named |= lower == "servername";
                        self.conf.main.names.extend(args.iter().map(|a| a.to_string()));
                    }
                    Target::Host(h) => self.conf.vhosts[h].names.extend(args.iter().map(|a| a.to_string())),
                    _ => return Err(not_here()),
                }
            }
            "documentroot" => {
                wants(1)?;
                let root = self.path(args[0]).trim_end_matches('/').to_string();
                let root = if root.is_empty() { "/".to_string() } else { root };
                self.host(into).ok_or_else(not_here)?.document_root = Some(root);
            }
            "alias" | "scriptalias" => {
                wants(2)?;
                let (url, path) = (args[0].to_string(), self.path(args[1]));
                self.host(into).ok_or_else(not_here)?.aliases.push((url, path));
            }
            "redirect" | "redirectpermanent" | "redirecttemp" => {
                let (status, rest) = match (lower.as_str(), args.first().copied()) {
                    ("redirectpermanent", _) => (301, args),
                    ("redirecttemp", _) => (302, args),
                    (_, Some("permanent")) => (301, &args[1..]),
                    (_, Some("temp")) => (302, &args[1..]),
                    (_, Some("seeother")) => (303, &args[1..]),
                    (_, Some("gone")) => (410, &args[1..]),
                    (_, Some(code)) if code.parse::<u16>().is_ok() => (code.parse().unwrap_or(302), &args[1..]),
                    _ => (302, args),
                };
                let (path, url) = match (rest, into) {
                    ([path, url, ..], _) => (path.to_string(), url.to_string()),
                    ([url], Target::Section(s)) => (self.conf.sections[s].pattern.clone(), url.to_string()),
                    ([path], _) if status == 410 => (path.to_string(), String::new()),
                    _ => return Err(syntax(no, file, "URL to redirect to is missing")),
                };
                if status != 410 && !url.contains("://") && !url.starts_with('/') {
                    return Err(syntax(no, file, "Redirect to non-URL"));
                }
                let host = match into {
                    Target::Section(_) | Target::Nowhere => &mut self.conf.main,
                    other => self.host(other).ok_or_else(not_here)?,
                };
                host.redirects.push((status, path, url));
            }
            "proxypass" => match (args, into) {
                ([url], Target::Section(s)) => self.conf.sections[s].proxy = Some(url.to_string()),
                ([path, url, ..], Target::Main | Target::Host(_)) => {
                    let host = self.host(into).ok_or_else(not_here)?;
                    host.proxies.push((path.to_string(), url.to_string()));
                }
                _ => {
                    return Err(syntax(
                        no,
                        file,
                        "ProxyPass|ProxyPassMatch can not have a path when defined in a location.",
                    ))
                }
            },
            "directoryindex" => {
                wants(1)?;
                let list: Vec<String> =
                    if args == ["disabled"] { Vec::new() } else { args.iter().map(|a| a.to_string()).collect() };
                match into {
                    Target::Section(s) => self.conf.sections[s].index = Some(list),
                    other => {
                        if let Some(h) = self.host(other) {
                            h.index = Some(list);
                        }
                    }
                }
            }
            "options" => {
                if let Target::Section(s) = into {
                    let mut on = self.conf.sections[s].indexes;
                    for a in args {
                        match a.to_ascii_lowercase().as_str() {
                            "indexes" | "+indexes" | "all" => on = Some(true),
                            "-indexes" | "none" => on = Some(false),
                            _ => {}
                        }
                    }
                    if !args.iter().any(|a| a.starts_with(['+', '-'])) && on != Some(true) {
                        on = Some(false);
                    }
                    self.conf.sections[s].indexes = on;
                }
            }
            "require" => {
                wants(1)?;
                let (not, provider) = match args[0].strip_prefix("not") {
                    Some("") => (true, args.get(1).copied().unwrap_or("")),
                    _ => (false, args[0]),
                };
                const PROVIDERS: &[&str] = &[
                    "all",
                    "env",
                    "method",
                    "expr",
                    "ip",
                    "host",
                    "forward-dns",
                    "local",
                    "user",
                    "group",
                    "valid-user",
                    "file-owner",
                    "file-group",
                ];
                if !PROVIDERS.contains(&provider.to_ascii_lowercase().as_str()) {
                    return Err(syntax(no, file, &format!("Unknown Authz provider: {provider}")));
                }
                // SIM: only `Require all granted|denied` decides; the other providers grant.
                let access = match (provider, args.get(1).copied(), not) {
                    ("all", Some("denied"), false) => Access::Denied,
                    _ => Access::Granted,
                };
                if let Target::Section(s) = into {
                    self.conf.sections[s].access = Some(access);
                }
            }
            "deny" if args.first().is_some_and(|a| a.eq_ignore_ascii_case("from")) => {
                if let (Target::Section(s), Some(&"all")) = (into, args.get(1)) {
                    self.conf.sections[s].access = Some(Access::Denied);
                }
            }
            "allow" if args.first().is_some_and(|a| a.eq_ignore_ascii_case("from")) => {
                if let (Target::Section(s), Some(&"all")) = (into, args.get(1)) {
                    self.conf.sections[s].access = Some(Access::Granted);
                }
            }
            "typesconfig" => {
                wants(1)?;
                let path = self.path(args[0]);
                match self.files.get(&path) {
                    Some(text) => {
                        for l in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
                            let mut w = l.split_whitespace();
                            if let Some(t) = w.next() {
                                for ext in w {
                                    self.conf.types.insert(ext.to_ascii_lowercase(), t.to_string());
                                }
                            }
                        }
                    }
                    None => {
                        return Err(format!(
                        "AH00526: Syntax error on line {no} of {file}:\ncould not open mime types config file {path}."
                    ))
                    }
                }
            }
            "addtype" => {
                wants(2)?;
                for ext in &args[1..] {
                    self.conf.types.insert(ext.trim_start_matches('.').to_ascii_lowercase(), args[0].to_string());
                }
            }
            "errordocument" => {
                wants(2)?;
                let Ok(code) = args[0].parse::<u16>() else {
                    return Err(syntax(no, file, &format!("Unsupported HTTP response code {}", args[0])));
                };
                let doc = args[1..].join(" ");
                if let Some(h) = self.host(into) {
                    h.error_documents.insert(code, doc);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The host directives in `into` set (the main server inside conditionals).
    fn host(&mut self, into: Target) -> Option<&mut Host> {
        match into {
            Target::Main => Some(&mut self.conf.main),
            Target::Host(h) => self.conf.vhosts.get_mut(h),
            _ => None,
        }
    }

    fn include(&mut self, pattern: &str, optional: bool, no: usize, file: &str) -> Result<(), String> {
        self.includes += 1;
        if self.includes > MAX_INCLUDES {
            return Err(syntax(
                no,
                file,
                "Exceeded the maximum include directory nesting level of 128. You have probably a recursion somewhere.",
            ));
        }
        let path = self.path(pattern);
        let failed = |why: &str| format!("httpd: Syntax error on line {no} of {file}: {why}");
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", &path));
        if name.contains(['*', '?', '[']) {
            let prefix = format!("{dir}/");
            let matches: Vec<(String, String)> = self
                .files
                .range(prefix.clone()..)
                .take_while(|(p, _)| p.starts_with(&prefix))
                .filter(|(p, _)| {
                    let n = &p[prefix.len()..];
                    !n.is_empty() && !n.contains('/') && crate::sim::process::interp::glob_match(name, n)
                })
                .map(|(p, t)| (p.clone(), t.clone()))
                .collect();
            if matches.is_empty() && !optional {
                return Err(failed(&format!("No matches for the wildcard '{name}' in '{dir}', failing")));
            }
            for (p, text) in matches {
                self.file(&text, &p)?;
            }
            return Ok(());
        }
        if self.files.contains_key(&format!("{path}/")) {
            // A directory: every file in it, in order.
            let prefix = format!("{path}/");
            let inside: Vec<(String, String)> = self
                .files
                .range(prefix.clone()..)
                .take_while(|(p, _)| p.starts_with(&prefix))
                .filter(|(p, _)| !p[prefix.len()..].contains('/'))
                .map(|(p, t)| (p.clone(), t.clone()))
                .collect();
            for (p, text) in inside {
                self.file(&text, &p)?;
            }
            return Ok(());
        }
        match self.files.get(&path) {
            Some(text) => {
                let text = text.clone();
                self.file(&text, &path)
            }
            None if optional => Ok(()),
            None => Err(failed(&format!("Could not open configuration file {path}: No such file or directory"))),
        }
    }
}

/// The modules `httpd -M` lists.
pub fn module_list(conf: &Conf) -> String {
    let mut out = String::from("Loaded Modules:\n");
    for m in STATIC {
        out.push_str(&format!(" {m}_module (static)\n"));
    }
    for m in &conf.modules {
        out.push_str(&format!(" {m} (shared)\n"));
    }
    out
}

/// httpd's own page for a status (`404 Not Found`, `403 Forbidden`…).
pub fn status_page(status: u16, location: Option<&str>, path: &str) -> String {
    let reason = reason(status);
    let reason = if status == 503 { "Service Unavailable" } else { reason };
    let text = match status {
        301 | 302 | 303 | 307 | 308 => format!(
            "<p>The document has moved <a href=\"{}\">here</a>.</p>\n",
            location.unwrap_or_default()
        ),
        403 => "<p>You don't have permission to access this resource.</p>\n".to_string(),
        404 => "<p>The requested URL was not found on this server.</p>\n".to_string(),
        410 => "<p>The requested resource is no longer available on this server and there is no forwarding address.\nPlease remove all references to this resource.</p>\n".to_string(),
        502 => format!("<p>The proxy server received an invalid\nresponse from an upstream server.<br />\nThe proxy server could not handle the request<p>Reason: <strong>DNS lookup failure for: {path}</strong></p></p>\n"),
        503 => "<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\nproblems. Please try again later.</p>\n".to_string(),
        _ => String::new(),
    };
    format!(
        "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>{status} {reason}</title>\n</head><body>\n<h1>{reason}</h1>\n{text}</body></html>\n"
    )
}

/// What a request sent to httpd is.
pub struct Asked<'a> {
    pub port: u16,
    /// The path with its query.
    pub uri: &'a str,
    /// The `Host` the client sent (without its port), or the address it connected to.
    pub host: &'a str,
}

/// The reply to `GET uri`, reading files from `files` and sending proxied requests through
/// `proxy` (`url` → status and body; None: no connection).
pub fn serve(
    conf: &Conf,
    asked: &Asked<'_>,
    files: &BTreeMap<String, String>,
    proxy: &mut dyn FnMut(&str) -> Option<(u16, String)>,
) -> Reply {
    let (path, query) = match asked.uri.split_once('?') {
        Some((p, q)) => (if p.is_empty() { "/" } else { p }, Some(q)),
        None => (if asked.uri.is_empty() { "/" } else { asked.uri }, None),
    };
    // The virtual host: by name among those on the port, else the first on the port.
    let on_port: Vec<&Host> =
        conf.vhosts.iter().filter(|h| h.ports.is_empty() || h.ports.contains(&asked.port)).collect();
    let vhost = on_port
        .iter()
        .find(|h| h.names.iter().any(|n| n.eq_ignore_ascii_case(asked.host)))
        .or(on_port.first())
        .copied();
    let host = vhost.unwrap_or(&conf.main);
    let main = &conf.main;
    let page = |status: u16, location: Option<String>| {
        let doc = host.error_documents.get(&status).or_else(|| main.error_documents.get(&status));
        let body = match doc {
            Some(d) if d.starts_with('/') => {
                let root = host.document_root.as_deref().or(main.document_root.as_deref()).unwrap_or(ROOT);
                files
                    .get(&format!("{}{}", root.trim_end_matches('/'), d))
                    .cloned()
                    .unwrap_or_else(|| status_page(status, location.as_deref(), path))
            }
            Some(d) => d.trim_matches('"').to_string(),
            None => status_page(status, location.as_deref(), path),
        };
        Reply { status, body, content_type: "text/html; charset=iso-8859-1".into(), location, proxied: false }
    };

    // ProxyPass: the virtual host's then the main server's, first match; then <Location>s.
    let under = |prefix: &str| path == prefix.trim_end_matches('/') || path.starts_with(prefix) || prefix == "/";
    let proxied = host
        .proxies
        .iter()
        .chain(if vhost.is_some() { &main.proxies[..] } else { &[] })
        .find(|(prefix, _)| under(prefix))
        .map(|(prefix, url)| (prefix.clone(), url.clone()))
        .or_else(|| {
            conf.sections
                .iter()
                .filter(|s| s.kind == "location" && !s.regex && under(&s.pattern))
                .filter_map(|s| s.proxy.clone().map(|u| (s.pattern.clone(), u)))
                .next_back()
        });
    if let Some((prefix, url)) = proxied.filter(|(_, u)| u != "!") {
        let rest = path.strip_prefix(prefix.as_str()).unwrap_or("");
        let mut target = format!("{url}{rest}");
        if let Some(q) = query {
            target = format!("{target}?{q}");
        }
        return match proxy(&target) {
            Some((status, body)) => Reply { status, body, content_type: String::new(), location: None, proxied: true },
            None => page(503, None),
        };
    }

    // Redirect.
    let redirect = host
        .redirects
        .iter()
        .chain(if vhost.is_some() { &main.redirects[..] } else { &[] })
        .find(|(_, p, _)| path == p.as_str() || path.starts_with(&format!("{}/", p.trim_end_matches('/'))));
    if let Some((status, p, url)) = redirect {
        if *status == 410 {
            return page(410, None);
        }
        let rest = path.strip_prefix(p.as_str()).unwrap_or("");
        let mut to = format!("{url}{rest}");
        if let Some(q) = query {
            to = format!("{to}?{q}");
        }
        return page(*status, Some(to));
    }

    // The file: by Alias, else under DocumentRoot.
    let alias = host
        .aliases
        .iter()
        .chain(if vhost.is_some() { &main.aliases[..] } else { &[] })
        .find(|(url, _)| path.starts_with(url.as_str()) || format!("{path}/") == *url);
    let file = match alias {
        Some((url, target)) => {
            let rest = path.strip_prefix(url.as_str()).unwrap_or("");
            format!("{target}{rest}")
        }
        None => {
            let root =
                host.document_root.as_deref().or(main.document_root.as_deref()).unwrap_or("/usr/local/apache2/htdocs");
            format!("{}{}", root.trim_end_matches('/'), path)
        }
    };
    let is_dir = file.ends_with('/') || files.contains_key(&format!("{file}/"));
    let dir = if is_dir {
        format!("{}/", file.trim_end_matches('/'))
    } else {
        file.rsplit_once('/').map_or("/".into(), |(d, _)| format!("{d}/"))
    };

    // What the sections say of the place: <Directory> shortest first, then <Files>, then <Location>.
    let mut directories: Vec<&Section> = conf
        .sections
        .iter()
        .filter(|s| s.kind == "directory" && !s.regex)
        .filter(|s| {
            let p = format!("{}/", s.pattern.trim_end_matches('/'));
            dir.starts_with(&p) || p == "//"
        })
        .collect();
    directories.sort_by_key(|s| s.pattern.trim_end_matches('/').len());
    let name = file.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let files_sections = conf
        .sections
        .iter()
        .filter(|s| s.kind == "files" && !s.regex && crate::sim::process::interp::glob_match(&s.pattern, name));
    let locations = conf.sections.iter().filter(|s| s.kind == "location" && !s.regex && under(&s.pattern));
    let applying: Vec<&Section> = directories.into_iter().chain(files_sections).chain(locations).collect();
    let access = applying.iter().filter_map(|s| s.access).next_back().unwrap_or(Access::Granted);
    if access == Access::Denied {
        return page(403, None);
    }
    if is_dir && !files.contains_key(&format!("{}/", file.trim_end_matches('/'))) {
        return page(404, None);
    }
    if is_dir && !path.ends_with('/') {
        return page(301, Some(format!("http://{}{}/", asked.host_with_port(), path)));
    }
    if is_dir {
        let index = applying
            .iter()
            .filter_map(|s| s.index.clone())
            .next_back()
            .or_else(|| host.index.clone())
            .or_else(|| main.index.clone())
            .unwrap_or_default();
        for i in &index {
            let f = if i.starts_with('/') { format!("{}{}", ROOT, i) } else { format!("{dir}{i}") };
            if let Some(body) = files.get(&f) {
                return Reply {
                    status: 200,
                    body: body.clone(),
                    content_type: conf.content_type(&f).into(),
                    location: None,
                    proxied: false,
                };
            }
        }
        let indexes = applying.iter().filter_map(|s| s.indexes).next_back().unwrap_or(false);
        if indexes && conf.loaded("autoindex") {
            return Reply {
                status: 200,
                body: listing(path, &dir, files),
                content_type: "text/html;charset=UTF-8".into(),
                location: None,
                proxied: false,
            };
        }
        return page(403, None);
    }
    match files.get(&file) {
        Some(body) => Reply {
            status: 200,
            body: body.clone(),
            content_type: conf.content_type(&file).into(),
            location: None,
            proxied: false,
        },
        None => page(404, None),
    }
}

impl Asked<'_> {
    fn host_with_port(&self) -> String {
        if self.port == 80 {
            self.host.to_string()
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// mod_autoindex's plain listing of a directory.
fn listing(path: &str, dir: &str, files: &BTreeMap<String, String>) -> String {
    let title = if path == "/" { path } else { path.trim_end_matches('/') };
    let path = title;
    let mut out = format!(
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<html>\n <head>\n  <title>Index of {path}</title>\n </head>\n <body>\n<h1>Index of {path}</h1>\n<ul>"
    );
    let trimmed = path.trim_end_matches('/');
    if !trimmed.is_empty() {
        let parent = trimmed.rsplit_once('/').map_or("/", |(p, _)| if p.is_empty() { "/" } else { p });
        let parent = if parent.ends_with('/') { parent.to_string() } else { format!("{parent}/") };
        out.push_str(&format!("<li><a href=\"{parent}\"> Parent Directory</a></li>\n"));
    }
    for (p, _) in files.range(dir.to_string()..).take_while(|(p, _)| p.starts_with(dir)) {
        let rest = &p[dir.len()..];
        let entry = match rest.split_once('/') {
            None if !rest.is_empty() => rest.to_string(),
            Some((d, "")) => format!("{d}/"),
            _ => continue,
        };
        if entry.starts_with('.') {
            continue;
        }
        out.push_str(&format!("<li><a href=\"{entry}\"> {entry}</a></li>\n"));
    }
    out.push_str("</ul>\n</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image() -> BTreeMap<String, String> {
        let mut f = BTreeMap::new();
        for d in ["/usr/local/apache2/", "/usr/local/apache2/conf/", "/usr/local/apache2/htdocs/"] {
            f.insert(d.to_string(), String::new());
        }
        f.insert(MAIN.to_string(), DEFAULT_MAIN.to_string());
        f.insert("/usr/local/apache2/conf/mime.types".into(), MIME_TYPES.into());
        f.insert(
            "/usr/local/apache2/htdocs/index.html".into(),
            "<html><body><h1>It works!</h1></body></html>\n".into(),
        );
        f
    }

    fn get(conf: &Conf, f: &BTreeMap<String, String>, uri: &str) -> Reply {
        serve(conf, &Asked { port: 80, uri, host: "web" }, f, &mut |_| None)
    }

    #[test]
    fn the_image_default_says_it_works_and_denies_the_rest() {
        let f = image();
        let conf = load(&f).unwrap();
        assert_eq!(conf.listen, vec![80]);
        assert!(!conf.named && conf.has_mpm() && conf.warnings.is_empty());
        let r = get(&conf, &f, "/");
        assert_eq!((r.status, r.content_type.as_str()), (200, "text/html"));
        assert!(r.body.contains("It works!"));
        let r = get(&conf, &f, "/nope.html");
        assert_eq!(r.status, 404);
        assert!(r.body.contains("<title>404 Not Found</title>"), "{}", r.body);
        assert!(r.body.contains("The requested URL was not found on this server."));
    }

    #[test]
    fn a_proxy_pass_without_its_module_is_an_invalid_command() {
        let mut f = image();
        f.insert(MAIN.into(), format!("{DEFAULT_MAIN}ProxyPass /api http://backend:8080\n"));
        let line = DEFAULT_MAIN.lines().count() + 1;
        assert_eq!(
            load(&f).unwrap_err(),
            format!("AH00526: Syntax error on line {line} of {MAIN}:\nInvalid command 'ProxyPass', perhaps misspelled or defined by a module not included in the server configuration")
        );
        let with = DEFAULT_MAIN
            .replace("#LoadModule proxy_module", "LoadModule proxy_module")
            .replace("#LoadModule proxy_http_module", "LoadModule proxy_http_module");
        f.insert(MAIN.into(), format!("{with}ProxyPass /api http://backend:8080\n"));
        let conf = load(&f).unwrap();
        let mut seen = String::new();
        let r = serve(&conf, &Asked { port: 80, uri: "/api/items?x=1", host: "web" }, &f, &mut |u| {
            seen = u.to_string();
            Some((200, "items".into()))
        });
        assert_eq!((r.status, r.proxied, seen.as_str()), (200, true, "http://backend:8080/items?x=1"));
        assert_eq!(get(&conf, &f, "/api").status, 503);
    }

    #[test]
    fn sections_must_close_and_match() {
        let mut f = image();
        f.insert(MAIN.into(), format!("{DEFAULT_MAIN}<Directory /x>\nRequire all granted\n"));
        let line = DEFAULT_MAIN.lines().count() + 1;
        assert_eq!(
            load(&f).unwrap_err(),
            format!("AH00526: Syntax error on line {line} of {MAIN}:\n<Directory> was not closed.")
        );
        f.insert(MAIN.into(), format!("{DEFAULT_MAIN}</VirtualHost>\n"));
        assert!(load(&f).unwrap_err().ends_with("</VirtualHost> without matching <VirtualHost> section"));
        f.insert(MAIN.into(), format!("{DEFAULT_MAIN}<VirtualHost *:80>\n</Directory>\n"));
        assert!(load(&f).unwrap_err().ends_with("Expected </VirtualHost> but saw </Directory>"));
        f.insert(MAIN.into(), format!("{DEFAULT_MAIN}<IfModule proxy_module>\nProxyPass / http://x/\n</IfModule>\n"));
        assert!(load(&f).is_ok(), "a skipped section is not checked");
    }

    #[test]
    fn modules_and_includes_that_are_not_there_stop_the_start() {
        let mut f = image();
        f.insert(MAIN.into(), "LoadModule foo_module modules/mod_foo.so\n".into());
        assert_eq!(load(&f).unwrap_err(), format!("httpd: Syntax error on line 1 of {MAIN}: Cannot load modules/mod_foo.so into server: /usr/local/apache2/modules/mod_foo.so: cannot open shared object file: No such file or directory"));
        f.insert(MAIN.into(), "Include conf/extra/site.conf\n".into());
        assert_eq!(load(&f).unwrap_err(), format!("httpd: Syntax error on line 1 of {MAIN}: Could not open configuration file /usr/local/apache2/conf/extra/site.conf: No such file or directory"));
        f.insert(MAIN.into(), "IncludeOptional conf.d/*.conf\nListen 8080\n".into());
        let conf = load(&f).unwrap();
        assert!(!conf.has_mpm(), "no MPM: httpd will say so");
        assert_eq!(conf.listen, vec![8080]);
    }

    #[test]
    fn virtual_hosts_aliases_redirects_and_listings() {
        let mut f = image();
        f.insert("/usr/local/apache2/conf/extra/".into(), String::new());
        f.insert(
            "/usr/local/apache2/conf/extra/site.conf".into(),
            "Listen 8080\n<VirtualHost *:8080>\n  ServerName site.local\n  DocumentRoot /srv/site\n  Alias /static/ /srv/assets/\n  Redirect permanent /old /new\n  <Directory /srv>\n    Options Indexes\n    Require all granted\n  </Directory>\n</VirtualHost>\n".into(),
        );
        f.insert(MAIN.into(), format!("{DEFAULT_MAIN}ServerName localhost\nInclude conf/extra/site.conf\n"));
        for (p, body) in [
            ("/srv/", ""),
            ("/srv/site/", ""),
            ("/srv/site/a.txt", "a\n"),
            ("/srv/site/sub/", ""),
            ("/srv/assets/", ""),
            ("/srv/assets/app.css", "body{}"),
        ] {
            f.insert(p.into(), body.into());
        }
        let conf = load(&f).unwrap();
        assert!(conf.named);
        assert_eq!(conf.listen, vec![80, 8080]);
        let at = |uri: &str| serve(&conf, &Asked { port: 8080, uri, host: "site.local" }, &f, &mut |_| None);
        let r = at("/");
        assert_eq!(r.status, 200);
        assert!(
            r.body.contains("<title>Index of /</title>")
                && r.body.contains("<li><a href=\"a.txt\"> a.txt</a></li>\n<li><a href=\"sub/\"> sub/</a></li>"),
            "{}",
            r.body
        );
        assert!(at("/sub/").body.contains("<li><a href=\"/\"> Parent Directory</a></li>"));
        let r = at("/sub");
        assert_eq!((r.status, r.location.as_deref()), (301, Some("http://site.local:8080/sub/")));
        let r = at("/static/app.css");
        assert_eq!((r.status, r.body.as_str(), r.content_type.as_str()), (200, "body{}", "text/css"));
        let r = at("/old/page");
        assert_eq!((r.status, r.location.as_deref()), (301, Some("/new/page")));
        assert!(r.body.contains("The document has moved <a href=\"/new/page\">here</a>."));
        // Port 80 is still the main server's.
        assert!(get(&conf, &f, "/").body.contains("It works!"));
    }

    #[test]
    fn denied_places_are_forbidden_and_a_missing_root_is_warned_of() {
        let mut f = image();
        f.insert(
            MAIN.into(),
            DEFAULT_MAIN.replace("DocumentRoot \"/usr/local/apache2/htdocs\"", "DocumentRoot /var/www/html"),
        );
        let conf = load(&f).unwrap();
        assert_eq!(conf.warnings, vec!["AH00112: Warning: DocumentRoot [/var/www/html] does not exist".to_string()]);
        f.insert("/var/".into(), String::new());
        f.insert("/var/www/".into(), String::new());
        f.insert("/var/www/html/".into(), String::new());
        f.insert("/var/www/html/index.html".into(), "hi\n".into());
        let conf = load(&f).unwrap();
        let r = get(&conf, &f, "/");
        assert_eq!(r.status, 403, "outside every granted <Directory>");
        assert!(r.body.contains("You don't have permission to access this resource."));
        assert_eq!(get(&load(&image()).unwrap(), &image(), "/.htaccess").status, 403);
    }

    #[test]
    fn error_documents_and_modules_listed() {
        let mut f = image();
        f.insert(MAIN.into(), format!("{DEFAULT_MAIN}ErrorDocument 404 /missing.html\n"));
        f.insert("/usr/local/apache2/htdocs/missing.html".into(), "gone fishing\n".into());
        let conf = load(&f).unwrap();
        let r = get(&conf, &f, "/x");
        assert_eq!((r.status, r.body.as_str()), (404, "gone fishing\n"));
        let list = module_list(&conf);
        assert!(list.starts_with("Loaded Modules:\n core_module (static)\n so_module (static)\n http_module (static)\n mpm_event_module (shared)\n"), "{list}");
    }
}
