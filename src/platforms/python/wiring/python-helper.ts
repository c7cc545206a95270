/**
 * The Python side of Python injection, run as `[interpreter, '-I', '-c', pythonHelperSource]` with the
 * entry's bytes on stdin. It parses them with the interpreter's own `ast` (so the grammar is the
 * project's Python's) and prints one JSON object: `{"error": "..."}` for source it cannot parse, or
 * `{"statements": [{"kind", "line", "end"}]}` for the module's top-level statements, where kind is
 * docstring | future | init (loads ez_pixel_init) | code, line/end are 1-based (line counts
 * decorators), and runs says whether importing the module executes other code at that statement (an
 * import or a call does; a constant or a def does not). A file whose declared encoding does not keep ASCII as ASCII bytes (where inserting
 * an ASCII line could change the meaning of the bytes around it) is an error too. Python 3.8+.
 */
export const pythonHelperSource = String.raw`
import ast
import io
import json
import sys
import tokenize

INIT = "ez_pixel_init"


def loads_init(node):
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[-1] == INIT for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[-1] == INIT or any(alias.name == INIT for alias in node.names)
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in ("__import__", "import_module", "import_init_beside") and any(
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


def evaluated(node):
    """The parts of a statement that run when the module is imported (a def's body does not)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.decorator_list + node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
    return [node]


def runs(node):
    return any(
        isinstance(child, (ast.Import, ast.ImportFrom, ast.Call, ast.Await))
        for part in evaluated(node)
        for child in ast.walk(part)
    )


def describe(index, node):
    decorators = [decorator.lineno for decorator in getattr(node, "decorator_list", [])]
    return {
        "kind": kind(index, node),
        "line": min(decorators + [node.lineno]),
        "end": getattr(node, "end_lineno", None) or node.lineno,
        "runs": runs(node),
    }


def ascii_compatible(encoding):
    try:
        return all(bytes([b]).decode(encoding) == chr(b) for b in range(128))
    except (LookupError, UnicodeDecodeError):
        return False


def undecodable(source):
    """Why CPython would not run these bytes as a file (ast.parse lets bad bytes in comments pass), or None."""
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(source).readline)[0]
    except SyntaxError as error:  # an unknown coding cookie, or undecodable bytes in the first two lines
        return not_valid(source, "utf-8") or str(error)
    if not ascii_compatible(encoding):
        return "its %s encoding does not keep an inserted ASCII line as ASCII" % encoding
    return not_valid(source, encoding)


def not_valid(source, encoding):
    try:
        source.decode(encoding)
        return None
    except UnicodeDecodeError as error:
        line = source[: error.start].count(b"\n") + 1
        return "line %d holds byte 0x%02x, which is not valid %s: CPython refuses to run the file" % (line, source[error.start], encoding)


def main():
    if sys.version_info < (3, 8):
        # Older parsers report docstrings as ast.Str and lack end_lineno: placement would be wrong.
        print(json.dumps({"error": "Python %d.%d is too old (ez-pixel needs 3.8+)" % sys.version_info[:2]}))
        return
    source = sys.stdin.buffer.read()
    problem = undecodable(source)
    if problem is not None:
        print(json.dumps({"error": problem}))
        return
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
