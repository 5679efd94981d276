//! Inputs shared by the subcommands: street networks from GeoJSON or OSM files, data packages
//! loaded through the same engine the app runs, and single layer files through the importers
//! (every problem printed with file, row and field).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use shuangquan::plan::engine::{Engine, LoadSummary};
use shuangquan::plan::geom::LonLat;
use shuangquan::plan::graph::edits::read_geojson;
use shuangquan::plan::graph::{Compounds, NetworkEdits, NetworkRules, WalkGraph, WalkProfile};
use shuangquan::plan::import::{self, Imported, Severity};
use shuangquan::plan::model::{NetworkNode, Street};
use shuangquan::plan::osm;

/// Who walks, and on which network: the options shared by `reach`, `coverage` and `place`.
#[derive(Debug, Clone, Args)]
pub struct WalkArgs {
    /// Walking profile: standard (60 m/min), elderly (45 m/min), wheelchair (50 m/min, no
    /// steps) or a speed in metres per minute.
    #[arg(long, default_value = "standard")]
    pub profile: WalkProfile,
    /// Walking speed, metres per minute (overrides the profile's speed).
    #[arg(long)]
    pub speed: Option<f64>,
    /// Network edits and the compound setting.
    #[command(flatten)]
    pub net: NetworkArgs,
}

impl WalkArgs {
    /// The walking profile, at `--speed` when given.
    pub fn profile(&self) -> Result<WalkProfile, String> {
        walk_profile(self.profile, self.speed)
    }
}

/// The walking network's options shared by `reach`, `coverage`, `nearby` and `place`.
#[derive(Debug, Clone, Args)]
pub struct NetworkArgs {
    /// Network edits: a GeoJSON FeatureCollection of `edit` = add_path | close (LineString),
    /// gate_open | gate_closed (Point), with optional `crossing_delay_s`.
    #[arg(long)]
    pub edits: Option<PathBuf>,
    /// Walk through residential compounds: closed (private ways and gates for their residents
    /// only; the default) or open (everyone passes).
    #[arg(long, default_value = "closed")]
    pub compounds: Compounds,
}

impl NetworkArgs {
    /// The edits file, read and checked (every problem named by feature and field), or none.
    pub fn edits(&self) -> Result<Option<NetworkEdits>, String> {
        let Some(path) = &self.edits else {
            return Ok(None);
        };
        let bytes = read_bytes(path)?;
        read_geojson(&path.to_string_lossy(), &bytes)
            .map(Some)
            .map_err(|e| problem_list(&e))
    }

    /// The walk graph of `streets` and `nodes` with these options: built, then edited (as an
    /// overlay). A line on stderr states the compound setting and the edits.
    pub fn graph(&self, streets: &[Street], nodes: &[NetworkNode]) -> Result<WalkGraph, String> {
        self.apply(WalkGraph::build_network(streets, nodes))
    }

    /// `graph` with these options: the compound setting, then the edits as an overlay.
    pub fn apply(&self, graph: WalkGraph) -> Result<WalkGraph, String> {
        let edits = self.edits()?;
        let mut graph = graph;
        let rules = NetworkRules {
            compounds: self.compounds,
            ..NetworkRules::default()
        };
        graph.set_rules(rules);
        if let Some(edits) = edits {
            let file = self
                .edits
                .as_ref()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (g, r) = graph
                .with_edits(&file, &edits, rules)
                .map_err(|e| problem_list(&e))?;
            eprintln!(
                "edits: {} edits from {file}: {} m of new path, {} m closed, {} edges removed, {} added; crossing delay {} s",
                edits.edits.len(),
                r.added_path_m,
                r.closed_m,
                r.removed_edges,
                r.added_edges,
                edits.crossing_delay_s
            );
            graph = g;
        }
        eprintln!("compounds: {}", self.compounds);
        Ok(graph)
    }
}

/// Every problem of an edit error on its own line (`file: feature k: field: message`).
fn problem_list(e: &shuangquan::plan::graph::EditError) -> String {
    let mut s = format!(
        "{}: {} problem(s), nothing applied",
        e.file,
        e.problems.len()
    );
    for p in &e.problems {
        let _ = write!(s, "\n{}: {p}", e.file);
    }
    s
}

/// A walking profile from the command line (`standard`, `elderly`, `wheelchair` or a speed),
/// with `--speed` overriding its speed when given.
pub fn walk_profile(profile: WalkProfile, speed: Option<f64>) -> Result<WalkProfile, String> {
    match speed {
        None => Ok(profile),
        Some(s) if s.is_finite() && s > 0.0 => Ok(profile.at_speed(s)),
        Some(s) => Err(format!("--speed {s} must be a positive number")),
    }
}

/// Prints an import's warnings and errors (at most `limit`, then a count) to stderr.
pub fn print_problems<T>(got: &Imported<T>, limit: usize) {
    let shown: Vec<_> = got
        .report
        .problems
        .iter()
        .filter(|p| p.severity >= Severity::Warning)
        .collect();
    for p in shown.iter().take(limit) {
        eprintln!("{p}");
    }
    let more = shown.len().saturating_sub(limit) + got.report.omitted;
    if more > 0 {
        eprintln!("{}: … {more} more problems", got.report.file);
    }
}

/// `LON,LAT` (a command-line point), checked to be a WGS-84 position.
pub fn parse_lonlat(s: &str) -> Result<LonLat, String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("{s:?}: expected LON,LAT"))?;
    let num = |t: &str| {
        t.trim()
            .parse::<f64>()
            .map_err(|_| format!("{t:?} is not a number"))
    };
    let p = LonLat::new(num(a)?, num(b)?);
    if p.is_valid() {
        Ok(p)
    } else {
        Err(format!("{s:?} is not a WGS-84 position"))
    }
}

/// A file's bytes, or an error naming the file.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads one layer file with an importer; problems go to stderr, valid records are returned.
pub fn read_layer<T>(
    path: &Path,
    importer: fn(&str, &[u8], &import::Options) -> Imported<Vec<T>>,
) -> Result<Vec<T>, String> {
    let bytes = read_bytes(path)?;
    let got = importer(&path.to_string_lossy(), &bytes, &import::Options::default());
    print_problems(&got, 20);
    Ok(got.items)
}

/// A data package directory as the batch subcommands read it: the manifest when there is one
/// (else the conventional `<kind>.geojson` files), and its layers by kind.
pub struct PackageDir {
    dir: PathBuf,
    manifest: Option<serde_json::Value>,
}

impl PackageDir {
    /// Opens a directory; a manifest that does not parse is an error naming it.
    pub fn open(dir: &Path) -> Result<Self, String> {
        let manifest_path = dir.join("manifest.json");
        let manifest = if manifest_path.exists() {
            Some(
                serde_json::from_slice(&read_bytes(&manifest_path)?)
                    .map_err(|e| format!("{}: {e}", manifest_path.display()))?,
            )
        } else if dir.is_dir() {
            None
        } else {
            return Err(format!("{}: not a directory", dir.display()));
        };
        Ok(Self {
            dir: dir.to_owned(),
            manifest,
        })
    }

    /// True when the directory has a manifest.
    pub fn has_manifest(&self) -> bool {
        self.manifest.is_some()
    }

    /// False when the manifest says `"network": "none"`.
    pub fn has_network(&self) -> bool {
        self.manifest
            .as_ref()
            .and_then(|m| m.get("network"))
            .and_then(serde_json::Value::as_str)
            != Some("none")
    }

    /// The files of the layers of `kind`: the manifest's (in order), or `<kind>.geojson` when
    /// there is no manifest and it exists.
    pub fn files(&self, kind: &str) -> Vec<PathBuf> {
        let Some(m) = &self.manifest else {
            let p = self.dir.join(format!("{kind}.geojson"));
            return if p.exists() { vec![p] } else { vec![] };
        };
        m.get("layers")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .filter(|l| l.get("kind").and_then(serde_json::Value::as_str) == Some(kind))
            .filter_map(|l| l.get("file").and_then(serde_json::Value::as_str))
            .map(|f| self.dir.join(f))
            .collect()
    }

    /// The walking network: every streets layer, or `None` without a network.
    pub fn streets(&self) -> Result<Option<Vec<Street>>, String> {
        let files = self.files("streets");
        if !self.has_network() || files.is_empty() {
            return Ok(None);
        }
        let mut all = Vec::new();
        for f in &files {
            all.extend(read_streets(f)?);
        }
        Ok(Some(all))
    }

    /// The records of every layer of `kind`, through `importer`.
    pub fn layer<T>(
        &self,
        kind: &str,
        importer: fn(&str, &[u8], &import::Options) -> Imported<Vec<T>>,
    ) -> Result<Vec<T>, String> {
        let mut out = Vec::new();
        for f in self.files(kind) {
            out.extend(read_layer(&f, importer)?);
        }
        Ok(out)
    }
}

/// Loads a data package directory (manifest.json and its layer files) into an engine, as the
/// app does; layer problems are printed, a bad manifest is an error.
pub fn load_package(dir: &Path) -> Result<(Engine, LoadSummary), String> {
    let (engine, summary) = read_package(dir)?;
    for p in summary.problems.iter().take(20) {
        eprintln!("{p}");
    }
    if summary.problems.len() > 20 {
        eprintln!("… {} more problems", summary.problems.len() - 20);
    }
    Ok((engine, summary))
}

/// [`load_package`] without printing: every problem is in the summary (a layer file that is
/// missing or unreadable, a manifest entry that lies, a count that differs, each bad record).
pub fn read_package(dir: &Path) -> Result<(Engine, LoadSummary), String> {
    let manifest_path = dir.join("manifest.json");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&manifest).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let mut files = Vec::new();
    for layer in value
        .get("layers")
        .and_then(|l| l.as_array())
        .into_iter()
        .flatten()
    {
        let (Some(id), Some(file)) = (
            layer.get("id").and_then(|v| v.as_str()),
            layer.get("file").and_then(|v| v.as_str()),
        ) else {
            continue;
        };
        if file.contains("..") || file.starts_with('/') {
            return Err(format!(
                "{}: layer {id}: file {file:?} is outside the package",
                manifest_path.display()
            ));
        }
        // A missing or unreadable layer file is named by the engine; the others load.
        if let Ok(bytes) = std::fs::read(dir.join(file)) {
            files.push((id.to_owned(), bytes));
        }
    }
    let id = dir
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut engine = Engine::default();
    let summary = engine.load(&id, &manifest, &files)?;
    Ok((engine, summary))
}

/// Reads a street network: GeoJSON LineStrings, OSM XML (`.osm`) or OSM PBF (`.pbf`).
pub fn read_streets(path: &Path) -> Result<Vec<Street>, String> {
    read_network(path).map(|(s, _)| s)
}

/// Reads a street network with its gates and crossings (OSM files; none from GeoJSON).
pub fn read_network(path: &Path) -> Result<(Vec<Street>, Vec<NetworkNode>), String> {
    match read_network_file(path)? {
        NetworkFile::Streets(s) => Ok((s, Vec::new())),
        NetworkFile::Osm(d) => Ok((d.streets.to_streets(), d.network_nodes)),
    }
}

/// Reads a street network file and builds its walk graph with `net`'s options. OSM files go
/// through the reader's flat street table (no owned street per way), which is dropped once the
/// graph is built: the memory of a load follows the network, not the file.
pub fn read_graph(path: &Path, net: &NetworkArgs) -> Result<WalkGraph, String> {
    match read_network_file(path)? {
        NetworkFile::Streets(s) => net.graph(&s, &[]),
        NetworkFile::Osm(d) => {
            let osm::OsmNetwork {
                streets,
                network_nodes,
                ..
            } = *d;
            net.apply(WalkGraph::build_table(streets, &network_nodes))
        }
    }
}

/// A network file as read: GeoJSON streets, or an OSM extract in flat arrays.
enum NetworkFile {
    Streets(Vec<Street>),
    Osm(Box<osm::OsmNetwork>),
}

fn read_network_file(path: &Path) -> Result<NetworkFile, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if let Some(d) = stream_osm_xml(path, &ext)? {
        print_osm_problems(path, &d);
        return Ok(NetworkFile::Osm(Box::new(d)));
    }
    let bytes = read_bytes(path)?;
    let is_geojson = ext == "geojson"
        || ext == "json"
        || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if is_geojson {
        let got =
            import::import_streets(&path.to_string_lossy(), &bytes, &import::Options::default());
        print_problems(&got, 20);
        return Ok(NetworkFile::Streets(got.items));
    }
    // The encoding follows the extension when it names one, else the first bytes.
    let format = match ext.as_str() {
        "pbf" => osm::OsmFormat::Pbf,
        "osm" | "xml" => osm::OsmFormat::Xml,
        _ => osm::OsmFormat::sniff(&bytes),
    };
    let d = osm::read_network_as(&bytes, format);
    drop(bytes);
    print_osm_problems(path, &d);
    Ok(NetworkFile::Osm(Box::new(d)))
}

/// An OSM XML file (by its extension, or by its first bytes when the extension names no
/// format) read as a stream from disk, so that a 200 MB extract is never held whole; `None`
/// for any other file.
fn stream_osm_xml(path: &Path, ext: &str) -> Result<Option<osm::OsmNetwork>, String> {
    use std::io::{BufRead, BufReader};
    if matches!(ext, "pbf" | "geojson" | "json") {
        return Ok(None);
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let len = file
        .metadata()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let head = reader
        .fill_buf()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let xml = matches!(ext, "osm" | "xml") || osm::OsmFormat::sniff(head) == osm::OsmFormat::Xml;
    let geojson = head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if !xml || geojson {
        return Ok(None);
    }
    Ok(Some(osm::read_network_xml_from(reader, len)))
}

fn print_osm_problems(path: &Path, d: &osm::OsmNetwork) {
    for p in d.problems.iter().take(5) {
        eprintln!("{}: {p}", path.display());
    }
    if d.problems.len() > 5 {
        eprintln!(
            "{}: … {} more problems",
            path.display(),
            d.problems.len() - 5
        );
    }
}
