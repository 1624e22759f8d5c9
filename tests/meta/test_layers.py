"""The package's layers (DESIGN.md §4), checked on every module's imports.

A module imports only from its own layer or below, function-level imports
included, and never a ``_private`` name from another skaug package. The check
reads the source (``ast``), so it sees imports that a run would not reach.
"""

import ast
import pathlib

import pytest

import skaug

ROOT = pathlib.Path(skaug.__file__).parent

#: Layer of each part of the package, lowest first (longest prefix wins).
LAYERS = {
    "skaug.utils": 0,
    "skaug.exceptions": 0,
    "skaug._version": 0,
    "skaug.encoding": 1,
    "skaug.drift": 1,
    "skaug.models": 2,
    "skaug._synthesis": 3,
    "skaug._weights": 3,
    "skaug._sampler": 4,
    "skaug._augmentor": 4,
    "skaug.callbacks": 4,
    "skaug.report": 4,
    "skaug": 5,
}


def module_name(path):
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(name):
    """Layer of module ``name`` (its longest listed prefix), or None."""
    best = None
    for prefix in LAYERS:
        # "skaug" is the top-level __init__ only, not a prefix of everything
        matches = name == prefix or (
            prefix != "skaug" and name.startswith(prefix + ".")
        )
        if matches and (best is None or len(prefix) > len(best)):
            best = prefix
    return None if best is None else LAYERS[best]


def is_module(name):
    """Whether ``name`` is a module or package of skaug (a file)."""
    path = ROOT.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def package_of(name, is_package):
    """The package a module belongs to: itself for an ``__init__``."""
    return name if is_package else name.rpartition(".")[0]


def skaug_imports(source, name, is_package):
    """``(line, module, names)`` for each skaug import: the module imported
    from, and the names taken from it (a submodule taken by ``from package
    import submodule`` counts as a module of its own, with no names;
    ``import skaug.x`` gives ``names=None``)."""
    package = package_of(name, is_package)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "skaug":
                    yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "skaug":
                continue
            names = [alias.name for alias in node.names]
            submodules = [n for n in names if is_module(f"{target}.{n}")]
            for n in submodules:
                yield node.lineno, f"{target}.{n}", []
            rest = [n for n in names if n not in submodules]
            if rest or not submodules:
                yield node.lineno, target, rest


def violations(source, name, is_package=False):
    """What ``source`` (module ``name``) imports against the rules."""
    own_layer = layer_of(name)
    if own_layer is None:
        return [f"{name}: not assigned to a layer (add it to LAYERS)"]
    own_package = package_of(name, is_package)
    found = []
    for line, module, names in skaug_imports(source, name, is_package):
        layer = layer_of(module)
        if layer is not None and layer > own_layer:
            found.append(
                f"{name}:{line} imports {module} (layer {layer}) from layer {own_layer}"
            )
        if names is None:  # "import skaug.x.y" binds "skaug": no name taken
            continue
        module_package = package_of(module, is_module(module + ".__init__"))
        crossing = module_package != own_package
        # "from package import _submodule" takes a private name too
        for n in names or [module.rpartition(".")[2]]:
            if crossing and n.startswith("_") and not n.startswith("__"):
                found.append(
                    f"{name}:{line} imports the private name {n} from another "
                    f"package ({module})"
                )
    return found


def all_modules():
    for path in sorted(ROOT.rglob("*.py")):
        yield path, module_name(path), path.name == "__init__.py"


@pytest.mark.parametrize(
    "path, name, is_package", list(all_modules()), ids=lambda v: str(v)
)
def test_module_respects_the_layers(path, name, is_package):
    assert violations(path.read_text(), name, is_package) == []


def test_the_check_catches_an_upward_import():
    source = "def f():\n    from skaug._synthesis.pool import SyntheticPool\n"
    assert violations(source, "skaug.models._vae") == [
        "skaug.models._vae:2 imports skaug._synthesis.pool (layer 3) from layer 2"
    ]


def test_the_check_catches_a_private_name_from_another_package():
    source = "from skaug.models._base import _to_device\n"
    (message,) = violations(source, "skaug._synthesis.engine")
    assert "private name _to_device" in message


def test_the_check_allows_private_names_within_a_package():
    source = "from skaug.models._base import _to_device\n"
    assert violations(source, "skaug.models._vae") == []


def test_the_check_refuses_an_unassigned_module():
    assert violations("", "skaug.newthing") != []
