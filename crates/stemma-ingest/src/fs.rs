//! Files and folders: walking, dispatch by extension, duplicate ids.
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use stemma_core::RawDoc;

use crate::MAX_DOC_BYTES;
use crate::charset::Hints;
use crate::doc::{content_hash, parse_html, parse_text};
use crate::error::{IngestError, Position, Reason};
use crate::jsonl::{JsonlReader, parse_jsonl};
use crate::read::{io_reason, maybe_gunzip};
use crate::warc::{WarcReader, parse_warc};

/// Input types, by file extension (case-insensitive, an optional `.gz` after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileKind {
    /// `.txt`
    Text,
    /// `.html`, `.htm`
    Html,
    /// `.jsonl`, `.jsonl.gz`
    Jsonl,
    /// `.warc`, `.warc.gz`, and WET files `.warc.wet`, `.warc.wet.gz`
    Warc,
}

impl FileKind {
    /// The kind of a file from its name; `None` for unsupported types.
    pub fn of(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let (stem, ext) = name.rsplit_once('.')?;
        Some(match ext {
            "txt" => FileKind::Text,
            "html" | "htm" => FileKind::Html,
            "jsonl" => FileKind::Jsonl,
            "warc" => FileKind::Warc,
            "wet" if stem.ends_with(".warc") => FileKind::Warc,
            _ => return None,
        })
    }
}

/// The id of a single-document file: its name without the type extension(s).
pub fn file_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    strip_type_ext(&name).to_string()
}

fn strip_type_ext(name: &str) -> &str {
    let lower = name.to_ascii_lowercase();
    let mut cut = name.len();
    if lower.ends_with(".gz") {
        cut -= 3;
    }
    match lower[..cut].rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => &name[..cut],
    }
}

enum Work {
    /// A path named by the caller.
    Named(PathBuf),
    /// A path found by walking the folder `root`.
    Walked { path: PathBuf, root: Arc<Path> },
}

enum Records {
    Jsonl(JsonlReader<Box<dyn std::io::BufRead + Send>>),
    Warc(WarcReader<Box<dyn std::io::BufRead + Send>>),
}

impl Records {
    fn next_item(&mut self) -> Option<(Result<RawDoc, IngestError>, Position)> {
        match self {
            Records::Jsonl(r) => r.next().map(|x| (x, r.last_position())),
            Records::Warc(r) => r.next().map(|x| (x, r.last_position())),
        }
    }
}

struct Seen {
    hash: u64,
    file: Arc<str>,
    at: Option<Position>,
}

/// Streaming iterator over the documents of files and folders; see [`crate::read_paths`].
pub struct ReadPaths {
    stack: Vec<Work>,
    current: Option<(Records, Arc<str>)>,
    ids: HashMap<String, Seen>,
    files: HashSet<PathBuf>,
    dirs: HashSet<PathBuf>,
}

impl ReadPaths {
    /// Starts reading `paths` in order.
    pub fn new(paths: &[PathBuf]) -> Self {
        ReadPaths {
            stack: paths.iter().rev().cloned().map(Work::Named).collect(),
            current: None,
            ids: HashMap::new(),
            files: HashSet::new(),
            dirs: HashSet::new(),
        }
    }

    /// Records the id of a document or reports it as a duplicate.
    fn admit(
        &mut self,
        doc: RawDoc,
        file: &Arc<str>,
        at: Option<Position>,
    ) -> Result<RawDoc, IngestError> {
        let hash = content_hash(&doc.body);
        if let Some(seen) = self.ids.get(&doc.id) {
            let first = match &seen.at {
                Some(p) => format!("{}: {p}", seen.file),
                None => seen.file.to_string(),
            };
            return Err(IngestError::DuplicateId {
                file: file.to_string(),
                at,
                id: doc.id,
                first,
                same_content: seen.hash == hash,
            });
        }
        self.ids.insert(
            doc.id.clone(),
            Seen {
                hash,
                file: Arc::clone(file),
                at,
            },
        );
        Ok(doc)
    }

    /// Expands one work item; returns at most one item to yield.
    fn open(&mut self, work: Work) -> Option<Result<RawDoc, IngestError>> {
        let (path, root) = match work {
            Work::Named(p) => (p, None),
            Work::Walked { path, root } => (path, Some(root)),
        };
        let file: Arc<str> = Arc::from(path.display().to_string());
        let unreadable = |source| {
            Some(Err(IngestError::Unreadable {
                file: file.to_string(),
                source,
            }))
        };
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => return unreadable(e),
        };
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if meta.is_dir() {
            if !self.dirs.insert(canonical) {
                return None; // already walked (named twice, or a symlink loop)
            }
            let entries = match std::fs::read_dir(&path) {
                Ok(rd) => rd
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .collect::<Vec<_>>(),
                Err(e) => return unreadable(e),
            };
            let mut entries: Vec<PathBuf> = entries
                .into_iter()
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            entries.sort();
            let root: Arc<Path> = root.unwrap_or_else(|| Arc::from(path.as_path()));
            self.stack
                .extend(entries.into_iter().rev().map(|path| Work::Walked {
                    path,
                    root: Arc::clone(&root),
                }));
            return None;
        }
        let Some(kind) = FileKind::of(&path) else {
            return match root {
                Some(_) => None,
                None => Some(Err(IngestError::Unsupported {
                    file: file.to_string(),
                })),
            };
        };
        if !self.files.insert(canonical) {
            return None; // the same file reached twice
        }
        let f = match File::open(&path) {
            Ok(f) => f,
            Err(e) => return unreadable(e),
        };
        let reader = match maybe_gunzip(BufReader::with_capacity(64 << 10, f)) {
            Ok(r) => r,
            Err(e) => return unreadable(e),
        };
        match kind {
            FileKind::Jsonl => {
                self.current = Some((Records::Jsonl(parse_jsonl(reader, &file)), file));
                None
            }
            FileKind::Warc => {
                self.current = Some((Records::Warc(parse_warc(reader, &file)), file));
                None
            }
            FileKind::Text | FileKind::Html => {
                let fail = |reason| {
                    Some(Err(IngestError::Document {
                        file: file.to_string(),
                        reason,
                    }))
                };
                let mut bytes = Vec::new();
                if let Err(e) = reader.take(MAX_DOC_BYTES + 1).read_to_end(&mut bytes) {
                    return fail(io_reason(&e));
                }
                if bytes.len() as u64 > MAX_DOC_BYTES {
                    return fail(Reason::TooLarge {
                        size: meta.len().max(bytes.len() as u64),
                        limit: MAX_DOC_BYTES,
                    });
                }
                let mut id = file_id(&path);
                if let Some(root) = &root {
                    if self.ids.contains_key(&id) {
                        id = relative_id(&path, root, false).unwrap_or(id);
                    }
                    if self.ids.contains_key(&id) {
                        id = relative_id(&path, root, true).unwrap_or(id);
                    }
                }
                let parsed = match kind {
                    FileKind::Text => parse_text(&bytes, &id, &file),
                    _ => parse_html(&bytes, &id, &file, Hints::default()),
                };
                match parsed {
                    Ok(doc) => Some(self.admit(doc, &file, None)),
                    Err(reason) => fail(reason),
                }
            }
        }
    }
}

/// `sub/dir/name` for a file under `root`, `/`-separated, with the type extension removed
/// unless `keep_ext`.
fn relative_id(path: &Path, root: &Path, keep_ext: bool) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts: Vec<String> = rel
        .parent()?
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.push(match keep_ext {
        true => path.file_name()?.to_string_lossy().into_owned(),
        false => file_id(path),
    });
    Some(parts.join("/"))
}

impl Iterator for ReadPaths {
    type Item = Result<RawDoc, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((records, file)) = &mut self.current {
                let file = Arc::clone(file);
                match records.next_item() {
                    Some((Ok(doc), at)) => return Some(self.admit(doc, &file, Some(at))),
                    Some((Err(e), _)) => return Some(Err(e)),
                    None => self.current = None,
                }
                continue;
            }
            let work = self.stack.pop()?;
            if let Some(item) = self.open(work) {
                return Some(item);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_ids_table() {
        let cases = [
            ("a/b/story-1.txt", Some(FileKind::Text), "story-1"),
            ("page.HTML", Some(FileKind::Html), "page"),
            ("x.htm", Some(FileKind::Html), "x"),
            ("dump.jsonl.gz", Some(FileKind::Jsonl), "dump"),
            ("crawl.WARC.GZ", Some(FileKind::Warc), "crawl"),
            ("crawl.warc", Some(FileKind::Warc), "crawl"),
            ("cc.warc.wet.gz", Some(FileKind::Warc), "cc.warc"),
            ("x.wet", None, "x"),
            ("notes.md", None, "notes"),
            ("archive.tar.gz", None, "archive"),
            ("noext", None, "noext"),
            (".txt", Some(FileKind::Text), ".txt"),
        ];
        for (name, kind, id) in cases {
            let p = Path::new(name);
            assert_eq!(FileKind::of(p), kind, "{name}");
            assert_eq!(file_id(p), id, "{name}");
        }
        assert_eq!(
            relative_id(Path::new("r/sport/001.txt"), Path::new("r"), false).as_deref(),
            Some("sport/001")
        );
        assert_eq!(
            relative_id(Path::new("r/001.txt"), Path::new("r"), true).as_deref(),
            Some("001.txt")
        );
    }
}
