//! Nearby postings and services by walking time, with filters and profile matching (一键匹配).
