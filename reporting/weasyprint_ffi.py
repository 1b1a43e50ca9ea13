"""WeasyPrint's C declarations, parsed once per installation instead of in every process.

WeasyPrint (``weasyprint/text/ffi.py``) declares Pango, HarfBuzz and fontconfig to cffi as
C source, and cffi parses that source with pycparser each time the module is imported:
≈0.17 s of every cold ``compile_report``, more than the report's own Django set-up. cffi's
"out-of-line ABI mode" writes the parsed declarations into a small Python module once;
loading it takes milliseconds. No C compiler is involved and nothing of WeasyPrint is
changed: its ``ffi.py`` runs as shipped, with the prepared ``ffi`` object in place of the
parse.

The prepared module is named after a digest of the declarations and of cffi's version, so
an upgraded WeasyPrint or cffi writes a new one. If anything is unexpected (a WeasyPrint
whose module looks different, a folder that cannot be written), WeasyPrint is imported as
usual: slower, never different.
"""

import ast
import hashlib
import importlib.util
import logging
import os
import sys
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

MODULE = "weasyprint.text.ffi"


def _declarations(tree: ast.Module) -> tuple[int, int, str] | None:
    """The statements ``ffi = cffi.FFI()`` and ``ffi.cdef('''...''')``: their indexes in
    the module and the declared source, or None if the module is not shaped so."""
    create = None
    for index, node in enumerate(tree.body):
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["ffi"]
            and ast.unparse(node.value) == "cffi.FFI()"
        ):
            create = index
        elif (
            create is not None
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and ast.unparse(node.value.func) == "ffi.cdef"
            and len(node.value.args) == 1
            and not node.value.keywords
            and isinstance(node.value.args[0], ast.Constant)
            and isinstance(node.value.args[0].value, str)
        ):
            return create, index, node.value.args[0].value
    return None


def _prepared_ffi(source: str, folder: Path):
    """The out-of-line FFI for these declarations, written to ``folder`` the first time."""
    import cffi

    digest = hashlib.sha256(f"{cffi.__version__}\0{source}".encode()).hexdigest()[:16]
    name = f"_weasyprint_ffi_{digest}"
    path = folder / f"{name}.py"
    if not path.exists():
        # Readable by the app's other processes (a container prepares it at build time, as
        # root, for the app's own user), writable only by whoever prepared it.
        folder.mkdir(mode=0o755, parents=True, exist_ok=True)
        builder = cffi.FFI()
        builder.cdef(source)
        builder.set_source(name, None)
        with tempfile.TemporaryDirectory(dir=folder) as scratch:
            written = Path(builder.compile(tmpdir=scratch, verbose=False))
            written.chmod(0o644)
            os.replace(written, path)  # whole or not at all, if two processes race
    if not _only_owner_can_change(path):
        raise PermissionError(f"{path} or its folder can be changed by others")
    # Run from its source, never from a cached bytecode file beside it.
    namespace = {"__name__": name}
    exec(compile(path.read_bytes(), str(path), "exec"), namespace)  # noqa: S102
    return namespace["ffi"]


def _only_owner_can_change(path: Path) -> bool:
    """Python code is run from here only if the file and its folder belong to this user or
    to root and nobody else may write to them."""
    for item in (path.parent, path):
        status = item.stat()
        if status.st_uid not in (os.getuid(), 0) or status.st_mode & 0o022:
            return False
    return True


def install(folder: Path) -> bool:
    """Put WeasyPrint's FFI module in place with the prepared declarations, before
    WeasyPrint is imported. True if it was; False leaves WeasyPrint to import as usual."""
    if MODULE in sys.modules:
        return False
    try:
        # Found without importing WeasyPrint (find_spec of a submodule imports its parents).
        package = importlib.util.find_spec("weasyprint")
        path = Path(package.submodule_search_locations[0]) / "text" / "ffi.py"
        spec = importlib.util.spec_from_file_location(MODULE, path)
        source = Path(spec.origin).read_text("utf-8")
        tree = ast.parse(source, spec.origin)
        found = _declarations(tree)
        if found is None:
            logger.warning("WeasyPrint's FFI module has an unexpected shape; parsing it as usual")
            return False
        create, declare, declarations = found
        ffi = _prepared_ffi(declarations, folder)
        # ffi.py as shipped, with the prepared object instead of creating and parsing one.
        tree.body[create] = ast.parse("ffi = _prepared_ffi").body[0]
        del tree.body[declare]
        ast.fix_missing_locations(tree)
        code = compile(tree, spec.origin, "exec")
        module = importlib.util.module_from_spec(spec)
        module._prepared_ffi = ffi
        sys.modules[MODULE] = module
        try:
            exec(code, module.__dict__)  # noqa: S102 (WeasyPrint's own module, as shipped)
        except BaseException:
            del sys.modules[MODULE]
            raise
        return True
    except Exception:
        logger.warning("Could not prepare WeasyPrint's declarations; parsing them as usual")
        return False
