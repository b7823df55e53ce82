"""`make package`: the extension as the stores take it, from the one extension/ folder.

    dist/corroborate-<version>-chrome.zip     for the Chrome Web Store (and any Chromium: unzip, Load unpacked)
    dist/corroborate-<version>-firefox.zip    `web-ext build` of the same files, for addons.mozilla.org

The version has one home: pyproject.toml's ``[project] version``. It is stamped into both
packages, and into extension/manifest.json when that says otherwise (so Load unpacked
shows the same number). Each package gets the manifest its browser reads without
warnings: Chromium's without ``background.scripts`` and ``browser_specific_settings``,
Firefox's without ``background.service_worker``. Both are built from a staged copy, so
extension/ itself is never changed except for its version.

    python -m workers.devtools.package_extension [--out dist] [--no-firefox]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
# A fixed time for every zip entry: the same sources give the same bytes.
ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def extension_files(source: Path = EXTENSION) -> list[Path]:
    """Every file the extension ships, in a stable order (no dotfiles, no editor leftovers)."""
    return sorted(
        p
        for p in source.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(source).parts)
        if not p.name.endswith(("~", ".swp", ".orig"))
    )


def sync_source_version(version: str) -> bool:
    """Write ``version`` into extension/manifest.json when it says otherwise; True when it changed."""
    path = EXTENSION / "manifest.json"
    text = path.read_text(encoding="utf-8")
    manifest = json.loads(text)
    if manifest["version"] == version:
        return False
    old = f'"version": "{manifest["version"]}"'
    assert text.count(old) == 1, "manifest.json: expected one version line"
    path.write_text(text.replace(old, f'"version": "{version}"'), encoding="utf-8")
    return True


def browser_manifest(browser: str, version: str) -> dict:
    manifest = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = version
    background = dict(manifest["background"])
    if browser == "chrome":
        background.pop("scripts", None)
        manifest.pop("browser_specific_settings", None)
    else:
        background.pop("service_worker", None)
    manifest["background"] = background
    return manifest


def stage(browser: str, version: str, into: Path) -> Path:
    """A copy of extension/ with ``browser``'s manifest."""
    into.mkdir(parents=True)
    for path in extension_files():
        target = into / path.relative_to(EXTENSION)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (into / "manifest.json").write_text(json.dumps(browser_manifest(browser, version), indent=2) + "\n")
    return into


def write_zip(folder: Path, target: Path) -> Path:
    target.unlink(missing_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in extension_files(folder):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return target


def web_ext(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    npx = shutil.which("npx")
    if npx is None:
        raise SystemExit("npx (Node.js) is needed for web-ext: apt-get install -y nodejs npm")
    return subprocess.run([npx, "--yes", "web-ext", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def build(out: Path, firefox: bool = True) -> dict[str, Path]:
    """Build the packages into ``out``; returns {"chrome": path, "firefox": path}."""
    version = project_version()
    out.mkdir(parents=True, exist_ok=True)
    built: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="corroborate-package-") as tmp:
        chrome = stage("chrome", version, Path(tmp) / "chrome")
        built["chrome"] = write_zip(chrome, out / f"corroborate-{version}-chrome.zip")
        if firefox:
            source = stage("firefox", version, Path(tmp) / "firefox")
            lint = web_ext("lint", "--source-dir", str(source), "--output", "json")
            report = json.loads(lint.stdout[lint.stdout.find("{") :] or "{}")
            problems = report.get("errors", []) + report.get("warnings", [])
            if lint.returncode != 0 or problems:
                raise SystemExit(f"web-ext lint is not clean on the Firefox package:\n{json.dumps(problems, indent=2)}")
            name = f"corroborate-{version}-firefox.zip"
            proc = web_ext(
                "build",
                "--source-dir",
                str(source),
                "--artifacts-dir",
                str(out),
                "--filename",
                name,
                "--overwrite-dest",
            )
            if proc.returncode != 0:
                raise SystemExit(f"web-ext build failed:\n{proc.stdout}\n{proc.stderr}")
            built["firefox"] = out / name
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the packages go (default: dist/)")
    parser.add_argument("--no-firefox", action="store_true", help="only the Chrome Web Store zip (no web-ext)")
    args = parser.parse_args(argv)
    version = project_version()
    if sync_source_version(version):
        print(f"extension/manifest.json: version set to {version} (from pyproject.toml)")
    for browser, path in build(args.out, firefox=not args.no_firefox).items():
        print(
            f"{browser:8} {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  ({path.stat().st_size:,} bytes)"
        )
    print(
        f"version {version}"
        + ("" if args.no_firefox else "; web-ext lint of the Firefox package: no errors, no warnings")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
