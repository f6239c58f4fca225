//! The longest common subsequence of two short lists, for comparing a page's blocks and a
//! block's words (pages hold tens of blocks and blocks tens of words, so O(n·m) is plenty).

/// Index pairs `(i, j)` with `old[i] == new[j]`, increasing in both, as many as possible.
pub fn common_pairs<T: PartialEq>(old: &[T], new: &[T]) -> Vec<(usize, usize)> {
    let width = new.len() + 1;
    let mut lengths = vec![0usize; (old.len() + 1) * width];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lengths[i * width + j] = if old[i] == new[j] {
                lengths[(i + 1) * width + j + 1] + 1
            } else {
                lengths[(i + 1) * width + j].max(lengths[i * width + j + 1])
            };
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() && j < new.len() {
        if old[i] == new[j] {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// One piece of a word-by-word comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Words in both.
    Same(String),
    /// Words only in the old text.
    Removed(String),
    /// Words only in the new text.
    Added(String),
}

/// `old` and `new` compared word by word, neighbouring words of one kind joined by spaces.
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    let mut pairs = common_pairs(&a, &b);
    pairs.push((a.len(), b.len()));
    let mut tagged: Vec<(Side, String)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (next_i, next_j) in pairs {
        a[i..next_i].iter().for_each(|w| push_word(&mut tagged, Side::Removed, w));
        b[j..next_j].iter().for_each(|w| push_word(&mut tagged, Side::Added, w));
        if next_i < a.len() {
            push_word(&mut tagged, Side::Same, a[next_i]);
        }
        (i, j) = (next_i + 1, next_j + 1);
    }
    tagged
        .into_iter()
        .map(|(side, text)| match side {
            Side::Same => Piece::Same(text),
            Side::Removed => Piece::Removed(text),
            Side::Added => Piece::Added(text),
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Same,
    Removed,
    Added,
}

fn push_word(tagged: &mut Vec<(Side, String)>, side: Side, word: &str) {
    match tagged.last_mut() {
        Some((last, text)) if *last == side => {
            text.push(' ');
            text.push_str(word);
        }
        _ => tagged.push((side, word.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_words_that_changed() {
        assert_eq!(
            words("Việc nhẹ lương cao.", "Việc nhẹ lương rất cao."),
            vec![
                Piece::Same("Việc nhẹ lương".into()),
                Piece::Added("rất".into()),
                Piece::Same("cao.".into())
            ]
        );
        assert_eq!(
            words("a b", "a c"),
            vec![Piece::Same("a".into()), Piece::Removed("b".into()), Piece::Added("c".into())]
        );
    }

    #[test]
    fn pairs_are_common_and_in_order() {
        assert_eq!(common_pairs(&[1, 2, 3, 4], &[2, 4, 5]), vec![(1, 0), (3, 1)]);
        assert!(common_pairs::<u8>(&[], &[1]).is_empty());
    }
}
