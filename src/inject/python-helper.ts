/**
 * The Python side of Python injection, run as `[interpreter, '-I', '-c', pythonHelperSource]` with the
 * entry's bytes on stdin. It parses them with the interpreter's own `ast` (so the grammar is the
 * project's Python's) and prints one JSON object: `{"error": "..."}` for source it cannot parse, or
 * `{"statements": [{"kind", "line", "end"}]}` for the module's top-level statements, where kind is
 * docstring | future | init (loads ez_pixel_init) | code, and line/end are 1-based (line counts
 * decorators). Compatible with Python 3.8+.
 */
export const pythonHelperSource = String.raw`
import ast
import json
import sys

INIT = "ez_pixel_init"


def loads_init(node):
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[-1] == INIT for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[-1] == INIT or any(alias.name == INIT for alias in node.names)
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in ("__import__", "import_module") and any(
            isinstance(child, ast.Constant) and isinstance(child.value, str) and child.value.endswith(INIT)
            for child in ast.walk(node.value)
        )
    return False


def kind(index, node):
    if index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
        return "docstring"
    if isinstance(node, ast.ImportFrom) and node.module == "__future__" and node.level == 0:
        return "future"
    return "init" if loads_init(node) else "code"


def describe(index, node):
    decorators = [decorator.lineno for decorator in getattr(node, "decorator_list", [])]
    return {
        "kind": kind(index, node),
        "line": min(decorators + [node.lineno]),
        "end": getattr(node, "end_lineno", None) or node.lineno,
    }


def main():
    if sys.version_info < (3, 8):
        # Older parsers report docstrings as ast.Str and lack end_lineno: placement would be wrong.
        print(json.dumps({"error": "Python %d.%d is too old (ez-pixel needs 3.8+)" % sys.version_info[:2]}))
        return
    source = sys.stdin.buffer.read()
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        message = getattr(error, "msg", None) or str(error)
        print(json.dumps({"error": message + (" (line %s)" % line if line else "")}))
        return
    print(json.dumps({"statements": [describe(index, node) for index, node in enumerate(tree.body)]}))


main()
`;
