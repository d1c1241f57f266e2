//! Two pieces of work on two cores, when the second core is free in time.

use std::sync::{Mutex, PoisonError};

/// Runs `first` here and offers `second` to a helper thread; if the helper has
/// not taken `second` by the time `first` is done, it runs here too. A new
/// thread can take milliseconds to be scheduled on a busy or virtual machine:
/// this never waits for a helper to start, only for work it has taken.
///
/// `first` should be the longer piece, so that the helper has time to start.
pub fn join<A, B: Send>(first: impl FnOnce() -> A, second: impl FnOnce() -> B + Send) -> (A, B) {
    let offered = Mutex::new(Some(second));
    let take = || {
        offered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    };
    std::thread::scope(|scope| {
        let helper = scope.spawn(|| take().map(|second| second()));
        let a = first();
        let b = match take() {
            Some(second) => second(),
            None => helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                .expect("the helper ran the work it took"),
        };
        (a, b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_results_come_back_in_order_whoever_runs_them() {
        for n in 0..50 {
            let (a, b) = join(|| n * 2, move || n * 3);
            assert_eq!((a, b), (n * 2, n * 3));
        }
    }

    #[test]
    fn the_second_piece_runs_exactly_once_however_long_the_first_takes() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let runs = AtomicUsize::new(0);
        for micros in [0, 0, 10, 100, 1000] {
            join(
                || std::thread::sleep(std::time::Duration::from_micros(micros)),
                || runs.fetch_add(1, Ordering::SeqCst),
            );
        }
        assert_eq!(runs.load(Ordering::SeqCst), 5);
    }

    #[test]
    fn a_panic_in_either_piece_reaches_the_caller() {
        assert!(std::panic::catch_unwind(|| join(|| 1, || -> i32 { panic!("second") })).is_err());
        assert!(std::panic::catch_unwind(|| join(|| -> i32 { panic!("first") }, || 1)).is_err());
    }
}
