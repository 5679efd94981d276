//! The loaded data as a package folder: the format `shuangquan package` writes (a
//! `manifest.json` and one GeoJSON file per layer), so that `shuangquan check <folder>` and the
//! app read it back. What the planner imported in the browser becomes layers of its own, next to
//! the package's, each with its file named as its source.
//!
//! [`Origin`] follows where each run of records came from while a package loads and files are
//! imported (records are only ever appended, so a run is a range of one record list);
//! [`build`] writes each run with the canonical writers of [`super::write`].
//!
//! Time and memory: O(records); every layer is written once, in memory.

use serde_json::Value;

use super::manifest::{FORMAT, Layer, LayerFormat, LayerKind, Manifest, Name, Network, Status};
use super::write;
use crate::plan::import::{self, Capacity, Dataset};

/// The record lists of a [`Dataset`], in [`import::Layer::ALL`] order.
pub type Lens = [usize; 7];

/// How many records each list of `d` holds.
pub fn lens(d: &Dataset) -> Lens {
    import::Layer::ALL.map(|l| d.count(l))
}

/// Where a run of records came from.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    /// A layer of the loaded package (its manifest entry).
    Package(Box<Layer>),
    /// A file the planner imported: its name, and whether it was an OSM extract.
    File { name: String, osm: bool },
}

/// One run of records: its source, its list and its range there.
#[derive(Debug, Clone, PartialEq)]
struct Part {
    source: Source,
    list: import::Layer,
    range: std::ops::Range<usize>,
}

/// The loaded package's manifest and where every record came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origin {
    manifest: Option<Manifest>,
    parts: Vec<Part>,
}

impl Origin {
    /// A new origin for a package with this manifest (no records yet).
    pub fn new(manifest: Manifest) -> Self {
        Self {
            manifest: Some(manifest),
            parts: Vec::new(),
        }
    }

    fn record(&mut self, source: &Source, before: Lens, after: &Dataset) {
        for (i, list) in import::Layer::ALL.into_iter().enumerate() {
            let end = after.count(list);
            if end > before[i] {
                self.parts.push(Part {
                    source: source.clone(),
                    list,
                    range: before[i]..end,
                });
            }
        }
    }

    /// The records that `layer` of the package added (the lists were `before` it loaded).
    pub fn package_layer(&mut self, layer: &Layer, before: Lens, after: &Dataset) {
        self.record(&Source::Package(Box::new(layer.clone())), before, after);
    }

    /// The records that an imported file added.
    pub fn imported(&mut self, file: &str, osm: bool, before: Lens, after: &Dataset) {
        let source = Source::File {
            name: file.to_owned(),
            osm,
        };
        self.record(&source, before, after);
    }
}

/// A package folder: its name and its files (name, bytes), `manifest.json` first.
#[derive(Debug, Clone, PartialEq)]
pub struct Folder {
    /// The folder's name (the package id).
    pub name: String,
    /// The files.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Folder {
    /// The folder's files as ZIP entries: `<name>/<file>`, bytes.
    pub fn entries(self) -> Vec<(String, Vec<u8>)> {
        let name = self.name;
        self.files
            .into_iter()
            .map(|(f, b)| (format!("{name}/{f}"), b))
            .collect()
    }

    /// The folder as a ZIP archive whose entries are `<name>/<file>`, deflated (the browser
    /// build deflates with the browser's stream instead: `web::owndata`).
    ///
    /// # Errors
    /// An archive that would need ZIP64 (4 GiB or more).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn zip(&self) -> Result<Vec<u8>, super::zip::ZipError> {
        super::zip::write(&self.clone().entries())
    }
}

const fn kind_of(list: import::Layer) -> LayerKind {
    match list {
        import::Layer::Stations => LayerKind::Stations,
        import::Layer::Facilities => LayerKind::Facilities,
        import::Layer::Postings => LayerKind::Postings,
        import::Layer::Demand => LayerKind::Demand,
        import::Layer::Candidates => LayerKind::Candidates,
        import::Layer::Communities => LayerKind::Communities,
        import::Layer::Streets => LayerKind::Streets,
    }
}

/// A layer id from a file name: its stem's letters and digits (others become `_`), then the
/// kind.
fn id_for(file: &str, kind: LayerKind) -> String {
    let stem = file
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file)
        .split('.')
        .next()
        .unwrap_or_default();
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{clean}-{}", kind.id())
}

/// Adds each record's capacity (when its file gave one) to the written features.
fn with_capacity(
    geojson: String,
    ids: &[&str],
    cap: &std::collections::BTreeMap<String, f64>,
) -> String {
    if !ids.iter().any(|id| cap.contains_key(*id)) {
        return geojson;
    }
    let Ok(mut v) = serde_json::from_str::<Value>(&geojson) else {
        return geojson;
    };
    if let Some(fs) = v.get_mut("features").and_then(Value::as_array_mut) {
        for (f, id) in fs.iter_mut().zip(ids) {
            if let (Some(c), Some(p)) = (
                cap.get(*id),
                f.get_mut("properties").and_then(Value::as_object_mut),
            ) {
                p.insert("capacity".into(), (*c).into());
            }
        }
    }
    v.to_string()
}

/// Writes the records of one part.
fn write_part(
    d: &Dataset,
    list: import::Layer,
    r: std::ops::Range<usize>,
    cap: &Capacity,
) -> String {
    match list {
        import::Layer::Stations => {
            let items = &d.stations[r];
            let ids: Vec<&str> = items.iter().map(|s| s.id.as_str()).collect();
            with_capacity(write::stations_geojson(items), &ids, &cap.stations)
        }
        import::Layer::Facilities => {
            let items = &d.facilities[r];
            let ids: Vec<&str> = items.iter().map(|s| s.id.as_str()).collect();
            with_capacity(write::facilities_geojson(items), &ids, &cap.facilities)
        }
        import::Layer::Postings => write::postings_geojson(&d.postings[r]),
        import::Layer::Demand => write::demand_geojson(&d.demand[r]),
        import::Layer::Candidates => write::candidates_geojson(&d.candidates[r]),
        import::Layer::Communities => write::communities_geojson(&d.communities[r]),
        import::Layer::Streets => write::street_table_geojson(&d.streets, r),
    }
}

/// The manifest entry of a part.
fn entry_of(part: &Part, n: usize) -> Layer {
    let kind = kind_of(part.list);
    match &part.source {
        Source::Package(l) => Layer {
            // A package layer of boundaries stays boundaries (read as communities).
            kind: if part.list == import::Layer::Communities {
                l.kind
            } else {
                kind
            },
            file: String::new(),
            crs: super::Crs::Wgs84,
            count: Some(n),
            ..(**l).clone()
        },
        Source::File { name, osm } => Layer {
            id: id_for(name, kind),
            kind,
            file: String::new(),
            crs: super::Crs::Wgs84,
            status: Status::Real,
            source: if *osm {
                format!("OpenStreetMap: {name} (imported in the browser)")
            } else {
                format!("{name} (the planner's file, imported in the browser)")
            },
            licence: if *osm {
                "ODbL 1.0".to_owned()
            } else {
                "as given by the planner".to_owned()
            },
            method: "imported in the browser, converted to WGS-84 GeoJSON".to_owned(),
            count: Some(n),
            title: None,
            source_zh: Some(if *osm {
                format!("OpenStreetMap：{name}（在浏览器中导入）")
            } else {
                format!("{name}（规划人员的文件，在浏览器中导入）")
            }),
            licence_zh: Some(if *osm {
                "ODbL 1.0".to_owned()
            } else {
                "按规划人员的说明".to_owned()
            }),
            method_zh: Some("在浏览器中导入，转换为 WGS-84 GeoJSON".to_owned()),
            format: None,
        },
    }
}

/// The loaded data as a package folder named after `package_id`. None when no package was
/// loaded (there is no manifest to start from).
pub fn build(package_id: &str, origin: &Origin, d: &Dataset) -> Option<Folder> {
    let base = origin.manifest.as_ref()?;
    let mut layers: Vec<Layer> = Vec::new();
    let mut files = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut imported = Vec::new();
    let mut osm = false;
    for part in &origin.parts {
        let mut entry = entry_of(part, part.range.len());
        if let Source::File { name, osm: o } = &part.source {
            osm |= *o;
            if !imported.contains(name) {
                imported.push(name.clone());
            }
        }
        // Unique ids (the same file imported twice, a package layer split over two lists).
        let stem = entry.id.clone();
        let mut k = 2;
        while !seen.insert(entry.id.clone()) {
            entry.id = format!("{stem}-{k}");
            k += 1;
        }
        // Streets as OSM PBF, the compact format (GeoJSON for streets an OSM file cannot hold).
        let pbf = (part.list == import::Layer::Streets)
            .then(|| super::pbf::streets_pbf(&d.streets, part.range.clone()).ok())
            .flatten();
        let bytes = if let Some(pbf) = pbf {
            entry.format = Some(LayerFormat::OsmPbf);
            entry.file = format!("{}.osm.pbf", entry.id);
            if matches!(part.source, Source::File { .. }) {
                "imported in the browser, written as WGS-84 OSM PBF".clone_into(&mut entry.method);
                entry.method_zh = Some("在浏览器中导入，写为 WGS-84 OSM PBF".to_owned());
            }
            pbf
        } else {
            entry.format = None;
            entry.file = format!("{}.geojson", entry.id);
            write_part(d, part.list, part.range.clone(), &d.capacity).into_bytes()
        };
        files.push((entry.file.clone(), bytes));
        layers.push(entry);
    }
    let mut notes = base.notes.clone();
    if !imported.is_empty() {
        notes.push(Name {
            zh: format!("含规划人员在浏览器中导入的文件：{}", imported.join("、")),
            en: format!(
                "With files the planner imported in the browser: {}",
                imported.join(", ")
            ),
        });
    }
    let mut attribution = base.attribution.clone();
    if osm && !attribution.contains("OpenStreetMap") {
        attribution.push_str("; © OpenStreetMap contributors, ODbL 1.0");
    }
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        id: package_id.to_owned(),
        name: base.name.clone(),
        center_wgs84: base.center_wgs84,
        zoom: base.zoom,
        attribution,
        network: if d.streets.is_empty() {
            Network::None
        } else {
            Network::Streets
        },
        notes,
        age_shares: base.age_shares.clone(),
        layers,
    };
    files.insert(
        0,
        (
            "manifest.json".to_owned(),
            manifest.to_pretty_json().into_bytes(),
        ),
    );
    Some(Folder {
        name: package_id.to_owned(),
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_letters_and_digits_of_the_stem() {
        assert_eq!(id_for("s8_st.csv", LayerKind::Stations), "s8_st-stations");
        assert_eq!(
            id_for("dir/南京 站点.geojson", LayerKind::Stations),
            "南京_站点-stations"
        );
        assert_eq!(id_for("x.osm.pbf", LayerKind::Streets), "x-streets");
    }
}
