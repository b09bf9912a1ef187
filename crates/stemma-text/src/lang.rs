//! Function words of a few languages besides English, and which of them a
//! text is written in.
//!
//! The aligner counts a word as content unless it is a function word. With
//! English function words alone, two unrelated German or Spanish pages share
//! "der", "und", "ist" or "que", "los", "por" in every sentence, and their
//! sentences read as loosely similar. A text's language is read from its own
//! words ([`Lang::of`]), and only that language's list applies to it, so an
//! English text keeps "die", "war" or "hat" as content words, and a German
//! one does not.

use std::collections::HashMap;
use std::sync::LazyLock;

/// A language with its own function-word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// German.
    German,
    /// French.
    French,
    /// Spanish.
    Spanish,
    /// Italian.
    Italian,
    /// Portuguese.
    Portuguese,
    /// Dutch.
    Dutch,
}

/// Each language's function words: articles, pronouns, prepositions,
/// conjunctions, auxiliaries and the commonest adverbs, lower-cased; in
/// the order of [`Lang`], so that a language's bit in [`WORDS`] is its
/// discriminant.
const LISTS: [(Lang, &[&str]); 6] = [
    (
        Lang::German,
        &[
            "aber", "alle", "als", "am", "an", "auch", "auf", "aus", "bei", "beim", "bin", "bis",
            "da", "damit", "dann", "das", "dass", "daß", "dem", "den", "denn", "der", "des", "die",
            "dies", "diese", "diesem", "diesen", "dieser", "dieses", "doch", "du", "durch", "ein",
            "eine", "einem", "einen", "einer", "eines", "er", "es", "etwa", "für", "gegen", "gibt",
            "hat", "hatte", "haben", "hier", "ich", "ihr", "ihre", "ihrem", "ihren", "ihrer", "im",
            "immer", "in", "ins", "ist", "jetzt", "kann", "kein", "keine", "können", "man", "mehr",
            "mit", "muss", "nach", "nicht", "noch", "nun", "nur", "ob", "oder", "ohne", "schon",
            "sehr", "sei", "sein", "seine", "seinem", "seinen", "seiner", "seit", "sich", "sie",
            "sind", "so", "soll", "über", "um", "und", "uns", "unter", "vom", "von", "vor", "war",
            "waren", "was", "weil", "wenn", "wer", "werden", "wie", "wieder", "wir", "wird", "wo",
            "wurde", "wurden", "zu", "zum", "zur", "zwischen",
        ],
    ),
    (
        Lang::French,
        &[
            "à", "ai", "au", "aussi", "aux", "avait", "avec", "avoir", "ce", "ces", "cet", "cette",
            "chez", "comme", "dans", "de", "des", "donc", "dont", "du", "elle", "elles", "en",
            "entre", "est", "et", "été", "était", "être", "eux", "fait", "il", "ils", "je", "la",
            "le", "les", "leur", "leurs", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon",
            "ne", "nous", "on", "ont", "ou", "où", "par", "pas", "peut", "plus", "pour", "qu",
            "que", "quel", "quelle", "qui", "sa", "sans", "se", "selon", "ses", "si", "son",
            "sont", "sous", "sur", "ta", "te", "tes", "toi", "ton", "tous", "tout", "toute",
            "toutes", "très", "tu", "un", "une", "vers", "vos", "votre", "vous", "y",
        ],
    ),
    (
        Lang::Spanish,
        &[
            "al", "algo", "como", "con", "cuando", "de", "del", "desde", "donde", "dos", "el",
            "él", "ella", "ellos", "en", "entre", "era", "es", "esa", "ese", "eso", "esta", "está",
            "están", "este", "esto", "estos", "estas", "fue", "ha", "han", "hasta", "hay", "la",
            "las", "le", "les", "lo", "los", "más", "me", "mi", "muy", "ni", "no", "nos", "o",
            "para", "pero", "por", "porque", "que", "qué", "se", "ser", "si", "sí", "sin", "sobre",
            "son", "su", "sus", "también", "te", "todo", "todos", "tu", "un", "una", "unas", "uno",
            "unos", "y", "ya",
        ],
    ),
    (
        Lang::Italian,
        &[
            "a", "agli", "ai", "al", "alla", "alle", "allo", "anche", "che", "chi", "ci", "come",
            "con", "così", "da", "dal", "dalla", "dei", "del", "della", "delle", "dello", "di",
            "dove", "e", "è", "ed", "era", "essere", "gli", "ha", "hanno", "i", "il", "in", "io",
            "la", "le", "lei", "lo", "loro", "lui", "ma", "mi", "molto", "negli", "nei", "nel",
            "nella", "nelle", "non", "o", "per", "più", "quella", "quelle", "quello", "questa",
            "queste", "questi", "questo", "se", "si", "sono", "su", "sua", "sue", "sul", "sulla",
            "suo", "suoi", "tra", "tutti", "tutto", "un", "una", "uno",
        ],
    ),
    (
        Lang::Portuguese,
        &[
            "a", "ao", "aos", "as", "à", "às", "com", "como", "da", "das", "de", "do", "dos", "e",
            "é", "ela", "ele", "eles", "em", "entre", "era", "essa", "esse", "esta", "está",
            "este", "eu", "foi", "isso", "isto", "já", "mais", "mas", "muito", "na", "nas", "não",
            "no", "nos", "num", "numa", "o", "os", "ou", "para", "pela", "pelo", "por", "quando",
            "que", "se", "sem", "ser", "seu", "seus", "sua", "suas", "são", "também", "um", "uma",
            "umas", "uns",
        ],
    ),
    (
        Lang::Dutch,
        &[
            "aan", "al", "als", "bij", "dan", "dat", "de", "deze", "die", "dit", "door", "en",
            "er", "het", "hij", "hun", "ik", "in", "is", "je", "maar", "met", "naar", "niet",
            "nog", "of", "om", "ook", "op", "over", "te", "tot", "uit", "van", "voor", "was",
            "wat", "we", "wel", "werd", "wij", "worden", "wordt", "zal", "ze", "zich", "zij",
            "zijn", "zo", "zou",
        ],
    ),
];

/// Share of a text's words that must be one language's function words,
/// and more of them than English ones, for the text to read as written in
/// it: running text in any of these languages is a third or more function
/// words; an English text quoting a foreign phrase or name ("Van der Sar",
/// "La Liga") stays far below.
const MIN_SHARE: f32 = 0.15;

/// Words a text's language is read from: its first ones are enough.
const SAMPLE: usize = 400;

/// Words after which a text whose English function words are a quarter of
/// them reads as English without further counting.
const ENGLISH_AFTER: usize = 50;

/// Each function word with the languages it belongs to, one bit each (in
/// the order of [`LISTS`]).
static WORDS: LazyLock<HashMap<&'static str, u8>> = LazyLock::new(|| {
    let mut m: HashMap<&'static str, u8> = HashMap::new();
    for (bit, (_, list)) in LISTS.iter().enumerate() {
        for w in *list {
            *m.entry(w).or_default() |= 1 << bit;
        }
    }
    m
});

impl Lang {
    /// The language whose function words the first words of `words`
    /// (lower-cased) hold most, when they hold [`MIN_SHARE`] of them and
    /// more than English function words; `None` for English text, or text
    /// too short to tell (under 20 words).
    pub fn of<'a>(words: impl IntoIterator<Item = &'a str>) -> Option<Lang> {
        let mut counts = [0usize; LISTS.len()];
        let (mut english, mut total) = (0usize, 0usize);
        for w in words.into_iter().take(SAMPLE) {
            total += 1;
            english += usize::from(crate::is_stopword(w));
            // English, plainly: a quarter or more of the first words are
            // English function words (trafilatura-eval's pages, in German,
            // French, Spanish and more, give the same relations with this
            // shortcut as without), so the other lists need not be read.
            if total == ENGLISH_AFTER && english * 4 >= total {
                return None;
            }
            let mask = WORDS.get(w).copied().unwrap_or(0);
            for (bit, c) in counts.iter_mut().enumerate() {
                *c += usize::from(mask >> bit & 1);
            }
        }
        if total < 20 {
            return None;
        }
        let (best, &n) = counts
            .iter()
            .enumerate()
            .max_by_key(|&(i, n)| (*n, usize::MAX - i))?;
        (n > english && n as f32 >= MIN_SHARE * total as f32).then_some(LISTS[best].0)
    }

    /// True for one of this language's function words (lower-cased).
    pub fn is_function_word(self, word: &str) -> bool {
        WORDS.get(word).is_some_and(|m| m >> self as u8 & 1 == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        crate::tokenize(text)
            .into_iter()
            .filter(|t| t.kind == crate::TokenKind::Word)
            .map(|t| t.norm.to_string())
            .collect()
    }

    #[test]
    fn a_text_reads_as_the_language_of_its_function_words() {
        // (text, language): sentences written here for the test.
        let cases: [(&str, Option<Lang>); 8] = [
            (
                "Die Stadt hat am Montag beschlossen, dass die neue Brücke über den Fluss \
                 erst im nächsten Jahr gebaut wird, weil die Kosten viel höher sind als geplant \
                 und der Rat noch auf die Gutachten wartet.",
                Some(Lang::German),
            ),
            (
                "La mairie a décidé lundi que le nouveau pont sur la rivière ne sera construit \
                 que l'année prochaine, car les coûts sont plus élevés que prévu et le conseil \
                 attend encore les expertises.",
                Some(Lang::French),
            ),
            (
                "El ayuntamiento decidió el lunes que el nuevo puente sobre el río no se \
                 construirá hasta el próximo año, porque los costes son más altos de lo previsto \
                 y el consejo todavía espera los informes.",
                Some(Lang::Spanish),
            ),
            (
                "Il comune ha deciso lunedì che il nuovo ponte sul fiume non sarà costruito \
                 prima del prossimo anno, perché i costi sono più alti del previsto e il \
                 consiglio aspetta ancora le perizie.",
                Some(Lang::Italian),
            ),
            (
                "A prefeitura decidiu na segunda-feira que a nova ponte sobre o rio só será \
                 construída no próximo ano, porque os custos são mais altos do que o previsto e \
                 o conselho ainda espera os pareceres.",
                Some(Lang::Portuguese),
            ),
            (
                "De gemeente heeft maandag besloten dat de nieuwe brug over de rivier pas \
                 volgend jaar wordt gebouwd, omdat de kosten hoger zijn dan gepland en de raad \
                 nog op de rapporten wacht.",
                Some(Lang::Dutch),
            ),
            (
                "The council decided on Monday that the new bridge over the river will not be \
                 built until next year, because the costs are higher than planned and the \
                 council is still waiting for the reports of Van der Sar and La Vista.",
                None,
            ),
            ("Die Stadt hat beschlossen.", None),
        ];
        for (text, want) in cases {
            let w = words(text);
            assert_eq!(Lang::of(w.iter().map(String::as_str)), want, "{text}");
        }
    }

    #[test]
    fn function_words_are_those_of_the_language() {
        assert!(Lang::German.is_function_word("die"));
        assert!(!Lang::German.is_function_word("brücke"));
        assert!(Lang::Spanish.is_function_word("que"));
        assert!(!Lang::Spanish.is_function_word("die"));
    }

    #[test]
    fn lists_are_lower_case_and_in_the_order_of_the_languages() {
        for (i, (lang, _)) in LISTS.iter().enumerate() {
            assert_eq!(*lang as usize, i);
        }
        for (_, list) in LISTS {
            for w in list {
                assert_eq!(w.to_lowercase(), *w);
            }
        }
    }
}
