//! A table's keys, row by row, and finding a row by its key.

use std::cmp::Ordering;
use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

/// Every row's key, one after another, and a way to find a row by its key: a
/// binary search while each key sorts after the one before (most registers are
/// kept in key order), and a hash index from the first key out of order.
pub(super) struct Keys {
    text: String,
    /// Where each row's key ends in `text`.
    ends: Vec<u32>,
    /// Row numbers by key hash: none while the keys are in order.
    index: Option<HashTable<u32>>,
}

impl Keys {
    pub(super) fn with_capacity(rows: usize) -> Self {
        Keys {
            text: String::with_capacity(rows * 8),
            ends: Vec::with_capacity(rows),
            index: None,
        }
    }

    #[inline]
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    #[inline]
    pub(super) fn get(&self, row: usize) -> &str {
        key_at(&self.text, &self.ends, row)
    }

    /// Adds the next row's key, or refuses it with the row that has it already.
    pub(super) fn push(&mut self, key: &str) -> Result<(), usize> {
        let row = self.len();
        if self.index.is_none() {
            match row.checked_sub(1).map(|last| order(self.get(last), key)) {
                None | Some(Ordering::Less) => {}
                Some(Ordering::Equal) => return Err(row - 1),
                Some(Ordering::Greater) => self.index = Some(self.hash_all()),
            }
        }
        let (text, ends) = (&self.text, &self.ends);
        if let Some(index) = &mut self.index {
            match index.entry(
                key_hash(key),
                |&other| key_at(text, ends, other as usize) == key,
                |&other| key_hash(key_at(text, ends, other as usize)),
            ) {
                Entry::Occupied(first) => return Err(*first.get() as usize),
                Entry::Vacant(slot) => {
                    slot.insert(row as u32);
                }
            }
        }
        self.text.push_str(key);
        self.ends.push(self.text.len() as u32);
        Ok(())
    }

    /// The row with `key`.
    #[inline]
    pub(super) fn find(&self, key: &str) -> Option<usize> {
        if let Some(index) = &self.index {
            return index
                .find(key_hash(key), |&row| self.get(row as usize) == key)
                .map(|&row| row as usize);
        }
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match order(self.get(middle), key) {
                Ordering::Less => low = middle + 1,
                Ordering::Greater => high = middle,
                Ordering::Equal => return Some(middle),
            }
        }
        None
    }

    /// An index of the keys so far (which are in order, so each is there once),
    /// with room for the rows still to come.
    fn hash_all(&self) -> HashTable<u32> {
        let mut index = HashTable::with_capacity(self.ends.capacity());
        for row in 0..self.len() {
            index.insert_unique(key_hash(self.get(row)), row as u32, |&other| {
                key_hash(self.get(other as usize))
            });
        }
        index
    }
}

/// The order of two keys, as `str` orders them: most keys differ within their
/// first eight bytes, which compare as one number.
#[inline]
fn order(a: &str, b: &str) -> Ordering {
    match first_eight(a.as_bytes()).cmp(&first_eight(b.as_bytes())) {
        Ordering::Equal => a.cmp(b),
        unequal => unequal,
    }
}

/// A key's first eight bytes (zero after a shorter key's end) as a number that
/// orders as they do.
#[inline]
fn first_eight(key: &[u8]) -> u64 {
    let be32 = |four: &[u8]| u64::from(u32::from_be_bytes([four[0], four[1], four[2], four[3]]));
    match key.len() {
        8.. => u64::from_be_bytes([
            key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7],
        ]),
        // Two overlapping four-byte reads, each shifted to where its bytes belong.
        len @ 4..8 => (be32(&key[..4]) << 32) | (be32(&key[len - 4..]) << (8 * (8 - len))),
        _ => key
            .iter()
            .enumerate()
            .fold(0, |eight, (i, &b)| eight | (u64::from(b) << (56 - 8 * i))),
    }
}

/// Row `row`'s key, of keys written one after another and ending at `ends`.
#[inline]
fn key_at<'k>(keys: &'k str, ends: &[u32], row: usize) -> &'k str {
    let start = if row == 0 { 0 } else { ends[row - 1] };
    &keys[start as usize..ends[row] as usize]
}

/// The hash of the key index: fixed, so that a redline does not depend on the run.
fn key_hash(key: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(0x7ab1e).hash_one(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        #[test]
        fn keys_order_as_strings_do(a in "[a\\x00\\x01é]{0,10}", b in "[a\\x00\\x01é]{0,10}") {
            prop_assert_eq!(order(&a, &b), a.cmp(&b));
        }
    }

    fn keys_of(list: &[&str]) -> Result<Keys, (usize, usize)> {
        let mut keys = Keys::with_capacity(list.len());
        for (row, key) in list.iter().enumerate() {
            keys.push(key).map_err(|first| (first, row))?;
        }
        Ok(keys)
    }

    #[test]
    fn keys_in_order_are_found_without_an_index() {
        let keys = keys_of(&["D0001", "D0002", "D0010", "D0100"]).unwrap_or_else(|_| panic!());
        assert!(keys.index.is_none());
        assert_eq!(keys.find("D0010"), Some(2));
        assert_eq!(keys.find("D0001"), Some(0));
        assert_eq!(keys.find("D0100"), Some(3));
        assert_eq!(keys.find("D0003"), None);
        assert_eq!(keys.find(""), None);
    }

    #[test]
    fn a_key_out_of_order_starts_the_index() {
        let keys = keys_of(&["D2", "D3", "D1", "D0"]).unwrap_or_else(|_| panic!());
        assert!(keys.index.is_some());
        assert_eq!(
            (0..4)
                .map(|row| keys.find(keys.get(row)))
                .collect::<Vec<_>>(),
            [Some(0), Some(1), Some(2), Some(3)]
        );
        assert_eq!(keys.find("D4"), None);
    }

    #[test]
    fn a_key_seen_before_is_refused_with_the_row_that_has_it() {
        assert_eq!(keys_of(&["D1", "D2", "D2"]).err(), Some((1, 2)));
        assert_eq!(keys_of(&["D1", "D2", "D3", "D1"]).err(), Some((0, 3)));
        assert_eq!(keys_of(&["D3", "D1", "D2", "D1"]).err(), Some((1, 3)));
    }

    proptest! {
        #[test]
        fn keys_are_found_and_repeats_refused_as_a_map_would(
            list in proptest::collection::vec("[a-c]{0,3}", 0..40),
            sorted in any::<bool>(),
        ) {
            let mut list = list;
            if sorted {
                list.sort();
            }
            let mut keys = Keys::with_capacity(list.len());
            let mut seen = HashMap::new();
            for (row, key) in list.iter().enumerate() {
                match seen.get(key) {
                    Some(&first) => {
                        prop_assert_eq!(keys.push(key), Err(first));
                        break;
                    }
                    None => {
                        prop_assert_eq!(keys.push(key), Ok(()));
                        seen.insert(key.clone(), row);
                    }
                }
            }
            for probe in ["", "a", "b", "ab", "cc", "abc", "ccc", "ba"] {
                prop_assert_eq!(keys.find(probe), seen.get(probe).copied());
            }
        }
    }
}
