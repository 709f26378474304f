//! Loading the component, with its compiled form cached on disk.
//!
//! Compiling the emulator with Cranelift takes seconds; loading an already
//! compiled artifact takes about a millisecond. The first run compiles the
//! component and writes `Component::serialize()` to
//! `$XDG_CACHE_HOME/mvvm/` (or `~/.cache/mvvm/`); later runs map that file.
//! An artifact's name is the SHA-256 of the component's bytes plus a hash of
//! the engine's compilation settings (which include the Wasmtime version), so
//! a changed component or launcher simply misses the cache. The cache is
//! best effort: when it can't be read or written the component is compiled in
//! memory. Old artifacts are not removed; deleting the directory is safe.
//!
//! The modules the JIT generates are cached the same way, in the `jit/`
//! subdirectory ([`module`]): a program run twice finds its hot code compiled.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};
use wasmtime::component::Component;
use wasmtime::error::Context as _;
use wasmtime::{Engine, Module};

/// The Wasmtime release the launcher is pinned to, part of every cache key.
const WASMTIME_VERSION: &str = "48.0.8";

/// Returns the compiled component at `path`, from the cache when possible.
pub fn load(engine: &Engine, path: &Path) -> wasmtime::Result<Component> {
    let bytes =
        fs::read(path).with_context(|| format!("cannot read component {}", path.display()))?;
    let Some(dir) = cache_dir() else {
        return compile(engine, &bytes, path);
    };
    let artifact = dir.join(format!("{}.cwasm", key(engine, &bytes)));
    if artifact.is_file() {
        // SAFETY: `deserialize_file` is sound only for bytes that Wasmtime
        // itself produced with `serialize`. Files in this directory are only
        // ever written by `store` below, from `Component::serialize` of this
        // same Wasmtime version, and they appear under their final name only
        // by an atomic rename of a fully written and synced temporary file,
        // so a reader never sees a partial artifact. The directory is private
        // to the user (mode 0700 when we create it). Wasmtime additionally
        // checks that the artifact's version and engine settings match this
        // engine and rejects it otherwise; the file name is keyed by the
        // component's content hash and those settings, so an artifact is
        // only ever loaded for the component it was compiled from.
        if let Ok(component) = unsafe { Component::deserialize_file(engine, &artifact) } {
            return Ok(component);
        }
    }
    let component = compile(engine, &bytes, path)?;
    // Best effort: a read-only or full cache must not stop the emulator.
    if let Ok(data) = component.serialize() {
        let _ = store(&dir, &artifact, &data);
    }
    Ok(component)
}

/// Returns the compiled form of the core module `bytes`, from the cache's `jit/`
/// directory when possible.
pub fn module(engine: &Engine, bytes: &[u8]) -> wasmtime::Result<Module> {
    let Some(dir) = cache_dir().and_then(|d| {
        let jit = d.join("jit");
        fs::DirBuilder::new().mode(0o700).create(&jit).ok();
        jit.is_dir().then_some(jit)
    }) else {
        return Module::new(engine, bytes);
    };
    let artifact = dir.join(format!("{}.cwasm", key(engine, bytes)));
    if artifact.is_file() {
        // SAFETY: as for components in `load`: files here are only written by
        // `store`, atomically, from `Module::serialize` of this Wasmtime version,
        // under a name keyed by the module's content hash and the engine settings,
        // in a directory private to the user; Wasmtime checks version and settings.
        if let Ok(module) = unsafe { Module::deserialize_file(engine, &artifact) } {
            return Ok(module);
        }
    }
    let module = Module::new(engine, bytes)?;
    if let Ok(data) = module.serialize() {
        write_behind(dir, artifact, data);
    }
    Ok(module)
}

/// Stores an artifact from a background thread, so that the emulator does not wait
/// for the disk (each store syncs its file). Writes still pending when the process
/// exits are lost, which only costs a compilation next time.
fn write_behind(dir: PathBuf, artifact: PathBuf, data: Vec<u8>) {
    type Job = (PathBuf, PathBuf, Vec<u8>);
    static WRITER: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    let writer = WRITER.get_or_init(|| {
        let (tx, rx) = channel::<Job>();
        std::thread::spawn(move || {
            for (dir, artifact, data) in rx {
                let _ = store(&dir, &artifact, &data);
            }
        });
        Mutex::new(tx)
    });
    if let Ok(tx) = writer.lock() {
        let _ = tx.send((dir, artifact, data));
    }
}

fn compile(engine: &Engine, bytes: &[u8], path: &Path) -> wasmtime::Result<Component> {
    Component::from_binary(engine, bytes)
        .with_context(|| format!("cannot compile component {}", path.display()))
}

/// `$XDG_CACHE_HOME/mvvm`, else `$HOME/.cache/mvvm`, created if missing.
fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            let home = PathBuf::from(std::env::var_os("HOME")?);
            Some(home.join(".cache")).filter(|p| p.is_absolute())
        })?;
    let dir = base.join("mvvm");
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .ok()?;
    Some(dir)
}

/// Cache key: SHA-256 of the component, then a hash of the engine settings.
fn key(engine: &Engine, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(2 * digest.len() + 17);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    let mut hasher = DefaultHasher::new();
    WASMTIME_VERSION.hash(&mut hasher);
    engine.precompile_compatibility_hash().hash(&mut hasher);
    hex.push_str(&format!("-{:016x}", hasher.finish()));
    hex
}

/// Writes a serialized artifact to `artifact` atomically.
fn store(dir: &Path, artifact: &Path, data: &[u8]) -> wasmtime::Result<()> {
    let tmp = dir.join(format!(
        ".tmp-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(data)?;
        file.sync_all()?;
        fs::rename(&tmp, artifact)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    Ok(result?)
}
