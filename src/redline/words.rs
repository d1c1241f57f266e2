//! Splitting text into the tokens a word-level redline compares: runs of letters
//! and digits, runs of whitespace, and single other characters. Joining the tokens
//! gives back the text exactly.

/// The tokens of `text`, as slices of it.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut current: Option<Class> = None;
    for (at, c) in text.char_indices() {
        let class = Class::of(c);
        match current {
            Some(previous) if previous == class && class != Class::Other => {}
            Some(_) => {
                tokens.push(&text[start..at]);
                start = at;
            }
            None => {}
        }
        current = Some(class);
    }
    if start < text.len() {
        tokens.push(&text[start..]);
    }
    tokens
}

/// The number of words in `text`: the word tokens, counted where each begins.
pub fn count(text: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for c in text.chars() {
        let word = Class::of(c) == Class::Word;
        if word && !in_word {
            words += 1;
        }
        in_word = word;
    }
    words
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Space,
    Other,
}

impl Class {
    fn of(c: char) -> Class {
        if c.is_alphanumeric() || c == '_' {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_words_spaces_and_punctuation() {
        assert_eq!(
            tokens("D0379 retained, (TOM)\n"),
            ["D0379", " ", "retained", ",", " ", "(", "TOM", ")", "\n"]
        );
        assert_eq!(count("Commentary on D0379: retained."), 4);
    }

    proptest! {
        #[test]
        fn tokens_join_back_to_the_text(text in "\\PC*") {
            prop_assert_eq!(tokens(&text).concat(), text);
        }

        #[test]
        fn count_is_the_number_of_word_tokens(text in "[a-zé0-9_ ,.\n-]{0,60}") {
            prop_assert_eq!(count(&text), tokens(&text).iter().filter(|t| t.chars().next().is_some_and(|c| Class::of(c) == Class::Word)).count());
        }
    }
}
