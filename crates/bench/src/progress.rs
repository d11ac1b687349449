//! A progress bar on stderr, drawn by hand: redrawn in place on a terminal at most
//! ten times a second, one summary line otherwise.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

const WIDTH: usize = 30;
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// The progress of one worker.
#[derive(Debug)]
pub struct ProgressBar {
    label: String,
    total: u64,
    done: u64,
    started: Instant,
    drawn: Option<Instant>,
    terminal: bool,
}

impl ProgressBar {
    /// A bar for `total` pairs.
    pub fn new(label: &str, total: u64) -> Self {
        Self {
            label: label.to_owned(),
            total,
            done: 0,
            started: Instant::now(),
            drawn: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// `done` pairs are finished.
    pub fn update(&mut self, done: u64) {
        self.done = done.min(self.total);
        if self.terminal && self.drawn.is_none_or(|at| at.elapsed() >= REDRAW_EVERY) {
            self.drawn = Some(Instant::now());
            let line = self.line();
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{line}");
            let _ = err.flush();
        }
    }

    /// Prints a line the worker logged, above the bar.
    pub fn note(&mut self, text: &str) {
        let mut err = std::io::stderr().lock();
        if self.terminal && self.drawn.is_some() {
            let _ = write!(err, "\r\x1b[2K");
        }
        let _ = writeln!(err, "  {}: {text}", self.label);
        self.drawn = None;
    }

    /// Draws the final state and ends the line.
    pub fn finish(&mut self) {
        let line = self.line();
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "\r{line}");
    }

    fn line(&self) -> String {
        let fraction = if self.total == 0 {
            1.0
        } else {
            self.done as f64 / self.total as f64
        };
        let filled = ((fraction * WIDTH as f64) as usize).min(WIDTH);
        let secs = self.started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            self.done as f64 / secs
        } else {
            0.0
        };
        format!(
            "{:<34} [{}{}] {:>3.0}% {}/{} {:.0}/s",
            self.label,
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            fraction * 100.0,
            self.done,
            self.total,
            rate
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_count() {
        let mut bar = ProgressBar::new("ours", 100);
        bar.terminal = false;
        bar.update(50);
        let line = bar.line();
        assert!(
            line.contains(&format!("[{}{}]", "#".repeat(15), ".".repeat(15))),
            "{line}"
        );
        assert!(line.contains(" 50% 50/100"), "{line}");
    }
}
