"""The seams stay where DESIGN.md puts them: no import cycles between modules (a lazy import inside a
function counts too), no app importing another app's views, commands never importing views, the deadline
engine free of Django, and permission decisions only in casework/access.py."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "casework"


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def _imports() -> dict[str, set[str]]:
    modules, graph = MODULES, {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                candidates = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            for candidate in candidates:
                while candidate and candidate not in modules:
                    candidate = candidate.rpartition(".")[0]
                if candidate and candidate != name:
                    targets.add(candidate)
                    break
        graph[name] = targets
    return graph


GRAPH = _imports()


def _cycle_from(start: str) -> list[str] | None:
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for target in GRAPH.get(node, ()):
            if target == start:
                return path + [start]
            if target not in seen:
                seen.add(target)
                stack.append((target, path + [target]))
    return None


def test_no_module_imports_itself_back():
    cycles = [cycle for module in sorted(GRAPH) if (cycle := _cycle_from(module))]
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_views_are_imported_only_by_their_own_app_and_the_url_configuration():
    offenders = [
        (module, target) for module, targets in GRAPH.items() for target in targets
        if target.rsplit(".", 1)[-1].startswith("views")
        and (module.split(".")[:2] != target.split(".")[:2] or ".management." in module)
        and not module.startswith("config")
    ]
    assert not offenders


def test_the_deadline_engine_imports_no_django():
    source = (PACKAGE / "deadlines" / "rules.py").read_text(encoding="utf-8")
    modules = {node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)}
    modules |= {alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import) for alias in node.names}
    assert not {m for m in modules if m and m.split(".")[0] == "django"}


def test_role_rules_are_decided_only_in_access():
    """The capability table and the role names are read by casework/access.py alone (and by the models,
    forms and services that define and assign roles); everyone else asks access."""
    allowed = {"casework.access", "casework.orgs.models", "casework.orgs.forms", "casework.orgs.services",
               "casework.platform.services"}
    needles = ("ROLE_CAPABILITIES", "Role.COORDINATOR", "Role.CASEWORKER", "Role.ORG_ADMIN")
    offenders = [
        (name, needle) for name, path in MODULES.items() if name not in allowed and ".management." not in name
        for needle in needles if needle in path.read_text(encoding="utf-8")
    ]
    assert not offenders
