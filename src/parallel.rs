//! Two pieces of work on two cores, when the second core is free in time.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

/// Runs `first` here and offers `second` to a helper thread; if the helper has
/// not taken `second` by the time `first` is done, it runs here too. A new
/// thread can take milliseconds to be scheduled on a busy or virtual machine:
/// this never waits for a helper to start, only for work it has taken.
///
/// `first` should be the longer piece, so that the helper has time to start.
pub fn join<A, B: Send>(first: impl FnOnce() -> A, second: impl FnOnce() -> B + Send) -> (A, B) {
    join_claimable(|_| first(), second)
}

/// As [`join`], for a `first` that needs something `second` makes before it can
/// go on: `first` is handed `claim`, which runs `second` here at once if the
/// helper has not taken it yet, and says whether `second` has run here (if not,
/// the helper has it, and `first` may wait for what it makes).
pub fn join_claimable<A, B: Send>(
    first: impl FnOnce(&dyn Fn() -> bool) -> A,
    second: impl FnOnce() -> B + Send,
) -> (A, B) {
    let helper = Helper::offer(second);
    let ran_here = RefCell::new(None);
    let claim = || {
        if let Some(second) = helper.shared.take(Taker::Caller) {
            let b = second();
            *ran_here.borrow_mut() = Some(b);
        }
        ran_here.borrow().is_some()
    };
    let a = first(&claim);
    let b = match ran_here.into_inner() {
        Some(b) => b,
        None => match helper.shared.take(Taker::Caller) {
            Some(second) => second(),
            None => helper.join().expect("the helper ran the work it took"),
        },
    };
    (a, b)
}

/// The work offered to a helper, and who took it.
enum Slot<F> {
    Offered(F),
    Taken(Taker),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Taker {
    Helper,
    Caller,
}

/// What the caller and its helper share: kept alive by whichever holds it last,
/// so that a helper left to finish alone touches nothing of the caller's.
struct Shared<F> {
    slot: Mutex<Slot<F>>,
    placement: Placement,
}

impl<F> Shared<F> {
    /// The work, if it is still offered; it is then `taker`'s.
    fn take(&self, taker: Taker) -> Option<F> {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        match std::mem::replace(&mut *slot, Slot::Taken(taker)) {
            Slot::Offered(work) => Some(work),
            taken => {
                *slot = taken;
                None
            }
        }
    }

    fn taken_by(&self, taker: Taker) -> bool {
        let slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        matches!(*slot, Slot::Taken(by) if by == taker)
    }
}

/// A helper thread whose work may borrow from the caller's stack, as a scoped
/// thread's does, but whose native handle is at hand (see [`Placement`]). Once the
/// helper has taken the work it is joined before the `Helper` is gone (when
/// joined, or dropped, even in a panic); until then the work can be withdrawn,
/// and a helper that finds it gone touches only the shared slot, which it keeps
/// alive, and ends alone — nobody waits for a helper that has not started.
/// Private to [`join`], which never forgets a `Helper`.
struct Helper<F, R> {
    thread: Option<JoinHandle<Option<R>>>,
    shared: Arc<Shared<F>>,
}

impl<F: FnOnce() -> R + Send, R: Send> Helper<F, R> {
    fn offer(work: F) -> Self {
        let shared = Arc::new(Shared {
            slot: Mutex::new(Slot::Offered(work)),
            placement: Placement::away_from_here(),
        });
        let its = Arc::clone(&shared);
        let run = move || {
            its.placement.started();
            its.take(Taker::Helper).map(|work| work())
        };
        // SAFETY: what the work borrows outlives its run: a helper that takes
        // the work is joined before the `Helper` is gone (see `Drop`), and one
        // that does not touches only `Shared`, which its own `Arc` keeps alive.
        let thread = unsafe { std::thread::Builder::new().spawn_unchecked(run) }.ok();
        if let Some(thread) = &thread {
            shared.placement.pin_away(thread);
        }
        Helper { thread, shared }
    }

    /// What the helper's work returned (none if it could not be started);
    /// a panic in it is raised here.
    fn join(mut self) -> Option<R> {
        let thread = self.thread.take()?;
        thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

impl<F, R> Drop for Helper<F, R> {
    fn drop(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        // Withdrawn if still offered (the caller is unwinding): then, as when the
        // caller ran it, the helper is left to find it gone.
        drop(self.shared.take(Taker::Caller));
        if self.shared.taken_by(Taker::Helper) {
            let _ = thread.join();
        }
    }
}

/// Where a helper thread may run. Some virtual machines' schedulers pack a new
/// thread onto the busy core that spawned it, where it waits milliseconds (often
/// the whole of `first`) instead of waking an idle core: measured on one, a
/// helper's start went from 3 ms at the 90th percentile to 0.12 ms once it could
/// start only on another core. So the spawner pins its helper away from its own
/// core; a helper that starts before it is pinned, on the spawner's core, moves
/// itself away (measured: one run in ten, which then took half as long
/// again). Once started it may run anywhere again, so that a helper whose core is
/// taken from it can move to the one its spawner waits on. A lock orders the pin
/// and the start: a helper that has started is never pinned afterwards. Where
/// there is no other core, or off Linux, nothing changes.
struct Placement {
    #[cfg(target_os = "linux")]
    pin: Mutex<Pin>,
}

#[cfg(target_os = "linux")]
#[derive(Default)]
enum Pin {
    #[default]
    Nowhere,
    NotStarted(Cores),
    Pinned(Cores),
    Started,
}

/// The spawner's core, the cores it may run on, and those but its own.
#[cfg(target_os = "linux")]
struct Cores {
    spawner: usize,
    all: libc::cpu_set_t,
    elsewhere: libc::cpu_set_t,
}

#[cfg(target_os = "linux")]
impl Placement {
    /// A placement away from the calling thread's core, if there is another.
    fn away_from_here() -> Self {
        let pin = Cores::here().map_or(Pin::Nowhere, Pin::NotStarted);
        Placement {
            pin: Mutex::new(pin),
        }
    }

    fn pin_away<T>(&self, thread: &JoinHandle<T>) {
        use std::os::unix::thread::JoinHandleExt;
        let mut pin = self.pin.lock().unwrap_or_else(PoisonError::into_inner);
        let Pin::NotStarted(cores) = &*pin else {
            return;
        };
        // SAFETY: the set is read within its size, and the thread is not joined yet.
        let pinned = unsafe {
            libc::pthread_setaffinity_np(
                thread.as_pthread_t(),
                std::mem::size_of::<libc::cpu_set_t>(),
                &cores.elsewhere,
            )
        } == 0;
        if pinned && let Pin::NotStarted(cores) = std::mem::take(&mut *pin) {
            *pin = Pin::Pinned(cores);
        }
    }

    /// Called by the helper as it starts.
    fn started(&self) {
        let mut pin = self.pin.lock().unwrap_or_else(PoisonError::into_inner);
        match std::mem::replace(&mut *pin, Pin::Started) {
            Pin::Pinned(cores) => set_own_cores(&cores.all),
            // SAFETY: `sched_getcpu` only reads which core this thread is on.
            Pin::NotStarted(cores) if unsafe { libc::sched_getcpu() } as usize == cores.spawner => {
                // Moved away at once, and then left where it is, free to move.
                set_own_cores(&cores.elsewhere);
                set_own_cores(&cores.all);
            }
            Pin::NotStarted(_) | Pin::Nowhere | Pin::Started => {}
        }
    }
}

#[cfg(target_os = "linux")]
impl Cores {
    /// The calling thread's core and the cores it may run on, if there is another.
    fn here() -> Option<Self> {
        use std::mem::size_of;
        // SAFETY: the sets are plain bit masks, which zeroed memory makes empty;
        // the calls read and write them within their size.
        unsafe {
            let spawner = usize::try_from(libc::sched_getcpu())
                .ok()
                .filter(|&cpu| cpu < libc::CPU_SETSIZE as usize)?;
            let mut all: libc::cpu_set_t = std::mem::zeroed();
            if libc::sched_getaffinity(0, size_of::<libc::cpu_set_t>(), &mut all) != 0 {
                return None;
            }
            let mut elsewhere = all;
            libc::CPU_CLR(spawner, &mut elsewhere);
            (libc::CPU_COUNT(&elsewhere) > 0).then_some(Cores {
                spawner,
                all,
                elsewhere,
            })
        }
    }
}

/// Lets the calling thread run only on `cores` (moving it now if it is on another).
#[cfg(target_os = "linux")]
fn set_own_cores(cores: &libc::cpu_set_t) {
    // SAFETY: the set is read within its size; 0 names the calling thread.
    unsafe {
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), cores);
    }
}

#[cfg(not(target_os = "linux"))]
impl Placement {
    fn away_from_here() -> Self {
        Placement {}
    }

    fn pin_away<T>(&self, _thread: &JoinHandle<T>) {}

    fn started(&self) {}
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
    fn a_claimed_second_piece_runs_here_once_and_its_result_comes_back() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let runs = AtomicUsize::new(0);
        for n in 0..50 {
            let (ran_here, b) = join_claimable(
                |claim| {
                    let first_claim = claim();
                    // A second claim changes nothing: the piece ran once, somewhere.
                    assert_eq!(claim(), first_claim);
                    first_claim
                },
                || {
                    runs.fetch_add(1, Ordering::SeqCst);
                    n * 3
                },
            );
            assert_eq!(b, n * 3, "claimed here: {ran_here}");
        }
        assert_eq!(runs.load(Ordering::SeqCst), 50);
    }

    /// As `version_contents` does: claim the other piece, or, if the helper has
    /// it, wait for what it makes. However late the claim, the wait ends.
    #[test]
    fn a_caller_waiting_for_the_helpers_piece_gets_it() {
        use std::sync::OnceLock;
        for micros in [0, 0, 50, 1000, 20_000] {
            let made = OnceLock::new();
            let (seen, ()) = join_claimable(
                |claim| {
                    std::thread::sleep(std::time::Duration::from_micros(micros));
                    claim();
                    *made.wait()
                },
                || {
                    made.set(micros * 2).expect("made once");
                },
            );
            assert_eq!(seen, micros * 2);
        }
    }

    #[test]
    fn a_panic_in_either_piece_reaches_the_caller() {
        assert!(std::panic::catch_unwind(|| join(|| 1, || -> i32 { panic!("second") })).is_err());
        assert!(std::panic::catch_unwind(|| join(|| -> i32 { panic!("first") }, || 1)).is_err());
    }
}
