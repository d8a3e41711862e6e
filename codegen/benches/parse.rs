//! Parse speed over the whole corpus: the IR build (`parse_api`) against its floor, the work
//! no parser of this format can avoid: iterating pulldown-cmark's events of every file plus
//! `serde_json::from_str::<Value>` on the same response-shape blocks. Target: IR ≤ 2× floor.
//!
//! `cargo bench -p codegen --bench parse`; the corpus is `priv/docs`. After criterion's
//! report, the two are timed again alternately and the medians and their ratio printed.

use std::hint::black_box;
use std::ops::Range;
use std::time::{Duration, Instant};

use codegen::parse;
use criterion::Criterion;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[path = "../../tests/support.rs"]
mod support;

use support::corpus;

/// The response-shape blocks of a doc, found as the parser finds them (top-level ```json
/// blocks after a top-level `### Responses`, up to the next `##`), as source slices. Done once,
/// outside the timing: the floor only pays for the events and for serde_json.
fn shape_blocks(src: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut in_responses = false;
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut code: Option<Option<Range<usize>>> = None;
    for (event, range) in Parser::new_ext(src, Options::empty()).into_offset_iter() {
        match &event {
            Event::Start(Tag::Heading { level, .. }) if depth == 0 => {
                heading = Some((*level, String::new()))
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if depth == 0 && in_responses && info.split_whitespace().next() == Some("json") =>
            {
                code = Some(None);
            }
            Event::Text(t) => {
                if let Some((_, text)) = &mut heading {
                    text.push_str(t);
                }
                if let Some(content) = &mut code {
                    *content = Some(content.take().map_or(range.clone(), |c| c.start..range.end));
                }
            }
            Event::End(TagEnd::Heading(_)) if depth == 1 => match heading.take() {
                Some((HeadingLevel::H2, _)) => in_responses = false,
                Some((HeadingLevel::H3, text)) if text.trim() == "Responses" => in_responses = true,
                _ => {}
            },
            Event::End(TagEnd::CodeBlock) if depth == 1 => {
                if let Some(Some(content)) = code.take() {
                    blocks.extend(src.get(content));
                }
            }
            _ => {}
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    blocks
}

fn ir(sources: &[(String, String)]) {
    black_box(parse::parse_api(black_box(sources)));
}

fn floor(sources: &[(String, String)], blocks: &[&str]) {
    for (_, src) in sources {
        for event in Parser::new_ext(black_box(src), Options::empty()).into_offset_iter() {
            black_box(event);
        }
    }
    for block in blocks {
        // Every block is valid JSON (the corpus parses without errors); ignore the result.
        let _ = black_box(serde_json::from_str::<serde_json::Value>(black_box(block)));
    }
}

/// Median wall time of `rounds` runs of each, alternating so both see the same machine load.
fn medians(rounds: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (Duration, Duration) {
    let (mut ta, mut tb) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for _ in 0..rounds {
        let t = Instant::now();
        a();
        ta.push(t.elapsed());
        let t = Instant::now();
        b();
        tb.push(t.elapsed());
    }
    ta.sort();
    tb.sort();
    (ta[rounds / 2], tb[rounds / 2])
}

fn main() {
    let sources = corpus();
    let blocks: Vec<&str> = sources
        .iter()
        .flat_map(|(_, src)| shape_blocks(src))
        .collect();
    let bytes: usize = sources.iter().map(|(_, s)| s.len()).sum();

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("corpus");
    group.throughput(criterion::Throughput::Bytes(bytes as u64));
    group.bench_function("ir", |b| b.iter(|| ir(&sources)));
    group.bench_function("floor", |b| b.iter(|| floor(&sources, &blocks)));
    group.finish();
    c.final_summary();

    // `cargo bench` passes `--bench`; under `cargo test --benches` criterion runs each
    // benchmark once as a smoke test, and so does this.
    let rounds = if std::env::args().any(|a| a == "--bench") {
        41
    } else {
        1
    };
    let (t_ir, t_floor) = medians(rounds, || ir(&sources), || floor(&sources, &blocks));
    println!(
        "corpus: {} files, {} KiB, {} shape blocks; median of {rounds}: ir {:.2} ms, floor {:.2} ms, ratio {:.2}x (target <= 2x)",
        sources.len(),
        bytes / 1024,
        blocks.len(),
        t_ir.as_secs_f64() * 1e3,
        t_floor.as_secs_f64() * 1e3,
        t_ir.as_secs_f64() / t_floor.as_secs_f64().max(f64::MIN_POSITIVE),
    );
}
