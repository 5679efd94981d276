//! Who may hear the embedded app: the parent-origin allowlist and the messages posted to it.
//!
//! When the app runs in an iframe (`?embed=1`) it can tell the hosting page what the resident
//! did (a home chosen, a posting selected) with `window.parent.postMessage`. This module holds the
//! pure decisions, so they are tested natively:
//!
//! - the allowlist comes from `embed-config.json`, a file the **hosting site** ships next to
//!   `index.html` (`{"parent_origins": ["https://portal.example.gov.cn"]}`), never from the URL,
//!   so a page that frames the app cannot grant itself access;
//! - origins are compared in their serialised form (`scheme://host[:port]`, lower case, default
//!   port dropped); `*` and `null` are never accepted;
//! - the parent's origin is `location.ancestorOrigins[0]` where the browser has it, otherwise the
//!   origin of `document.referrer`; the message is posted only when that origin is in the list,
//!   with exactly that origin as `targetOrigin` (the browser then drops it if the parent is in
//!   fact anything else);
//! - messages are versioned: `{"source":"shuangquan","v":1,"type":"home","lon":…,"lat":…}` and
//!   `{"source":"shuangquan","v":1,"type":"posting","id":…,"seconds":…}`.
//!
//! Everything here is linear in the length of the inputs.

use serde::Deserialize;
use serde_json::{Value, json};
use thiserror::Error;

use super::nearby::Hit;

/// `source` field of every message.
pub const MESSAGE_SOURCE: &str = "shuangquan";
/// `v` field of every message; bumped when a field changes meaning.
pub const MESSAGE_VERSION: u32 = 1;

/// Why an origin string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum OriginError {
    /// Empty string.
    #[error("empty origin")]
    Empty,
    /// `*`: a wildcard would send residents' choices to any page.
    #[error("\"*\" is not allowed: list each parent origin")]
    Wildcard,
    /// `null`: the opaque origin of sandboxed or file pages, which anyone can have.
    #[error("\"null\" (an opaque origin) is not allowed")]
    Null,
    /// Not `http://` or `https://`.
    #[error("{0:?}: the origin must start with https:// or http://")]
    Scheme(String),
    /// A path, query or fragment after the host.
    #[error("{0:?}: an origin has no path, query or fragment (write scheme://host[:port])")]
    Path(String),
    /// `user:pass@` before the host.
    #[error("{0:?}: an origin has no user name or password")]
    UserInfo(String),
    /// Empty host or a character not allowed in a host name.
    #[error("{0:?}: invalid host (internationalised names must be written in punycode, xn--…)")]
    Host(String),
    /// A port that is not a number from 1 to 65535.
    #[error("{0:?}: invalid port")]
    Port(String),
}

/// `embed-config.json` could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Not JSON, or `parent_origins` is not a list of strings.
    #[error("embed-config.json: {0}")]
    Json(String),
}

/// One rejected entry of `parent_origins`: its position and why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("embed-config.json: parent_origins[{index}]: {error}")]
pub struct EntryProblem {
    /// Position in the list (0-based).
    pub index: usize,
    /// What is wrong with it.
    pub error: OriginError,
}

/// Serialises an origin the way browsers do: `scheme://host[:port]`, scheme and host in lower
/// case, the default port (80 for http, 443 for https) dropped. One trailing `/` is tolerated so
/// that a copied site address works.
///
/// ```
/// use shuangquan::plan::embed_policy::normalise_origin;
/// assert_eq!(normalise_origin("HTTPS://Portal.Example.gov.cn:443/").unwrap(), "https://portal.example.gov.cn");
/// assert!(normalise_origin("*").is_err());
/// ```
pub fn normalise_origin(s: &str) -> Result<String, OriginError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(OriginError::Empty);
    }
    if s == "*" {
        return Err(OriginError::Wildcard);
    }
    if s.eq_ignore_ascii_case("null") {
        return Err(OriginError::Null);
    }
    let Some((scheme, rest)) = s.split_once("://") else {
        return Err(OriginError::Scheme(s.to_owned()));
    };
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return Err(OriginError::Scheme(s.to_owned())),
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains(['/', '?', '#']) {
        return Err(OriginError::Path(s.to_owned()));
    }
    if authority.contains('@') {
        return Err(OriginError::UserInfo(s.to_owned()));
    }
    let (host, port) = split_host_port(authority).ok_or_else(|| OriginError::Host(s.to_owned()))?;
    let host = host.to_ascii_lowercase();
    let host_ok = if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !v6.is_empty()
            && v6
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        !host.is_empty()
            && !host.starts_with('.')
            && !host.contains("..")
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    };
    if !host_ok {
        return Err(OriginError::Host(s.to_owned()));
    }
    match port {
        None => Ok(format!("{scheme}://{host}")),
        Some(p) => {
            let n: u16 = p
                .parse()
                .ok()
                .filter(|n| *n > 0 && p.chars().all(|c| c.is_ascii_digit()))
                .ok_or_else(|| OriginError::Port(s.to_owned()))?;
            if n == default_port {
                Ok(format!("{scheme}://{host}"))
            } else {
                Ok(format!("{scheme}://{host}:{n}"))
            }
        }
    }
}

/// `host[:port]` or `[v6][:port]` → (host, port text).
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, rest) = authority.split_at(end + 1);
        return match rest {
            "" => Some((host, None)),
            r => r.strip_prefix(':').map(|p| (host, Some(p))),
        };
    }
    match authority.split_once(':') {
        None => Some((authority, None)),
        Some((h, p)) if !p.contains(':') => Some((h, Some(p))),
        Some(_) => None,
    }
}

/// The origin of a full URL such as `document.referrer` (`https://a.gov.cn/page?x=1` →
/// `https://a.gov.cn`).
pub fn origin_of_url(url: &str) -> Result<String, OriginError> {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(OriginError::Scheme(url.to_owned()));
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    normalise_origin(&format!("{scheme}://{}", &rest[..end]))
}

#[derive(Deserialize)]
struct RawConfig {
    #[serde(default)]
    parent_origins: Vec<String>,
}

/// The parent origins a hosting site allows the embedded app to talk to. Empty (the shipped
/// default) means the app posts nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedPolicy {
    parent_origins: Vec<String>,
}

impl EmbedPolicy {
    /// Reads `embed-config.json`. Valid entries are kept (normalised, duplicates removed); every
    /// rejected entry is reported. Fields other than `parent_origins` are ignored (room for
    /// comments such as `"_comment"`).
    pub fn parse(json: &str) -> Result<(Self, Vec<EntryProblem>), ConfigError> {
        let raw: RawConfig =
            serde_json::from_str(json).map_err(|e| ConfigError::Json(e.to_string()))?;
        let mut parent_origins = Vec::new();
        let mut problems = Vec::new();
        for (index, entry) in raw.parent_origins.iter().enumerate() {
            match normalise_origin(entry) {
                Ok(o) if !parent_origins.contains(&o) => parent_origins.push(o),
                Ok(_) => {}
                Err(error) => problems.push(EntryProblem { index, error }),
            }
        }
        Ok((Self { parent_origins }, problems))
    }

    /// The allowed origins, normalised.
    pub fn parent_origins(&self) -> &[String] {
        &self.parent_origins
    }

    /// The `targetOrigin` to post to, or `None` to post nothing.
    ///
    /// `ancestor_origin` is `location.ancestorOrigins[0]` (Chromium, Safari); when the browser
    /// does not provide it, `referrer` (`document.referrer`) is used. An ancestor origin that is
    /// present but not allowed is final: the referrer is not consulted.
    pub fn target_origin(
        &self,
        ancestor_origin: Option<&str>,
        referrer: Option<&str>,
    ) -> Option<String> {
        let parent = match ancestor_origin.filter(|a| !a.is_empty()) {
            Some(a) => normalise_origin(a).ok()?,
            None => origin_of_url(referrer.filter(|r| !r.is_empty())?).ok()?,
        };
        self.parent_origins.contains(&parent).then_some(parent)
    }
}

/// Something the resident did that the hosting page may want to know.
#[derive(Debug, Clone, PartialEq)]
pub enum EmbedEvent {
    /// A home was chosen (map click, typed coordinates, a community, the browser's location or
    /// the URL).
    HomeChosen {
        /// Longitude, WGS-84.
        lon_wgs84: f64,
        /// Latitude, WGS-84.
        lat_wgs84: f64,
    },
    /// A posting was selected in the list or on the map.
    PostingSelected {
        /// The posting's id from its layer.
        id: String,
        /// Walking seconds from the home.
        seconds: f64,
    },
}

impl EmbedEvent {
    /// The event for a selected nearby hit.
    pub fn posting<R>(hit: &Hit<R>) -> Self {
        Self::PostingSelected {
            id: hit.id.clone(),
            seconds: hit.seconds,
        }
    }

    /// The versioned message object (coordinates rounded to 1e-6°, ≈ 0.1 m; seconds to 0.1 s).
    pub fn message(&self) -> Value {
        let round = |x: f64, k: f64| (x * k).round() / k;
        match self {
            Self::HomeChosen {
                lon_wgs84,
                lat_wgs84,
            } => json!({
                "source": MESSAGE_SOURCE,
                "v": MESSAGE_VERSION,
                "type": "home",
                "lon": round(*lon_wgs84, 1e6),
                "lat": round(*lat_wgs84, 1e6),
            }),
            Self::PostingSelected { id, seconds } => json!({
                "source": MESSAGE_SOURCE,
                "v": MESSAGE_VERSION,
                "type": "posting",
                "id": id,
                "seconds": round(*seconds, 10.0),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_serialised_like_browsers_do() {
        for (input, want) in [
            (
                "https://portal.example.gov.cn",
                "https://portal.example.gov.cn",
            ),
            (
                "HTTPS://Portal.Example.GOV.cn/",
                "https://portal.example.gov.cn",
            ),
            ("https://a.gov.cn:443", "https://a.gov.cn"),
            ("http://a.gov.cn:80/", "http://a.gov.cn"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("https://a.gov.cn:8443", "https://a.gov.cn:8443"),
            ("  http://localhost:3000 ", "http://localhost:3000"),
            ("http://[::1]:8080", "http://[::1]:8080"),
            ("https://xn--fiqs8s.cn", "https://xn--fiqs8s.cn"),
        ] {
            assert_eq!(normalise_origin(input).as_deref(), Ok(want), "{input}");
        }
    }

    #[test]
    fn bad_origins_say_why() {
        assert_eq!(normalise_origin(""), Err(OriginError::Empty));
        assert_eq!(normalise_origin("*"), Err(OriginError::Wildcard));
        assert_eq!(normalise_origin("null"), Err(OriginError::Null));
        assert!(matches!(
            normalise_origin("portal.gov.cn"),
            Err(OriginError::Scheme(_))
        ));
        assert!(matches!(
            normalise_origin("ftp://a.cn"),
            Err(OriginError::Scheme(_))
        ));
        assert!(matches!(
            normalise_origin("javascript://a.cn"),
            Err(OriginError::Scheme(_))
        ));
        assert!(matches!(
            normalise_origin("https://a.cn/page"),
            Err(OriginError::Path(_))
        ));
        assert!(matches!(
            normalise_origin("https://a.cn?x"),
            Err(OriginError::Path(_))
        ));
        assert!(matches!(
            normalise_origin("https://u:p@a.cn"),
            Err(OriginError::UserInfo(_))
        ));
        assert!(matches!(
            normalise_origin("https://政府.cn"),
            Err(OriginError::Host(_))
        ));
        assert!(matches!(
            normalise_origin("https://"),
            Err(OriginError::Host(_))
        ));
        assert!(matches!(
            normalise_origin("https://a..cn"),
            Err(OriginError::Host(_))
        ));
        assert!(matches!(
            normalise_origin("https://a.cn:0"),
            Err(OriginError::Port(_))
        ));
        assert!(matches!(
            normalise_origin("https://a.cn:70000"),
            Err(OriginError::Port(_))
        ));
        assert!(matches!(
            normalise_origin("https://a.cn:+80"),
            Err(OriginError::Port(_))
        ));
        assert!(matches!(
            normalise_origin("https://a.cn:"),
            Err(OriginError::Port(_))
        ));
    }

    #[test]
    fn referrer_origin() {
        assert_eq!(
            origin_of_url("https://Portal.gov.cn/services/map?x=1#top").as_deref(),
            Ok("https://portal.gov.cn")
        );
        assert_eq!(
            origin_of_url("http://127.0.0.1:4000?embed").as_deref(),
            Ok("http://127.0.0.1:4000")
        );
        assert!(origin_of_url("about:blank").is_err());
    }

    #[test]
    fn config_keeps_valid_entries_and_reports_every_bad_one() {
        let (p, problems) = EmbedPolicy::parse(
            r#"{"_comment": "x", "parent_origins": ["https://A.gov.cn/", "*", "https://a.gov.cn", "null", "http://127.0.0.1:9000"]}"#,
        )
        .unwrap();
        assert_eq!(
            p.parent_origins(),
            ["https://a.gov.cn", "http://127.0.0.1:9000"]
        );
        assert_eq!(
            problems,
            vec![
                EntryProblem {
                    index: 1,
                    error: OriginError::Wildcard
                },
                EntryProblem {
                    index: 3,
                    error: OriginError::Null
                },
            ]
        );
        assert_eq!(
            problems[0].to_string(),
            "embed-config.json: parent_origins[1]: \"*\" is not allowed: list each parent origin"
        );
        // The shipped default: an empty list; a missing field is the same.
        assert_eq!(
            EmbedPolicy::parse(r#"{"parent_origins": []}"#).unwrap().0,
            EmbedPolicy::default()
        );
        assert_eq!(EmbedPolicy::parse("{}").unwrap().0, EmbedPolicy::default());
        assert!(EmbedPolicy::parse(r#"{"parent_origins": "https://a.cn"}"#).is_err());
        assert!(EmbedPolicy::parse("not json").is_err());
    }

    #[test]
    fn target_origin_is_the_exact_allowed_parent_or_nothing() {
        let (p, _) = EmbedPolicy::parse(
            r#"{"parent_origins": ["https://portal.gov.cn", "http://127.0.0.1:9000"]}"#,
        )
        .unwrap();
        // Ancestor origin first.
        assert_eq!(
            p.target_origin(Some("https://portal.gov.cn"), None)
                .as_deref(),
            Some("https://portal.gov.cn")
        );
        assert_eq!(
            p.target_origin(Some("http://127.0.0.1:9000"), Some("https://evil.cn/"))
                .as_deref(),
            Some("http://127.0.0.1:9000")
        );
        // A present but unlisted ancestor is final, whatever the referrer says.
        assert_eq!(
            p.target_origin(Some("https://evil.cn"), Some("https://portal.gov.cn/")),
            None
        );
        assert_eq!(
            p.target_origin(Some("null"), Some("https://portal.gov.cn/")),
            None
        );
        // Without ancestorOrigins (Firefox): the referrer's origin.
        assert_eq!(
            p.target_origin(None, Some("https://portal.gov.cn/a/b?c"))
                .as_deref(),
            Some("https://portal.gov.cn")
        );
        assert_eq!(
            p.target_origin(Some(""), Some("https://portal.gov.cn/"))
                .as_deref(),
            Some("https://portal.gov.cn")
        );
        // Near misses are not matches.
        for other in [
            "http://portal.gov.cn",
            "https://portal.gov.cn:8443",
            "https://sub.portal.gov.cn",
            "https://portal.gov.cn.evil.cn",
            "http://127.0.0.1:9001",
            "http://localhost:9000",
        ] {
            assert_eq!(p.target_origin(Some(other), None), None, "{other}");
        }
        // No referrer (no-referrer policy) and no ancestor: nothing.
        assert_eq!(p.target_origin(None, None), None);
        assert_eq!(p.target_origin(None, Some("")), None);
        // Empty list (the default): nothing, ever.
        assert_eq!(
            EmbedPolicy::default().target_origin(Some("https://portal.gov.cn"), None),
            None
        );
    }

    #[test]
    fn messages_are_versioned() {
        let home = EmbedEvent::HomeChosen {
            lon_wgs84: 121.473_700_04,
            lat_wgs84: 31.230_4,
        };
        assert_eq!(
            home.message(),
            json!({"source": "shuangquan", "v": 1, "type": "home", "lon": 121.4737, "lat": 31.2304})
        );
        let hit: Hit = Hit {
            posting: 3,
            id: "p-17".into(),
            seconds: 271.46,
            metres: 300.0,
            score: 50.0,
            reasons: Vec::new(),
            points: None,
        };
        assert_eq!(
            EmbedEvent::posting(&hit).message(),
            json!({"source": "shuangquan", "v": 1, "type": "posting", "id": "p-17", "seconds": 271.5})
        );
    }
}
