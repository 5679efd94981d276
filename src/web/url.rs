//! URL query state: `?lang=zh&pkg=shanghai-central&home=121.47000,31.23000`, so any view is a
//! link. Parsing is in [`UrlState::parse`] (pure, tested natively); reading and writing the
//! browser's location are thin wrappers.

use super::i18n::Lang;

/// What the URL carries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UrlState {
    /// Interface language.
    pub lang: Option<Lang>,
    /// Package id.
    pub package: Option<String>,
    /// Chosen point (lon, lat), WGS-84.
    pub home: Option<(f64, f64)>,
    /// Resident mode (`mode=resident`).
    pub resident: bool,
    /// Embedded, chrome-less resident view (`embed=1`).
    pub embed: bool,
    /// Open tab (`tab=coverage` …).
    pub tab: Option<String>,
    /// Map view: centre (lon, lat) and zoom (`view=121.47,31.23,15`).
    pub view: Option<(f64, f64, f64)>,
    /// Layers shown against their default (`on=postings,candidates`).
    pub layers_on: Vec<String>,
    /// Layers hidden against their default (`off=streets`).
    pub layers_off: Vec<String>,
    /// The active scenario's sites in [`crate::plan::scenario::sites_to_url`] form (`sites=…`).
    pub sites: Option<String>,
    /// The active scenario's network edits in [`crate::plan::scenario::edits_to_url`] form
    /// (`net=…`), see [`parse_net`].
    pub net: Option<String>,
}

fn ids(v: &str) -> Vec<String> {
    v.split(',')
        .filter(|x| {
            !x.is_empty()
                && x.len() <= 64
                && x.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
        .take(64)
        .map(str::to_owned)
        .collect()
}

impl UrlState {
    /// Parses a query string (with or without the leading `?`). Unknown or malformed values are
    /// ignored, never fatal.
    pub fn parse(query: &str) -> Self {
        let mut s = Self::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "lang" => s.lang = Lang::from_id(v),
                "pkg"
                    if !v.is_empty()
                        && v.len() <= 64
                        && v.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
                {
                    s.package = Some(v.to_owned());
                }
                "home" => s.home = parse_lon_lat(&v.replace("%2C", ",").replace("%2c", ",")),
                "mode" => s.resident = v == "resident",
                "embed" => s.embed = v == "1" || v == "true",
                "tab" if v.len() <= 16 && v.chars().all(|c| c.is_ascii_lowercase()) => {
                    s.tab = Some(v.to_owned());
                }
                "view" => {
                    let v = v.replace("%2C", ",").replace("%2c", ",");
                    let mut it = v.split(',').map(|x| x.trim().parse::<f64>().ok());
                    if let (Some(Some(lon)), Some(Some(lat)), Some(Some(z))) =
                        (it.next(), it.next(), it.next())
                        && parse_lon_lat(&format!("{lon},{lat}")).is_some()
                        && (1.0..=22.0).contains(&z)
                    {
                        s.view = Some((lon, lat, z));
                    }
                }
                "on" => s.layers_on = ids(&v.replace("%2C", ",")),
                "off" => s.layers_off = ids(&v.replace("%2C", ",")),
                "sites" if !v.is_empty() && v.len() <= 200_000 => {
                    let v = v
                        .replace("%7E", "~")
                        .replace("%7e", "~")
                        .replace("%3B", ";")
                        .replace("%3b", ";")
                        .replace("%3A", ":")
                        .replace("%3a", ":")
                        .replace("%21", "!");
                    s.sites = Some(v);
                }
                "net" => s.net = parse_net(v),
                _ => {}
            }
        }
        s
    }

    /// Serialises to a query string starting with `?` (empty when nothing is set).
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(l) = self.lang {
            parts.push(format!("lang={}", l.id()));
        }
        if let Some(p) = &self.package {
            parts.push(format!("pkg={p}"));
        }
        if let Some((lon, lat)) = self.home {
            parts.push(format!("home={lon:.6},{lat:.6}"));
        }
        if self.embed {
            parts.push("embed=1".to_owned());
        } else if self.resident {
            parts.push("mode=resident".to_owned());
        }
        if let Some(t) = &self.tab {
            parts.push(format!("tab={t}"));
        }
        if let Some((lon, lat, z)) = self.view {
            parts.push(format!("view={lon:.5},{lat:.5},{z:.0}"));
        }
        if !self.layers_on.is_empty() {
            parts.push(format!("on={}", self.layers_on.join(",")));
        }
        if !self.layers_off.is_empty() {
            parts.push(format!("off={}", self.layers_off.join(",")));
        }
        if let Some(x) = self.sites.as_ref().filter(|x| !x.is_empty()) {
            parts.push(format!("sites={x}"));
        }
        if let Some(x) = self.net.as_ref().filter(|x| !x.is_empty()) {
            parts.push(format!("net={x}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// Reads the current page's URL.
    pub fn read() -> Self {
        web_sys::window()
            .and_then(|w| w.location().search().ok())
            .map(|q| Self::parse(&q))
            .unwrap_or_default()
    }

    /// Replaces the current history entry's query (no reload, no new history entry).
    pub fn write(&self) {
        let Some(w) = web_sys::window() else { return };
        let Ok(path) = w.location().pathname() else {
            return;
        };
        let url = format!("{path}{}", self.to_query());
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// The `net=` value with the percent escapes a browser may add undone; `None` when empty or
/// over 200,000 characters. Each entry is checked when read
/// ([`crate::plan::scenario::edits_from_url`]): entries that fail are ignored, and the page
/// says so (`effects::network::link_network`).
pub fn parse_net(v: &str) -> Option<String> {
    (!v.is_empty() && v.len() <= 200_000).then(|| {
        v.replace("%7E", "~")
            .replace("%7e", "~")
            .replace("%3B", ";")
            .replace("%3b", ";")
    })
}

/// `lon,lat` in range, else `None`.
fn parse_lon_lat(v: &str) -> Option<(f64, f64)> {
    let (a, b) = v.split_once(',')?;
    let (lon, lat) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
    (lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0)
        .then_some((lon, lat))
}
