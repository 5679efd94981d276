//! Importing one planner's file into the loaded engine: a CSV or GeoJSON layer, or an OSM
//! extract (`.osm`, `.osm.pbf`). What was loaded is kept; the file's records are added to the
//! layers, streets rebuild the walk graph, and the answer carries each layer's drawing data.
//!
//! An OSM extract goes through the streaming reader into flat arrays
//! ([`crate::plan::osm::read_network`]: no parse tree, no owned value per way); the streets stay
//! in that [`crate::plan::graph::StreetTable`] in the layers, the graph is built from it in
//! place, and the drawing text (the names' label points) is written from it after the graph,
//! so that it is never held beside the parse buffers or the graph build's temporaries. [`Engine::import_bytes_as`] also drops the file's bytes once
//! they are parsed. Memory: the table (≈ 16 bytes per vertex, 24 per street) plus the graph;
//! time O(file + P log P) for P street vertices (the graph build's sort).

use std::ops::Range;
use std::sync::Arc;

use super::{
    Engine, ImportAnswer, MAX_DRAWN, Problem, ProblemKind, Reach, Searcher, WalkGraph, export,
    import, import_layer, problems_of, write,
};
use crate::plan::import::Options;
use crate::plan::package::LayerKind;

/// Most OSM problems listed in an answer (the rest are counted).
const MAX_LISTED: usize = 200;

/// A stage of an import, reported as it ends ([`Engine::import_bytes_staged`]): the web worker
/// marks each with its clock and its wasm memory, a native probe with its heap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStage {
    /// The file is parsed (an OSM extract into the street table) and its bytes dropped.
    Read,
    /// The records are in the layers and the point layers' drawing data is written.
    Layers,
    /// The walk graph is built.
    Graph,
    /// The search structures ([`Reach`]) are made: the imported network is ready.
    Reach,
    /// The streets' label points are written (after the graph: never beside its build).
    Labels,
}

impl ImportStage {
    /// A short name for marks and logs.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Layers => "layers",
            Self::Graph => "graph",
            Self::Reach => "reach",
            Self::Labels => "labels",
        }
    }
}

/// A file read, before its records are added.
struct Read {
    data: import::Dataset,
    problems: Vec<Problem>,
    omitted: usize,
    records: usize,
    is_osm: bool,
}

/// True when the file's name says it is an OSM extract.
fn is_osm_name(file: &str) -> bool {
    let ext = std::path::Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("osm" | "pbf")) || file.to_ascii_lowercase().ends_with(".osm.xml")
}

/// Reads one file: an OSM extract into flat arrays, anything else through the importers.
fn read_file(file: &str, bytes: &[u8], layer: Option<LayerKind>) -> Read {
    if !is_osm_name(file) {
        let imp = import::import(file, bytes, &Options::default(), layer.map(import_layer));
        let problems: Vec<Problem> = problems_of(&imp).collect();
        return Read {
            data: imp.items,
            problems,
            omitted: imp.report.omitted,
            records: imp.report.records,
            is_osm: false,
        };
    }
    // A fatal problem leaves `osm` without streets and facilities: nothing half-way.
    let mut osm = crate::plan::osm::read_network(bytes);
    if osm.stats.highway_ways > 0 || osm.facilities.is_empty() {
        osm.problems.extend(osm.network_problem());
    }
    let problems: Vec<Problem> = osm
        .problems
        .iter()
        .take(MAX_LISTED)
        .map(|p| super::osm_problem(file, p))
        .collect();
    let omitted = osm.problems.len().saturating_sub(MAX_LISTED) + osm.problems_omitted;
    let data = import::Dataset {
        streets: osm.streets,
        facilities: osm.facilities,
        ..import::Dataset::default()
    };
    Read {
        records: data.len(),
        data,
        problems,
        omitted,
        is_osm: true,
    }
}

impl Engine {
    /// Adds the records of one user file (CSV, GeoJSON, or an OSM .osm/.pbf extract) to the
    /// loaded layers; what was already loaded is kept. Streets rebuild the walk graph.
    pub fn import_file(&mut self, file: &str, bytes: &[u8]) -> ImportAnswer {
        self.import_file_as(file, bytes, None)
    }

    /// [`Engine::import_file`] with the layer of a CSV/GeoJSON file given (`None`: told from
    /// its name and columns; an OSM extract is read as OSM whatever is given).
    pub fn import_file_as(
        &mut self,
        file: &str,
        bytes: &[u8],
        layer: Option<LayerKind>,
    ) -> ImportAnswer {
        let read = read_file(file, bytes, layer);
        let (mut answer, labels) = self.add_read(file, read, &mut |_| {});
        if let Some(range) = labels
            && let Some(l) = answer
                .layers
                .iter_mut()
                .find(|l| l.0 == LayerKind::Streets.id())
        {
            l.2 = self.street_labels(range);
        }
        answer
    }

    /// [`Engine::import_file_as`] taking the file's bytes: they are dropped as soon as they are
    /// parsed, so a city extract's file is not held beside its walk graph (the web worker's
    /// import, where memory never shrinks).
    pub fn import_bytes_as(
        &mut self,
        file: &str,
        bytes: Vec<u8>,
        layer: Option<LayerKind>,
    ) -> ImportAnswer {
        self.import_bytes_staged(file, bytes, layer, &mut |_| {})
    }

    /// [`Engine::import_bytes_as`] telling `stage` as each [`ImportStage`] ends.
    pub fn import_bytes_staged(
        &mut self,
        file: &str,
        bytes: Vec<u8>,
        layer: Option<LayerKind>,
        stage: &mut dyn FnMut(ImportStage),
    ) -> ImportAnswer {
        let (mut answer, labels) = self.import_bytes_network_first(file, bytes, layer, stage);
        if let Some(range) = labels {
            let text = self.street_labels(range);
            stage(ImportStage::Labels);
            if let Some(l) = answer
                .layers
                .iter_mut()
                .find(|l| l.0 == LayerKind::Streets.id())
            {
                l.2 = text;
            }
        }
        answer
    }

    /// [`Engine::import_bytes_staged`] answering as soon as the network is ready: the streets
    /// layer of the answer has no text yet, and the range of the streets the file added is
    /// returned for [`Engine::street_labels`] (the web worker posts the answer first and the
    /// label points after it, so the planner has the network ≈ 15 % sooner at city size).
    /// [`ImportStage::Labels`] is not told.
    pub fn import_bytes_network_first(
        &mut self,
        file: &str,
        bytes: Vec<u8>,
        layer: Option<LayerKind>,
        stage: &mut dyn FnMut(ImportStage),
    ) -> (ImportAnswer, Option<Range<usize>>) {
        let read = read_file(file, &bytes, layer);
        drop(bytes);
        stage(ImportStage::Read);
        self.add_read(file, read, stage)
    }

    /// The label points of the named streets `range` of the loaded layers, as the text an
    /// import's streets layer carries ([`write::street_labels_geojson`]).
    pub fn street_labels(&self, range: Range<usize>) -> String {
        write::street_labels_geojson(&self.layers.streets, range)
    }

    /// [`Engine::street_labels`] in the compact form the web worker sends.
    pub fn street_label_points(&self, range: Range<usize>) -> crate::plan::labels::LabelPoints {
        crate::plan::labels::LabelPoints::of(&self.layers.streets, range)
    }

    /// [`Engine::street_label_points`] a slice of `streets` streets at a time: goes on with
    /// `steps` (begun with the range); true when they are all found.
    pub fn street_label_step(
        &self,
        steps: &mut crate::plan::labels::LabelSteps,
        streets: usize,
    ) -> bool {
        steps.step(&self.layers.streets, streets)
    }

    /// Adds what was read to the layers, rebuilds the graph when walkable streets came, and
    /// writes each layer's drawing data (at most [`MAX_DRAWN`] features) but the streets' label
    /// points: their layer's text is empty and the streets' range is returned.
    fn add_read(
        &mut self,
        file: &str,
        read: Read,
        stage: &mut dyn FnMut(ImportStage),
    ) -> (ImportAnswer, Option<Range<usize>>) {
        let Read {
            mut data,
            problems,
            omitted,
            records,
            is_osm,
        } = read;
        self.nearby = None;
        let loaded = data.len();
        // An extract with no walkable way adds its streets to the layer but leaves the network.
        let network_rebuilt = data.streets.any_walkable();
        let layer_unknown = problems
            .iter()
            .any(|p| matches!(p.kind, ProblemKind::UnknownLayer { .. }));
        let before = export::lens(&self.layers);
        let mut layers = Vec::new();
        let mut undrawn = 0;
        macro_rules! add {
            ($field:ident, $kind:expr, $writer:path) => {
                if !data.$field.is_empty() {
                    let shown = &data.$field[..data.$field.len().min(MAX_DRAWN)];
                    undrawn += data.$field.len() - shown.len();
                    layers.push(($kind.id().to_owned(), data.$field.len(), $writer(shown)));
                    // Moved, not copied: a city's layers are tens of MB in a worker.
                    self.layers.$field.append(&mut data.$field);
                }
            };
        }
        self.layers.capacity.merge(&data.capacity);
        add!(stations, LayerKind::Stations, write::stations_geojson);
        add!(facilities, LayerKind::Facilities, write::facilities_geojson);
        add!(postings, LayerKind::Postings, write::postings_geojson);
        add!(demand, LayerKind::Demand, write::demand_geojson);
        add!(candidates, LayerKind::Candidates, write::candidates_geojson);
        add!(
            communities,
            LayerKind::Communities,
            write::communities_geojson
        );
        // The communities' name points, from the text the page draws.
        let zones = layers
            .iter()
            .filter(|(kind, _, _)| kind == LayerKind::Communities.id())
            .map(|(kind, _, text)| (kind.clone(), crate::plan::zone_labels::zone_labels(text)))
            .collect();
        // Streets: moved into the kept table (whole when it was empty).
        let (first_street, new_streets) = (self.layers.streets.len(), data.streets.len());
        self.layers.streets.append(&mut data.streets);
        self.origin.imported(file, is_osm, before, &self.layers);
        stage(ImportStage::Layers);
        if network_rebuilt {
            // The old graph goes first: it is never held beside the new one.
            (self.graph, self.base_graph, self.reach) = (None, None, None);
            // As on load: the build skips what is not walkable, and edge → street indices
            // point into the kept streets (no filtered copy of them).
            let g = WalkGraph::build_streets(&self.layers.streets, &[]);
            stage(ImportStage::Graph);
            self.reach = Some(Reach::new(&g));
            stage(ImportStage::Reach);
            let g = Arc::new(g);
            self.base_graph = Some(Arc::clone(&g));
            self.graph = Some(g);
            self.searcher = Searcher::new();
        }
        // The label points are read in place from the table once the graph is built (by the
        // caller): the text is one block of its counted size, never held beside the graph
        // build's temporaries (a wasm heap keeps its high-water mark). Every street is drawn,
        // from tiles; the text is only the names' label points.
        let labels = (new_streets > 0).then(|| {
            layers.push((
                LayerKind::Streets.id().to_owned(),
                new_streets,
                String::new(),
            ));
            first_street..first_street + new_streets
        });
        self.refresh_stations();
        self.place_cache = None;
        let answer = ImportAnswer {
            file: file.to_owned(),
            layers,
            records,
            loaded,
            problems,
            omitted,
            network_rebuilt,
            host_types: self.host_types(),
            undrawn,
            seq: 0,
            layer_unknown,
            zones,
        };
        (answer, labels)
    }
}
