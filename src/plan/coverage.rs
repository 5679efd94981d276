//! Dual-circle coverage (供需匹配评估).
