//! The network-edit feature (路网编辑): the map tool in use, the path being drawn, and what the
//! worker said about the last network switch and the last edits file. The edits themselves are
//! part of the active scenario ([`super::scenarios`]: `ScenarioEdit::AddNet` …), so undo, local
//! storage and the share link follow them.

use std::rc::Rc;

use yew::prelude::*;

use crate::web::protocol::EngineError;

/// What a click on the map does while the planner edits the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetTool {
    /// Adds a vertex to the path being drawn.
    Path,
    /// Closes the street piece clicked.
    Close,
    /// Opens a compound gate at the point clicked.
    GateOpen,
    /// Closes a gate (residents only) at the point clicked.
    GateClosed,
}

/// What the last network switch in the worker did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Switch {
    /// Milliseconds it took in the worker.
    pub ms: f64,
    /// New path, metres.
    pub added_m: u64,
    /// Closed street, metres.
    pub closed_m: u64,
}

/// A message of the network block.
#[derive(Debug, Clone, PartialEq)]
pub enum NetNotice {
    /// No street near the click (close tool).
    NoStreet,
    /// An edits file was read: (edits, file).
    Imported(usize, String),
    /// Edits (a file, or the scenario's) could not be applied: nothing was.
    Failed(EngineError),
}

/// The network-edit tools' state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NetworkState {
    /// The tool in use (map clicks go to it on the planner tab).
    pub tool: Option<NetTool>,
    /// The path being drawn (lon, lat).
    pub draft: Rc<Vec<(f64, f64)>>,
    /// The switch the page waits for.
    pub seq: u64,
    /// The last switch.
    pub switch: Option<Switch>,
    /// Switches done since the page opened (the page and its tests see a new one arrive).
    pub switches: u32,
    /// The edits file being read.
    pub file_seq: u64,
    /// The last message.
    pub notice: Option<NetNotice>,
}

/// Changes of [`NetworkState`].
#[derive(Debug, Clone)]
pub enum NetworkAction {
    /// Choose a tool (or none); the draft is dropped.
    Tool(Option<NetTool>),
    /// A vertex of the path being drawn.
    AddPoint((f64, f64)),
    /// The draft became an edit (or is abandoned).
    ClearDraft,
    /// A network switch was sent with this number.
    Sent(u64),
    /// The switch with this number is done.
    Switched(u64, Switch),
    /// The switch with this number failed.
    Failed(u64, EngineError),
    /// An edits file is being read with this number.
    FileSent(u64),
    /// The file with this number was read: (edits, file name).
    FileRead(u64, usize, String),
    /// The file with this number was refused.
    FileFailed(u64, EngineError),
    /// Nothing to close where the map was clicked.
    NoStreet,
    /// Another package.
    Reset,
}

impl Reducible for NetworkState {
    type Action = NetworkAction;

    fn reduce(self: Rc<Self>, action: NetworkAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            NetworkAction::Tool(t) => {
                s.tool = t;
                s.draft = Rc::new(Vec::new());
            }
            NetworkAction::AddPoint(p) => {
                // 6 decimals (≈ 0.1 m): what the file and the link keep.
                let round = |x: f64| (x * 1e6).round() / 1e6;
                let mut d = (*s.draft).clone();
                d.push((round(p.0), round(p.1)));
                s.draft = Rc::new(d);
            }
            NetworkAction::ClearDraft => s.draft = Rc::new(Vec::new()),
            NetworkAction::Sent(seq) => s.seq = seq,
            NetworkAction::Switched(seq, sw) if seq == s.seq => {
                s.switch = Some(sw);
                s.switches += 1;
                if matches!(s.notice, Some(NetNotice::Failed(_))) && s.file_seq == 0 {
                    s.notice = None;
                }
            }
            NetworkAction::Failed(seq, e) if seq == s.seq => {
                s.switch = None;
                s.notice = Some(NetNotice::Failed(e));
            }
            NetworkAction::FileSent(seq) => s.file_seq = seq,
            NetworkAction::FileRead(seq, n, file) if seq == s.file_seq => {
                s.file_seq = 0;
                s.notice = Some(NetNotice::Imported(n, file));
            }
            NetworkAction::FileFailed(seq, e) if seq == s.file_seq => {
                s.file_seq = 0;
                s.notice = Some(NetNotice::Failed(e));
            }
            NetworkAction::NoStreet => s.notice = Some(NetNotice::NoStreet),
            NetworkAction::Reset => s = NetworkState::default(),
            // An answer the page no longer waits for.
            NetworkAction::Switched(..)
            | NetworkAction::Failed(..)
            | NetworkAction::FileRead(..)
            | NetworkAction::FileFailed(..) => return self,
        }
        Rc::new(s)
    }
}

/// The context of [`NetworkState`].
pub type NetworkContext = UseReducerHandle<NetworkState>;

/// The network-edit state.
#[hook]
pub fn use_network() -> NetworkContext {
    super::use_feature::<NetworkState>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: NetworkState, actions: Vec<NetworkAction>) -> Rc<NetworkState> {
        actions.into_iter().fold(Rc::new(s), Reducible::reduce)
    }

    #[test]
    fn late_answers_are_dropped_and_tools_reset_the_draft() {
        let sw = |ms| Switch {
            ms,
            added_m: 1,
            closed_m: 2,
        };
        let s = run(
            NetworkState::default(),
            vec![
                NetworkAction::Sent(1),
                NetworkAction::Sent(2),
                NetworkAction::Switched(1, sw(9.0)),
            ],
        );
        assert_eq!(s.switch, None);
        let s = run((*s).clone(), vec![NetworkAction::Switched(2, sw(3.0))]);
        assert_eq!(s.switch, Some(sw(3.0)));
        let s = run(
            (*s).clone(),
            vec![
                NetworkAction::Tool(Some(NetTool::Path)),
                NetworkAction::AddPoint((121.123_456_78, 31.0)),
            ],
        );
        assert_eq!(*s.draft, vec![(121.123_457, 31.0)]);
        let s = run(
            (*s).clone(),
            vec![NetworkAction::Tool(Some(NetTool::Close))],
        );
        assert!(s.draft.is_empty());
    }
}
