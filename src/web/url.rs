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
    /// Parameters whose values were not valid and were ignored (`pkg`, `view` …), in order,
    /// each once; the page names them in a notice. Never written back.
    pub ignored: Vec<String>,
    /// Who is walking (`walk=elderly`, `walk=custom:52`); a bad value is ignored.
    pub walk: Option<crate::plan::graph::WalkProfile>,
    /// The standards preset (`std=gb50180`); a bad value is ignored.
    pub standard: Option<crate::plan::access::Standard>,
    /// The active scenario's network edits in [`crate::plan::scenario::edits_to_url`] form
    /// (`net=…`), see [`parse_net`].
    pub net: Option<String>,
}

/// Longest `sites=` value read (≈ 8,000 sites at 6 decimals): a longer one is ignored whole.
pub const MAX_SITES_PARAM: usize = 200_000;

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
    /// Parses a query string (with or without the leading `?`). A known parameter with a value
    /// that is not valid is ignored and listed in [`UrlState::ignored`]; unknown parameters
    /// (a tracking tag) are left alone. Never fatal.
    pub fn parse(query: &str) -> Self {
        let mut s = Self::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            if !s.take(k, v) && !s.ignored.iter().any(|x| x == k) {
                // A key is at most a few characters; anything longer is not ours.
                s.ignored.push(k.chars().take(16).collect());
            }
        }
        s
    }

    /// Takes one parameter; false when it is known but its value is not valid.
    fn take(&mut self, k: &str, v: &str) -> bool {
        let s = self;
        match k {
            "lang" => {
                s.lang = Lang::from_id(v);
                s.lang.is_some()
            }
            "pkg" => {
                let ok = !v.is_empty()
                    && v.len() <= 64
                    && v.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                s.package = ok.then(|| v.to_owned());
                ok
            }
            "home" => {
                s.home = parse_lon_lat(&v.replace("%2C", ",").replace("%2c", ","));
                s.home.is_some()
            }
            "mode" => {
                s.resident = v == "resident";
                s.resident || v == "planner"
            }
            "embed" => {
                s.embed = v == "1" || v == "true";
                s.embed || v == "0" || v == "false"
            }
            "tab" => {
                let ok =
                    !v.is_empty() && v.len() <= 16 && v.chars().all(|c| c.is_ascii_lowercase());
                s.tab = ok.then(|| v.to_owned());
                ok
            }
            "view" => {
                s.view = parse_view(&v.replace("%2C", ",").replace("%2c", ","));
                s.view.is_some()
            }
            "on" => {
                s.layers_on = ids(&v.replace("%2C", ","));
                !s.layers_on.is_empty() || v.is_empty()
            }
            "off" => {
                s.layers_off = ids(&v.replace("%2C", ","));
                !s.layers_off.is_empty() || v.is_empty()
            }
            "sites" if !v.is_empty() && v.len() <= MAX_SITES_PARAM => {
                let v = v
                    .replace("%7E", "~")
                    .replace("%7e", "~")
                    .replace("%3B", ";")
                    .replace("%3b", ";")
                    .replace("%3A", ":")
                    .replace("%3a", ":")
                    .replace("%21", "!");
                s.sites = Some(v);
                true
            }
            "sites" => false,
            "net" => {
                s.net = parse_net(v);
                s.net.is_some()
            }
            "walk" => {
                s.walk = (v.len() <= 32)
                    .then(|| v.replace("%3A", ":").replace("%3a", ":").parse().ok())
                    .flatten();
                s.walk.is_some()
            }
            "std" => {
                s.standard = (v.len() <= 32).then(|| v.parse().ok()).flatten();
                s.standard.is_some()
            }
            _ => true,
        }
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
        if let Some(w) = self.walk {
            parts.push(format!("walk={w}"));
        }
        if let Some(x) = self.standard {
            parts.push(format!("std={}", x.id()));
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

/// `lon,lat,zoom` with the position in range and the zoom in 1–22, else `None`.
fn parse_view(v: &str) -> Option<(f64, f64, f64)> {
    let mut it = v.split(',').map(|x| x.trim().parse::<f64>().ok());
    let (Some(Some(lon)), Some(Some(lat)), Some(Some(z)), None) =
        (it.next(), it.next(), it.next(), it.next())
    else {
        return None;
    };
    parse_lon_lat(&format!("{lon},{lat}"))?;
    (1.0..=22.0).contains(&z).then_some((lon, lat, z))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_values_are_ignored_and_named() {
        let s = UrlState::parse("?view=NaN,1e308,99&pkg=../../etc&home=1e308,5&tab=&utm_source=x");
        assert_eq!(
            (s.view, s.package.as_deref(), s.home, s.tab.as_deref()),
            (None, None, None, None)
        );
        assert_eq!(s.ignored, ["view", "pkg", "home", "tab"]);
        // A view with a fourth number, or a zoom out of range, is not a view.
        assert_eq!(UrlState::parse("view=121.4,31.2,15,3").ignored, ["view"]);
        assert_eq!(UrlState::parse("view=121.4,31.2,0").ignored, ["view"]);
        // 10,000 sites make a value longer than the limit: ignored whole, named once.
        let sites: Vec<String> = (0..10_000)
            .map(|k| format!("c{k:05}~121.{k:06}~31.{k:06}"))
            .collect();
        let q = format!("?sites={}&sites=", sites.join(";"));
        assert!(q.len() > MAX_SITES_PARAM);
        let s = UrlState::parse(&q);
        assert_eq!(s.ignored, ["sites"]);
        assert_eq!(s.sites, None);
        // Valid values are taken and nothing is named.
        let ok = UrlState::parse("?view=121.4,31.2,15&pkg=helsinki&lang=en&embed=0&mode=planner");
        assert!(ok.ignored.is_empty(), "{:?}", ok.ignored);
        assert_eq!(ok.package.as_deref(), Some("helsinki"));
        assert_eq!(ok.view, Some((121.4, 31.2, 15.0)));
    }
}
